/**
 * Per-round metrics of one channel, computed straight from its class-major margins without allocating: logloss as
 * softplus of the margin, error as the margin's sign, AUC on margins (the sigmoid keeps their order). Values match
 * computeMetric on the transformed predictions.
 */
import type { EvalMetric, Hyperparameters } from './hyperparameters.js';
import { auc } from './metrics.js';
import { linkOf } from './objective-links.js';

/** Per channel ("train", "validation"), per metric name. */
export type RoundMetrics = Record<string, Record<string, number>>;

/** -ln(1e-16): XGBoost clips probabilities to [1e-16, 1 - 1e-16] in logloss. */
const MAX_LOSS = 36.841361487904734;
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

export function evaluateChannel(
  hp: Hyperparameters,
  margins: Float64Array,
  labels: Float32Array,
  groups: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const metric of hp.eval_metric) out[metric] = channelMetric(metric, hp, margins, labels, groups);
  return out;
}

function channelMetric(
  metric: EvalMetric,
  hp: Hyperparameters,
  margins: Float64Array,
  labels: Float32Array,
  groups: number,
): number {
  const n = labels.length;
  const logistic = linkOf(hp.objective) === 'logit';
  let sum = 0;
  switch (metric) {
    case 'logloss':
      for (let r = 0; r < n; r++) {
        const m = margins[r]!;
        const y = labels[r]!;
        sum += y * Math.min(softplus(-m), MAX_LOSS) + (1 - y) * Math.min(softplus(m), MAX_LOSS);
      }
      return sum / n;
    case 'error':
      for (let r = 0; r < n; r++) sum += (margins[r]! > 0 ? 1 : 0) !== labels[r]! ? 1 : 0;
      return sum / n;
    case 'auc':
      return auc(margins, labels);
    case 'rmse':
      for (let r = 0; r < n; r++) {
        const p = logistic ? 1 / (1 + Math.exp(-margins[r]!)) : margins[r]!;
        sum += (p - labels[r]!) ** 2;
      }
      return Math.sqrt(sum / n);
    case 'mlogloss':
    case 'merror':
      return softmaxMetric(metric, margins, labels, groups);
  }
}

function softmaxMetric(metric: 'mlogloss' | 'merror', margins: Float64Array, labels: Float32Array, groups: number) {
  const n = labels.length;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    let best = 0;
    let max = margins[r]!;
    for (let k = 1; k < groups; k++) {
      if (margins[k * n + r]! > max) {
        max = margins[k * n + r]!;
        best = k;
      }
    }
    const y = labels[r]!;
    if (metric === 'merror') {
      sum += best !== y ? 1 : 0;
      continue;
    }
    let z = 0;
    for (let k = 0; k < groups; k++) z += Math.exp(margins[k * n + r]! - max);
    // -log p_y = log(sum_k exp(m_k - max)) - (m_y - max), with p_y clipped at 1e-16.
    sum += Math.min(Math.log(z) - (margins[y * n + r]! - max), MAX_LOSS);
  }
  return sum / n;
}
