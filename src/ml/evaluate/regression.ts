import { checkFinite, checkNotEmpty, checkSameLength } from './validate.js';

export interface RegressionInput {
  labels: ArrayLike<number>;
  predictions: ArrayLike<number>;
}

export interface RegressionMetrics {
  kind: 'regression';
  count: number;
  /** sqrt(mean((label − prediction)²)). */
  rmse: number;
  /** mean(|label − prediction|). */
  mae: number;
  /** 1 − SS_res / SS_tot; null when the labels are constant (SS_tot = 0). */
  r2: number | null;
  /** Why each null metric above is null; keys only for metrics that are null. */
  nullReasons: { r2?: string };
}

const FN = 'evaluateRegression';

/**
 * RMSE, MAE and R² of predictions against labels; throws on mismatched lengths or non-finite values.
 * Unlike sklearn's r2_score, which returns 0 or 1 for constant labels, R² is then null with a reason.
 */
export function evaluateRegression(input: RegressionInput): RegressionMetrics {
  const { labels, predictions } = input;
  checkNotEmpty(FN, 'labels', labels);
  checkSameLength(FN, { name: 'labels', values: labels }, { name: 'predictions', values: predictions });
  checkFinite(FN, 'labels', labels);
  checkFinite(FN, 'predictions', predictions);

  const count = labels.length;
  let labelSum = 0;
  // Constant labels are detected by comparison, not by SS_tot === 0: the float mean of [0.1, 0.1, 0.1] is not 0.1.
  let constant = true;
  for (let i = 0; i < count; i++) {
    labelSum += labels[i]!;
    constant &&= labels[i] === labels[0];
  }
  const mean = labelSum / count;
  let squared = 0;
  let absolute = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const y = labels[i]!;
    const residual = y - predictions[i]!;
    squared += residual * residual;
    absolute += Math.abs(residual);
    total += (y - mean) * (y - mean);
  }
  const nullReasons: RegressionMetrics['nullReasons'] = {};
  if (constant) nullReasons.r2 = `labels are constant (all ${String(labels[0])}), so R² is 0/0`;
  return {
    kind: 'regression',
    count,
    rmse: Math.sqrt(squared / count),
    mae: absolute / count,
    r2: constant ? null : 1 - squared / total,
    nullReasons,
  };
}
