/**
 * Quantile cuts per feature, as XGBoost's `hist` method makes them: a feature with at most `max_bin` distinct values
 * gets one bin per value; otherwise bins of equal row counts. Cut values are float32 values from the data; the
 * last cut is `max + (|max| + 1e-5)` and the lower bound `min - (|min| + 1e-5)`, in float32, as XGBoost computes
 * them. Bin b of a feature holds values in [cut[b-1], cut[b]), so "go left iff x < cut[b]" sends bins 0..b left.
 */
import type { Random } from './prng.js';

export interface Cuts {
  /** Per-feature ascending cut values, concatenated; feature f owns [ptrs[f], ptrs[f+1]). */
  values: Float32Array;
  ptrs: Int32Array;
  /** Per feature: a value below every value seen (XGBoost's `min_vals`), the threshold of "all values right". */
  minValues: Float32Array;
  /** Per feature: 1 when some training row lacks a value. */
  hasMissing: Uint8Array;
}

/** Rows beyond this are sampled (seeded) for the quantiles; min and max always come from every row. */
export const QUANTILE_SAMPLE_ROWS = 262_144;

const f32 = Math.fround;
const EPS = f32(1e-5);

/** Computes the cuts of every feature of a row-major float32 matrix (NaN = missing). */
export function computeCuts(
  features: Float32Array,
  nRows: number,
  nCols: number,
  maxBin: number,
  random: Random,
): Cuts {
  // One row-wise pass for min and max (a strided pass per feature would read the whole matrix nCols times).
  const mins = new Float64Array(nCols).fill(Number.POSITIVE_INFINITY);
  const maxs = new Float64Array(nCols).fill(Number.NEGATIVE_INFINITY);
  const hasMissing = new Uint8Array(nCols);
  for (let r = 0, i = 0; r < nRows; r++) {
    for (let f = 0; f < nCols; f++, i++) {
      const x = features[i]!;
      if (x < mins[f]!) mins[f] = x;
      if (x > maxs[f]!) maxs[f] = x;
      if (Number.isNaN(x)) hasMissing[f] = 1;
    }
  }
  const { matrix, rows } = sampleMatrix(features, nRows, nCols, random);
  const perFeature: Float32Array[] = [];
  const minValues = new Float32Array(nCols);
  const scratch = new Float32Array(rows);
  const temp = new Uint32Array(rows);
  for (let f = 0; f < nCols; f++) {
    let m = 0;
    for (let i = f; i < rows * nCols; i += nCols) {
      const x = matrix[i]!;
      if (!Number.isNaN(x)) scratch[m++] = x === 0 ? 0 : x; // -0 counts as 0
    }
    const min = mins[f]!;
    if (m === 0 || !Number.isFinite(min)) {
      perFeature.push(Float32Array.of(EPS));
      minValues[f] = -EPS;
      continue;
    }
    sortFloat32(scratch, m, temp);
    perFeature.push(cutsOfSorted(scratch, m, maxBin, maxs[f]!));
    minValues[f] = f32(min - f32(Math.abs(min) + EPS));
  }
  const ptrs = new Int32Array(nCols + 1);
  perFeature.forEach((c, f) => {
    ptrs[f + 1] = ptrs[f]! + c.length;
  });
  const values = new Float32Array(ptrs[nCols]!);
  perFeature.forEach((c, f) => {
    values.set(c, ptrs[f]!);
  });
  return { values, ptrs, minValues, hasMissing };
}

/** The rows the quantiles are computed from: all of them, or a seeded Bernoulli sample copied out row-wise. */
function sampleMatrix(features: Float32Array, nRows: number, nCols: number, random: Random) {
  if (nRows <= QUANTILE_SAMPLE_ROWS) return { matrix: features, rows: nRows };
  const p = QUANTILE_SAMPLE_ROWS / nRows;
  const matrix = new Float32Array(Math.ceil(QUANTILE_SAMPLE_ROWS * 1.1 + 64) * nCols);
  let rows = 0;
  for (let r = 0; r < nRows && (rows + 1) * nCols <= matrix.length; r++) {
    if (random.next() >= p) continue;
    matrix.set(features.subarray(r * nCols, (r + 1) * nCols), rows * nCols);
    rows++;
  }
  return { matrix, rows };
}

/** Cuts from `m` sorted values: distinct values when few, else equal-count quantiles; then the closing cut. */
function cutsOfSorted(sorted: Float32Array, m: number, maxBin: number, max: number): Float32Array {
  const out: number[] = [];
  let distinct = 1;
  for (let i = 1; i < m && distinct <= maxBin; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBin) {
    for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) out.push(sorted[i]!);
  } else {
    let last = sorted[0]!;
    for (let k = 1; k < maxBin; k++) {
      // The value whose rank is nearest k/max_bin of the way, as XGBoost's summary prune picks the closest rank.
      const v = sorted[Math.min(m - 1, Math.round((k * m) / maxBin))]!;
      if (v > last) {
        out.push(v);
        last = v;
      }
    }
  }
  const top = Math.max(max, sorted[m - 1]!);
  out.push(f32(top + f32(Math.abs(top) + EPS)));
  return Float32Array.from(out);
}

/** LSD radix sort of the first `n` float32 values (no NaN) by their order-preserving integer keys. */
export function sortFloat32(values: Float32Array, n: number, temp: Uint32Array): void {
  let keys = new Uint32Array(values.buffer, values.byteOffset, n);
  let other = temp.subarray(0, n);
  for (let i = 0; i < n; i++) {
    const u = keys[i]!;
    keys[i] = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
  }
  const counts = new Int32Array(2048);
  let inOriginal = true;
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & 2047]!++;
    if (counts[(keys[0]! >>> shift) & 2047] === n) continue; // every key shares this digit
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      other[counts[(k >>> shift) & 2047]!++] = k;
    }
    [keys, other] = [other, keys];
    inOriginal = !inOriginal;
  }
  const target = new Uint32Array(values.buffer, values.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    target[i] = k & 0x80000000 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0;
  }
}
