/**
 * Gradient histograms: for the rows of a node, the sums of gradient and hessian per (feature, bin) slot, as
 * interleaved [G, H] doubles. This is where training spends its time, so the inner loop is generated once per
 * (column count, slot layout, feature range) with every feature unrolled and its slot offset a constant: measured
 * 1.05 ns per row-feature against 1.5-2.2 ns for the best hand-written loop on the same data.
 *
 * A deep node's rows are scattered over the matrix, and each row's bins are a cache miss the CPU cannot run ahead
 * of (it is busy with that row's updates). For such nodes the kernel first gathers a chunk of rows (bins, gradient,
 * hessian) into small contiguous buffers with a tight copy loop that keeps many misses in flight, then runs the
 * dense loop over the chunk: measured 7.8 -> 4.8 ns per row-feature at 1/32 of the rows, slower above 1/8.
 */
import type { BinnedMatrix } from './binning.js';

/** Adds the rows[begin, end) to the histogram at `base` (a double offset) for the kernel's feature range. */
export type HistogramKernel = (
  rows: Int32Array,
  begin: number,
  end: number,
  bins: Uint8Array | Uint16Array,
  grad: Float32Array,
  hess: Float32Array,
  gradOffset: number,
  hist: Float64Array,
  base: number,
  gather: boolean,
) => void;

/** Nodes with fewer rows than this share of the matrix are gathered first. */
export const GATHER_BELOW = 1 / 8;
const CHUNK = 2048;

/** The histograms of nodes to build: each node's rows are rows[begin, end) of the shared row order. */
export interface HistogramTask {
  begin: number;
  end: number;
  slot: number;
}

/** Everything a histogram build reads and writes; the arrays may live in shared memory. */
export interface HistogramData {
  matrix: BinnedMatrix;
  rows: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  hist: Float64Array;
}

const UNROLL_LIMIT = 160;

/** The generated kernel for features [f0, f1) of rows with nCols columns (a plain loop past 160 features). */
export function histogramKernel(nCols: number, slotOffset: Int32Array, f0: number, f1: number): HistogramKernel {
  if (f1 - f0 > UNROLL_LIMIT) return genericKernel(nCols, slotOffset, f0, f1);
  const width = f1 - f0;
  let dense = '';
  let direct = '';
  let copy = '';
  for (let f = f0; f < f1; f++) {
    const at = 2 * slotOffset[f]!;
    direct += `k = base + ${at} + (bins[p + ${f}] << 1); hist[k] += g; hist[k + 1] += h;\n`;
    dense += `k = base + ${at} + (cb[p + ${f - f0}] << 1); hist[k] += g; hist[k + 1] += h;\n`;
    copy += `cb[d + ${f - f0}] = bins[s + ${f}]; `;
  }
  // The generated source holds integer constants only (no caller-provided text).
  const make = new Function(
    'cb',
    'cg',
    'ch',
    `return (rows, begin, end, bins, grad, hess, gradOffset, hist, base, gather) => {
  let k = 0;
  if (!gather) {
    for (let i = begin; i < end; i++) {
      const r = rows[i];
      const g = grad[gradOffset + r];
      const h = hess[gradOffset + r];
      const p = r * ${nCols};
${direct}    }
    return;
  }
  for (let i0 = begin; i0 < end; i0 += ${CHUNK}) {
    const m = Math.min(${CHUNK}, end - i0);
    for (let j = 0; j < m; j++) {
      const r = rows[i0 + j];
      const s = r * ${nCols};
      const d = j * ${width};
      ${copy}
      cg[j] = grad[gradOffset + r];
      ch[j] = hess[gradOffset + r];
    }
    for (let j = 0; j < m; j++) {
      const g = cg[j];
      const h = ch[j];
      const p = j * ${width};
${dense}    }
  }
};`,
  );
  return make(new Uint16Array(CHUNK * width), new Float64Array(CHUNK), new Float64Array(CHUNK)) as HistogramKernel;
}

function genericKernel(nCols: number, slotOffset: Int32Array, f0: number, f1: number): HistogramKernel {
  const offsets = Int32Array.from({ length: f1 - f0 }, (_, j) => 2 * slotOffset[f0 + j]!);
  return (rows, begin, end, bins, grad, hess, gradOffset, hist, base) => {
    for (let i = begin; i < end; i++) {
      const r = rows[i]!;
      const g = grad[gradOffset + r]!;
      const h = hess[gradOffset + r]!;
      const p = r * nCols + f0;
      for (let j = 0; j < offsets.length; j++) {
        const k = base + offsets[j]! + (bins[p + j]! << 1);
        hist[k]! += g;
        hist[k + 1]! += h;
      }
    }
  };
}

/** Builds the given nodes' histograms for features [f0, f1) (zeroing those slots first). */
export function buildHistograms(
  data: HistogramData,
  kernel: HistogramKernel,
  tasks: readonly HistogramTask[],
  gradOffset: number,
  f0: number,
  f1: number,
): void {
  const { matrix, rows, grad, hess, hist } = data;
  const gatherBelow = matrix.nRows * GATHER_BELOW;
  const slotBegin = 2 * matrix.slotOffset[f0]!;
  const slotEnd = 2 * matrix.slotOffset[f1]!;
  const stride = 2 * matrix.totalSlots;
  for (const task of tasks) {
    const base = task.slot * stride;
    hist.fill(0, base + slotBegin, base + slotEnd);
    const gather = task.end - task.begin < gatherBelow;
    kernel(rows, task.begin, task.end, matrix.bins, grad, hess, gradOffset, hist, base, gather);
  }
}

/** parent <- parent - child over every slot: the larger child's histogram without reading its rows. */
export function subtractHistogram(hist: Float64Array, parentSlot: number, childSlot: number, totalSlots: number): void {
  const stride = 2 * totalSlots;
  const p = parentSlot * stride;
  const c = childSlot * stride;
  for (let i = 0; i < stride; i++) hist[p + i]! -= hist[c + i]!;
}
