/**
 * Per-round metrics of one channel, computed straight from its class-major margins without allocating: logloss from
 * the margin (one exp, one log), error as the margin's sign, AUC on margins (the sigmoid keeps their order). Values
 * match computeMetric on the transformed predictions. The objective's own loss may come in already summed (the
 * gradient pass computes it on the training rows).
 */
import type { EvalMetric, Hyperparameters } from './hyperparameters.js';
import { auc } from './metrics.js';
import { linkOf } from './objective-links.js';
import { MAX_LOSS } from './objectives.js';

/** Per channel ("train", "validation"), per metric name. */
export type RoundMetrics = Record<string, Record<string, number>>;

/** The metric the objective's loss sum gives: logloss, rmse (from the squared error) or mlogloss. */
export function lossMetric(hp: Hyperparameters): EvalMetric {
  const link = linkOf(hp.objective);
  return link === 'logit' ? 'logloss' : link === 'softmax' ? 'mlogloss' : 'rmse';
}

export function evaluateChannel(
  hp: Hyperparameters,
  margins: Float64Array,
  labels: Float32Array,
  groups: number,
  lossSum?: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  const fused = lossMetric(hp);
  for (const metric of hp.eval_metric) {
    if (lossSum !== undefined && metric === fused) {
      out[metric] = metric === 'rmse' ? Math.sqrt(lossSum / labels.length) : lossSum / labels.length;
    } else {
      out[metric] = channelMetric(metric, hp, margins, labels, groups);
    }
  }
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
        const softplus = m > -30 ? Math.log(1 + Math.exp(-m)) : -m; // -log p
        sum += y * Math.min(softplus, MAX_LOSS) + (1 - y) * Math.min(m + softplus, MAX_LOSS);
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
