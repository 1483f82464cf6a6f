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

/** -ln(1e-16): XGBoost clips probabilities to [1e-16, 1 - 1e-16] in logloss. */
export const MAX_LOSS = 36.841361487904734;

/**
 * The logloss of 0/1 labels is a sum of logarithms: taking one logarithm of a product of up to 16 factors (each at
 * most e^36.8 after clipping, so the product stays below 1e256) instead of one per row saves most of the cost of the
 * training channel's metric; the rounding of the product moves the sum by about 1e-15 per 16 rows.
 */
const PRODUCT_FACTORS = 16;
const MAX_FACTOR = Math.exp(MAX_LOSS);

/** Rows per block of the loss sum: blocks are summed in order, so the total is the same however they are shared. */
export const GRADIENT_BLOCK = 16384;

/**
 * Writes the gradients of rows [r0, r1) at the current margins and returns their summed loss (logloss, squared
 * error or mlogloss, by objective), computed from the same exponentials: the training channel's per-round metric
 * then costs one logarithm per row instead of a pass of its own (exp and log are ~8 ns each in V8).
 */
export function computeGradients(input: GradientInput, r0 = 0, r1 = input.nRows): number {
  const { objective, margins, labels, grad, hess, scalePosWeight } = input;
  if (objective === 'multi:softprob') return softmaxGradients(input, r0, r1);
  let loss = 0;
  // One loop per objective: no branch on the objective inside the loop.
  if (objective === 'reg:squarederror') {
    for (let r = r0; r < r1; r++) {
      const y = labels[r]!;
      const w = y === 1 ? scalePosWeight : 1;
      const d = margins[r]! - y;
      grad[r] = d * w;
      hess[r] = w;
      loss += d * d;
    }
    return loss;
  }
  let product = 1;
  let factors = 0;
  for (let r = r0; r < r1; r++) {
    const y = labels[r]!;
    const w = y === 1 ? scalePosWeight : 1;
    const m = margins[r]!;
    const e = Math.exp(-m);
    const p = 1 / (1 + e);
    grad[r] = (p - y) * w;
    hess[r] = Math.max(p * (1 - p), 1e-16) * w;
    if (y === 1 || y === 0) {
      // -log p = log(1 + e), -log(1 - p) = log(1 + 1/e): a factor of the product, clipped as XGBoost clips p.
      product *= Math.min(y === 1 ? 1 + e : 1 + 1 / e, MAX_FACTOR);
      if (++factors === PRODUCT_FACTORS) {
        loss += Math.log(product);
        product = 1;
        factors = 0;
      }
    } else {
      const softplus = m > -30 ? Math.log(1 + e) : -m;
      loss += y * Math.min(softplus, MAX_LOSS) + (1 - y) * Math.min(m + softplus, MAX_LOSS);
    }
  }
  return loss + Math.log(product);
}

function softmaxGradients(
  { margins, labels, nRows, groups, grad, hess }: GradientInput,
  r0: number,
  r1: number,
): number {
  const p = new Float64Array(groups);
  let loss = 0;
  for (let r = r0; r < r1; r++) {
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
    loss += Math.min(Math.log(sum) - (margins[y * nRows + r]! - max), MAX_LOSS);
  }
  return loss;
}

/** Gradients of blocks [b0, b1) (GRADIENT_BLOCK rows each), each block's loss sum into blockLoss. */
export function computeGradientBlocks(input: GradientInput, b0: number, b1: number, blockLoss: Float64Array): void {
  for (let b = b0; b < b1; b++) {
    blockLoss[b] = computeGradients(input, b * GRADIENT_BLOCK, Math.min(input.nRows, (b + 1) * GRADIENT_BLOCK));
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
