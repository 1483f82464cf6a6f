/**
 * Evaluation metrics computed each round on every channel (train, validation), named as XGBoost names them. These
 * serve progress and early stopping; model evaluation proper lives in the evaluate module.
 */
import type { EvalMetric } from './hyperparameters.js';

/** Whether a larger value is better (drives early stopping, as XGBoost's maximize flag). */
export const MAXIMIZE: Record<EvalMetric, boolean> = {
  error: false,
  logloss: false,
  auc: true,
  rmse: false,
  mlogloss: false,
  merror: false,
};

const EPS = 1e-16;

/**
 * A metric over predictions in output space: probabilities (class-major for multi-class: class k of row r at
 * k * nRows + r), or values for regression.
 */
export function computeMetric(metric: EvalMetric, preds: Float64Array, labels: Float32Array, groups: number): number {
  const n = labels.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  switch (metric) {
    case 'error':
      for (let r = 0; r < n; r++) sum += (preds[r]! > 0.5 ? 1 : 0) !== labels[r]! ? 1 : 0;
      return sum / n;
    case 'logloss':
      for (let r = 0; r < n; r++) {
        const p = Math.min(Math.max(preds[r]!, EPS), 1 - EPS);
        const y = labels[r]!;
        sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
      }
      return sum / n;
    case 'rmse':
      for (let r = 0; r < n; r++) sum += (preds[r]! - labels[r]!) ** 2;
      return Math.sqrt(sum / n);
    case 'auc':
      return auc(preds, labels);
    case 'mlogloss':
      for (let r = 0; r < n; r++) sum -= Math.log(Math.max(preds[labels[r]! * n + r]!, EPS));
      return sum / n;
    case 'merror':
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let k = 1; k < groups; k++) if (preds[k * n + r]! > preds[best * n + r]!) best = k;
        sum += best !== labels[r]! ? 1 : 0;
      }
      return sum / n;
  }
}

/**
 * ROC AUC with ties counted half (the trapezoid rule XGBoost uses): scores of positives and negatives are sorted
 * apart (native typed-array sorts), then merged counting the negatives below each positive.
 */
export function auc(preds: Float64Array, labels: Float32Array): number {
  let positives = 0;
  for (let r = 0; r < labels.length; r++) if (labels[r]! > 0.5) positives++;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let r = 0, i = 0, j = 0; r < labels.length; r++) {
    if (labels[r]! > 0.5) pos[i++] = preds[r]!;
    else neg[j++] = preds[r]!;
  }
  pos.sort();
  neg.sort();
  let below = 0;
  let area = 0;
  for (let i = 0; i < positives; ) {
    const score = pos[i]!;
    let same = 0;
    while (i + same < positives && pos[i + same] === score) same++;
    while (below < negatives && neg[below]! < score) below++;
    let ties = 0;
    while (below + ties < negatives && neg[below + ties] === score) ties++;
    area += same * (below + ties / 2);
    i += same;
  }
  return area / (positives * negatives);
}
