/**
 * The fast scorer. A model is compiled once (cached per Model object; treat models as immutable) into flat typed
 * arrays. Trees up to depth 12 are laid out as complete binary trees in heap order (children of n at 2n+1, 2n+2;
 * shallower leaves padded with copies of themselves), so a row takes exactly `depth` steps with no child lookups;
 * deeper trees use a node-pair layout. Comparisons are float32 (rows are Float32Array, thresholds Float32Array).
 */
import { type CompiledModel, compileModel } from './scorer-compile.js';
import { type Model, outputGroups } from './model.js';
import { transformMargins } from './objective-links.js';

export interface PredictOptions {
  /** Use only the first `rounds` boosting rounds (e.g. `bestIteration + 1`); all by default. */
  rounds?: number;
}

const cache = new WeakMap<Model, CompiledModel>();
const BLOCK = 64;

function compiled(model: Model): CompiledModel {
  let c = cache.get(model);
  if (!c) {
    c = compileModel(model);
    cache.set(model, c);
  }
  return c;
}

function checkShape(model: Model, rows: ArrayLike<number>, nRows: number, nCols: number): void {
  if (!Number.isInteger(nRows) || nRows < 0 || !Number.isInteger(nCols)) {
    throw new RangeError(`predict: nRows and nCols must be non-negative integers (got ${nRows}, ${nCols})`);
  }
  if (nCols !== model.numFeature) {
    throw new RangeError(`predict: rows have ${nCols} columns but the model expects ${model.numFeature} features`);
  }
  if (rows.length < nRows * nCols) {
    throw new RangeError(`predict: ${nRows} rows x ${nCols} columns need ${nRows * nCols} values (got ${rows.length})`);
  }
}

/**
 * Raw margins (before the objective's link), row-major with one value per output group (class).
 * @example predictMargins(model, Float32Array.of(0.1, 2, 0.3, 1), 2, 2) // two rows of two features
 */
export function predictMargins(
  model: Model,
  rows: Float32Array,
  nRows: number,
  nCols: number,
  options: PredictOptions = {},
): Float64Array {
  checkShape(model, rows, nRows, nCols);
  const c = compiled(model);
  const groups = c.groups;
  const out = new Float64Array(nRows * groups);
  for (let r = 0; r < nRows; r++) for (let g = 0; g < groups; g++) out[r * groups + g] = c.baseMargins[g]!;
  const nTrees = treeLimit(model, c, options.rounds);
  for (let r0 = 0; r0 < nRows; r0 += BLOCK) {
    const r1 = Math.min(nRows, r0 + BLOCK);
    for (let t = 0; t < nTrees; t++) {
      if (c.heap) scoreHeapTree(c, t, rows, nCols, r0, r1, out);
      else scorePairTree(c, t, rows, nCols, r0, r1, out);
    }
  }
  return out;
}

/** Predictions in the objective's output space: probabilities for logistic and softprob, class ids for softmax. */
export function predict(
  model: Model,
  rows: Float32Array,
  nRows: number,
  nCols: number,
  options: PredictOptions = {},
): Float64Array {
  return transformMargins(model.objective, predictMargins(model, rows, nRows, nCols, options), outputGroups(model));
}

/** One row, for serving: the prediction per output group (a single value unless multi-class). */
export function predictRow(model: Model, features: ArrayLike<number>, options: PredictOptions = {}): Float64Array {
  const row = Float32Array.from(features, (v) => (v === null || v === undefined ? Number.NaN : v));
  return predict(model, row, 1, row.length, options);
}

function treeLimit(model: Model, c: CompiledModel, rounds: number | undefined): number {
  if (rounds === undefined) return c.nTrees;
  if (!Number.isInteger(rounds) || rounds < 0) throw new RangeError(`predict: rounds must be an integer >= 0 (got ${rounds})`);
  return Math.min(c.nTrees, rounds * outputGroups(model) * Math.max(1, model.numParallelTree));
}

function scoreHeapTree(
  c: CompiledModel,
  t: number,
  rows: Float32Array,
  nCols: number,
  r0: number,
  r1: number,
  out: Float64Array,
): void {
  const depth = c.depth[t]!;
  const io = c.nodeOffset[t]!;
  const lo = c.leafOffset[t]! - ((1 << depth) - 1);
  const groups = c.groups;
  const g = c.group[t]!;
  const w = c.weight[t]!;
  const { feature, threshold, missRight, leaf } = c;
  for (let r = r0; r < r1; r++) {
    const base = r * nCols;
    let n = 0;
    for (let k = 0; k < depth; k++) {
      const x = rows[base + feature[io + n]!]!;
      const thr = threshold[io + n]!;
      n = 2 * n + (x < thr ? 1 : x >= thr ? 2 : 1 + missRight[io + n]!);
    }
    out[r * groups + g]! += w * leaf[lo + n]!;
  }
}

function scorePairTree(
  c: CompiledModel,
  t: number,
  rows: Float32Array,
  nCols: number,
  r0: number,
  r1: number,
  out: Float64Array,
): void {
  const root = c.nodeOffset[t]!;
  const groups = c.groups;
  const g = c.group[t]!;
  const w = c.weight[t]!;
  const { feature, threshold, missRight, child } = c;
  for (let r = r0; r < r1; r++) {
    const base = r * nCols;
    let n = root;
    let k = child[n]!;
    while (k >= 0) {
      const x = rows[base + feature[n]!]!;
      const thr = threshold[n]!;
      n = x < thr ? k : x >= thr ? k + 1 : k + missRight[n]!;
      k = child[n]!;
    }
    out[r * groups + g]! += w * threshold[n]!;
  }
}

/** Adds one tree's leaf values for float32 rows to out[outOffset + r] (training uses it for the validation set). */
export function accumulateTree(
  tree: Model['trees'][number],
  rows: Float32Array,
  nRows: number,
  nCols: number,
  out: Float64Array,
  outOffset: number,
): void {
  const { left, right, feature, condition, defaultLeft } = tree;
  for (let r = 0; r < nRows; r++) {
    const base = r * nCols;
    let n = 0;
    let l = left[0]!;
    while (l >= 0) {
      const x = rows[base + feature[n]!]!;
      const thr = condition[n]!;
      n = x < thr ? l : x >= thr ? right[n]! : defaultLeft[n] ? l : right[n]!;
      l = left[n]!;
    }
    out[outOffset + r]! += condition[n]!;
  }
}
