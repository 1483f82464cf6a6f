/**
 * Training objectives: gradients and hessians as XGBoost 1.7 computes them (stored as float32), label checks, and
 * the starting base_score when none is given (the label mean, as XGBoost 2.0+ estimates it; 0.5 for multi-class,
 * where a constant margin cancels out in the softmax).
 */
import type { TrainObjective } from './model.js';

export interface GradientInput {
  objective: TrainObjective;
  /** Class-major margins: class k of row r at k * nRows + r. */
  margins: Float64Array;
  labels: Float32Array;
  nRows: number;
  groups: number;
  scalePosWeight: number;
  grad: Float32Array;
  hess: Float32Array;
}

export function computeGradients(input: GradientInput): void {
  const { objective, margins, labels, nRows, grad, hess, scalePosWeight } = input;
  if (objective === 'multi:softprob') {
    softmaxGradients(input);
    return;
  }
  // One loop per objective: no branch on the objective inside the loop.
  if (objective === 'reg:squarederror') {
    for (let r = 0; r < nRows; r++) {
      const y = labels[r]!;
      const w = y === 1 ? scalePosWeight : 1;
      grad[r] = (margins[r]! - y) * w;
      hess[r] = w;
    }
    return;
  }
  for (let r = 0; r < nRows; r++) {
    const y = labels[r]!;
    const w = y === 1 ? scalePosWeight : 1;
    const p = 1 / (1 + Math.exp(-margins[r]!));
    grad[r] = (p - y) * w;
    hess[r] = Math.max(p * (1 - p), 1e-16) * w;
  }
}

function softmaxGradients({ margins, labels, nRows, groups, grad, hess }: GradientInput): void {
  const p = new Float64Array(groups);
  for (let r = 0; r < nRows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < groups; k++) max = Math.max(max, margins[k * nRows + r]!);
    let sum = 0;
    for (let k = 0; k < groups; k++) {
      const e = Math.exp(margins[k * nRows + r]! - max);
      p[k] = e;
      sum += e;
    }
    const y = labels[r]!;
    for (let k = 0; k < groups; k++) {
      const pk = p[k]! / sum;
      grad[k * nRows + r] = k === y ? pk - 1 : pk;
      hess[k * nRows + r] = Math.max(2 * pk * (1 - pk), 1e-16);
    }
  }
}

/** Null when every label suits the objective, else a message naming the first bad row (1-based). */
export function checkLabels(objective: TrainObjective, labels: Float32Array, numClass: number): string | null {
  for (let r = 0; r < labels.length; r++) {
    const y = labels[r]!;
    if (!Number.isFinite(y)) return `label of data row ${r + 1} is ${y}; labels must be finite numbers`;
    if ((objective === 'binary:logistic' || objective === 'reg:logistic') && (y < 0 || y > 1)) {
      return `label of data row ${r + 1} is ${y}; ${objective} needs labels between 0 and 1`;
    }
    if (objective === 'multi:softprob' && (!Number.isInteger(y) || y < 0 || y >= numClass)) {
      return `label of data row ${r + 1} is ${y}; multi:softprob with num_class ${numClass} needs integer labels 0 to ${numClass - 1}`;
    }
  }
  return null;
}

/** The base_score to start from when none is given, in the objective's output space. */
export function estimateBaseScore(objective: TrainObjective, labels: Float32Array): number {
  if (objective === 'multi:softprob' || labels.length === 0) return 0.5;
  let sum = 0;
  for (let r = 0; r < labels.length; r++) sum += labels[r]!;
  const mean = Math.fround(sum / labels.length);
  if (objective === 'reg:squarederror') return mean;
  return Math.min(Math.max(mean, 1e-6), 1 - 1e-6);
}
