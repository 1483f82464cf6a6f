/** Per-round metrics of one channel from its class-major margins. */
import type { Hyperparameters } from './hyperparameters.js';
import { computeMetric } from './metrics.js';
import { linkOf, sigmoid } from './objective-links.js';

/** Per channel ("train", "validation"), per metric name. */
export type RoundMetrics = Record<string, Record<string, number>>;

export function evaluateChannel(
  hp: Hyperparameters,
  margins: Float64Array,
  labels: Float32Array,
  groups: number,
): Record<string, number> {
  const n = labels.length;
  const preds = new Float64Array(margins.length);
  const link = linkOf(hp.objective);
  if (link === 'logit') {
    for (let i = 0; i < margins.length; i++) preds[i] = sigmoid(margins[i]!);
  } else if (link === 'softmax') {
    for (let r = 0; r < n; r++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < groups; k++) max = Math.max(max, margins[k * n + r]!);
      let sum = 0;
      for (let k = 0; k < groups; k++) sum += Math.exp(margins[k * n + r]! - max);
      for (let k = 0; k < groups; k++) preds[k * n + r] = Math.exp(margins[k * n + r]! - max) / sum;
    }
  } else {
    preds.set(margins);
  }
  const out: Record<string, number> = {};
  for (const metric of hp.eval_metric) out[metric] = computeMetric(metric, preds, labels, groups);
  return out;
}
