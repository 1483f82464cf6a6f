import type { BinaryMetrics } from './binary.js';
import type { MulticlassMetrics } from './multiclass.js';
import type { RegressionMetrics } from './regression.js';

/** One channel's metrics under the names the gate uses, XGBoost's spelling where XGBoost has the metric. */
export type MetricValues = Record<string, number | null>;

export type EvaluationResult = BinaryMetrics | RegressionMetrics | MulticlassMetrics;

/** Whether a larger value of a metric means a better model; it decides the sign of a baseline improvement. */
export type MetricDirection = 'higher' | 'lower';

const directions: Readonly<Record<string, MetricDirection>> = {
  auc: 'higher',
  pr_auc: 'higher',
  aucpr: 'higher',
  accuracy: 'higher',
  precision: 'higher',
  recall: 'higher',
  f1: 'higher',
  r2: 'higher',
  map: 'higher',
  ndcg: 'higher',
  error: 'lower',
  merror: 'lower',
  logloss: 'lower',
  mlogloss: 'lower',
  rmse: 'lower',
  rmsle: 'lower',
  mae: 'lower',
  mape: 'lower',
};

/** The metrics whose direction is known, for error messages. */
export const KNOWN_DIRECTION_METRICS: readonly string[] = Object.keys(directions);

/** Direction of a metric by name, ignoring an XGBoost `@` suffix (`error@0.7`, `ndcg@5`); null when unknown. */
export function metricDirection(metric: string): MetricDirection | null {
  const base = metric.split('@', 1)[0] ?? metric;
  return Object.hasOwn(directions, base) ? directions[base]! : null;
}

/**
 * Flattens an evaluation result into the gate's metric names (`prAuc` becomes `pr_auc`, the multiclass `error`
 * becomes `merror`), so `{ validation: gateMetrics(result) }` can be passed to evaluateGate.
 */
export function gateMetrics(result: EvaluationResult): MetricValues {
  switch (result.kind) {
    case 'binary': {
      const { auc, prAuc, accuracy, error, precision, recall, f1, logloss } = result;
      return { auc, pr_auc: prAuc, accuracy, error, precision, recall, f1, logloss };
    }
    case 'regression':
      return { rmse: result.rmse, mae: result.mae, r2: result.r2 };
    case 'multiclass':
      return { accuracy: result.accuracy, merror: result.error, mlogloss: result.mlogloss };
    default:
      return assertNever(result);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected evaluation result ${JSON.stringify(value)}`);
}
