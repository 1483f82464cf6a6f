/**
 * The fast scorer. A model is compiled once (cached per Model object; treat models as immutable) into flat typed
 * arrays. Trees up to depth 12 use the heap layout and generated kernels (scorer-kernels.ts); deeper trees a
 * node-pair layout walked with branches. Comparisons are float32 (rows are Float32Array; thresholds are float32
 * values), so a row takes the branch XGBoost takes.
 */
import { type Model, outputGroups, type Tree } from './model.js';
import { transformMargins } from './objective-links.js';
import { type CompiledModel, compileModel, compileTrees } from './scorer-compile.js';

export interface PredictOptions {
  /** Use only the first `rounds` boosting rounds (e.g. `bestIteration + 1`); all by default. */
  rounds?: number;
}

const cache = new WeakMap<Model, CompiledModel>();
const BLOCK = 128;

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
  const out = new Float64Array(nRows * c.groups);
  for (let r = 0; r < nRows; r++) out.set(c.baseMargins, r * c.groups);
  scoreTrees(c, treeLimit(model, c, options.rounds), rows, nRows, nCols, out);
  return out;
}

/** Adds trees [0, nTrees) of a compiled model to out (row-major, c.groups per row). */
function scoreTrees(
  c: CompiledModel,
  nTrees: number,
  rows: Float32Array,
  nRows: number,
  nCols: number,
  out: Float64Array,
) {
  for (let r0 = 0; r0 < nRows; r0 += BLOCK) {
    const r1 = Math.min(nRows, r0 + BLOCK);
    if (!c.heap) {
      for (let t = 0; t < nTrees; t++) scorePairTree(c, t, rows, nCols, r0, r1, out);
      continue;
    }
    let missing = false;
    for (let i = r0 * nCols; i < r1 * nCols && !missing; i++) missing = Number.isNaN(rows[i]);
    const kernels = missing ? c.missingKernels : c.fastKernels;
    for (let t = 0; t < nTrees; t++) {
      const kernel = kernels[t]!;
      kernel(
        rows,
        nCols,
        r0,
        r1,
        c.nodeOffset[t]!,
        c.leafOffset[t]!,
        c.feature,
        c.threshold,
        c.missRight,
        c.leaf,
        out,
        c.groups,
        c.group[t]!,
        c.weight[t]!,
      );
    }
  }
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
  if (!Number.isInteger(rounds) || rounds < 0)
    throw new RangeError(`predict: rounds must be an integer >= 0 (got ${rounds})`);
  return Math.min(c.nTrees, rounds * outputGroups(model) * Math.max(1, model.numParallelTree));
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

/**
 * Adds one tree's leaf values for float32 rows to out[outOffset + r] (training uses it for the validation set).
 */
export function accumulateTree(
  tree: Tree,
  rows: Float32Array,
  nRows: number,
  nCols: number,
  out: Float64Array,
  outOffset: number,
) {
  const c = compileTrees([tree], 1);
  const view = out.subarray(outOffset, outOffset + nRows);
  scoreTrees(c, 1, rows, nRows, nCols, view);
}
