/**
 * The binned training matrix: each value replaced by its bin, one byte per value when every feature has at most 256
 * histogram slots (else two). A feature's missing values get one extra slot after its value bins. Kept twice:
 * row-major for histograms (a row's features in one cache line) and feature-major for partitioning a node by one
 * feature (measured 2-4x faster on the sparse row sets of deeper nodes).
 */
import type { Cuts } from './quantile.js';

export type Allocate = (bytes: number) => ArrayBufferLike;
export const allocateLocal: Allocate = (bytes) => new ArrayBuffer(bytes);

export interface BinnedMatrix {
  nRows: number;
  nCols: number;
  bins: Uint8Array | Uint16Array;
  /** The same bins feature-major: feature f of row r at f * nRows + r. */
  columns: Uint8Array | Uint16Array;
  /** Histogram slots of feature f: [slotOffset[f], slotOffset[f+1]); the missing slot, if any, is the last. */
  slotOffset: Int32Array;
  totalSlots: number;
  cuts: Cuts;
}

/** Value bins of feature f (its missing slot excluded). */
export const binCount = (cuts: Cuts, f: number): number => cuts.ptrs[f + 1]! - cuts.ptrs[f]!;

export function slotLayout(cuts: Cuts): { slotOffset: Int32Array; maxSlots: number } {
  const nCols = cuts.minValues.length;
  const slotOffset = new Int32Array(nCols + 1);
  let maxSlots = 0;
  for (let f = 0; f < nCols; f++) {
    const slots = binCount(cuts, f) + cuts.hasMissing[f]!;
    slotOffset[f + 1] = slotOffset[f]! + slots;
    maxSlots = Math.max(maxSlots, slots);
  }
  return { slotOffset, maxSlots };
}

const BUCKET_SHIFT = 16;
const BLOCK_ROWS = 256;

/**
 * Per feature, a table from the top 16 bits of a value's order-preserving float32 key to the number of cuts with a
 * smaller top: a value's bin is then that count plus a short scan, instead of a binary search (measured 4x faster;
 * 16 bits rather than 14: 1.5x faster again, the scans being shorter).
 */
function bucketTables(cuts: Cuts): Uint16Array[] {
  const keys = new Uint32Array(new Float32Array(cuts.values).buffer);
  return Array.from(cuts.minValues, (_, f) => {
    const lo = cuts.ptrs[f]!;
    const nb = cuts.ptrs[f + 1]! - lo;
    const table = new Uint16Array(1 << (32 - BUCKET_SHIFT));
    let c = 0;
    for (let bucket = 0; bucket < table.length; bucket++) {
      while (c < nb - 1 && orderKey(keys[lo + c]!) >>> BUCKET_SHIFT < bucket) c++;
      table[bucket] = c;
    }
    return table;
  });
}

const orderKey = (bits: number): number => (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;

/** Bins rows [rowBegin, rowEnd) of a float32 matrix into `bins` (so that workers can share the job by rows). */
export function binRows(
  features: Float32Array,
  nCols: number,
  cuts: Cuts,
  bins: Uint8Array | Uint16Array,
  columns: Uint8Array | Uint16Array,
  rowBegin: number,
  rowEnd: number,
): void {
  const nRows = columns.length / nCols;
  const { values, ptrs } = cuts;
  const tables = bucketTables(cuts);
  const bits = new Uint32Array(features.buffer, features.byteOffset, features.length);
  // Blocks of rows, feature by feature inside a block: one table hot at a time, the block in cache.
  for (let b0 = rowBegin; b0 < rowEnd; b0 += BLOCK_ROWS) {
    const b1 = Math.min(rowEnd, b0 + BLOCK_ROWS);
    for (let f = 0; f < nCols; f++) {
      const lo = ptrs[f]!;
      const nb = ptrs[f + 1]! - lo;
      // A value at or past the last cut (possible when the quantiles came from a sample) lands in the last bin,
      // as XGBoost's SearchBin clamps it; a missing value takes the slot after the value bins.
      const last = nb - 1;
      const table = tables[f]!;
      for (let r = b0, i = b0 * nCols + f, c = f * nRows + b0; r < b1; r++, i += nCols, c++) {
        const x = features[i]!;
        let b = nb;
        if (!Number.isNaN(x)) {
          b = table[orderKey(bits[i]!) >>> BUCKET_SHIFT]!;
          while (b < last && values[lo + b]! <= x) b++;
        }
        bins[i] = b;
        columns[c] = b;
      }
    }
  }
}

/** Allocates and fills the binned matrix (single-threaded; see binRows to split the work). */
export function binMatrix(
  features: Float32Array,
  nRows: number,
  nCols: number,
  cuts: Cuts,
  allocate: Allocate = allocateLocal,
): BinnedMatrix {
  const { slotOffset, maxSlots } = slotLayout(cuts);
  const make = () =>
    maxSlots > 256 ? new Uint16Array(allocate(nRows * nCols * 2)) : new Uint8Array(allocate(nRows * nCols));
  const bins = make();
  const columns = make();
  binRows(features, nCols, cuts, bins, columns, 0, nRows);
  return { nRows, nCols, bins, columns, slotOffset, totalSlots: slotOffset[nCols]!, cuts };
}
