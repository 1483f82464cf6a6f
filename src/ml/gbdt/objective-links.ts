/**
 * How an objective turns `base_score` into a starting margin and a margin into a prediction, as XGBoost does
 * (`ProbToMargin` and `PredTransform`).
 */
import type { ObjectiveName } from './model.js';

export type Link = 'logit' | 'log' | 'identity' | 'softmax' | 'argmax' | 'hinge';

export function linkOf(objective: ObjectiveName): Link {
  switch (objective) {
    case 'binary:logistic':
    case 'reg:logistic':
      return 'logit';
    case 'count:poisson':
    case 'reg:gamma':
    case 'reg:tweedie':
      return 'log';
    case 'multi:softprob':
      return 'softmax';
    case 'multi:softmax':
      return 'argmax';
    case 'binary:hinge':
      return 'hinge';
    default:
      return 'identity';
  }
}

/** The starting margin for a base score given in the objective's output space (float32, as XGBoost keeps it). */
export function baseMargin(objective: ObjectiveName, baseScore: number): number {
  if (objective === 'binary:logitraw') return Math.fround(-Math.log(1 / baseScore - 1));
  switch (linkOf(objective)) {
    case 'logit':
      return Math.fround(-Math.log(1 / baseScore - 1));
    case 'log':
      return Math.fround(Math.log(baseScore));
    default:
      return Math.fround(baseScore);
  }
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Margins (row-major, `groups` per row) to predictions in place, except argmax which returns one class index per row.
 */
export function transformMargins(objective: ObjectiveName, margins: Float64Array, groups: number): Float64Array {
  const link = linkOf(objective);
  if (link === 'logit') for (let i = 0; i < margins.length; i++) margins[i] = sigmoid(margins[i]!);
  else if (link === 'log') for (let i = 0; i < margins.length; i++) margins[i] = Math.exp(margins[i]!);
  else if (link === 'hinge') for (let i = 0; i < margins.length; i++) margins[i] = margins[i]! > 0 ? 1 : 0;
  else if (link === 'softmax') {
    for (let r = 0; r < margins.length; r += groups) softmaxInPlace(margins, r, groups);
  } else if (link === 'argmax') {
    const out = new Float64Array(margins.length / groups);
    for (let r = 0; r < out.length; r++) {
      let best = 0;
      for (let k = 1; k < groups; k++) if (margins[r * groups + k]! > margins[r * groups + best]!) best = k;
      out[r] = best;
    }
    return out;
  }
  return margins;
}

export function softmaxInPlace(values: Float64Array, start: number, count: number): void {
  let max = -Infinity;
  for (let k = 0; k < count; k++) max = Math.max(max, values[start + k]!);
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const e = Math.exp(values[start + k]! - max);
    values[start + k] = e;
    sum += e;
  }
  for (let k = 0; k < count; k++) values[start + k] = values[start + k]! / sum;
}
