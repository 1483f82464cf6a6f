/**
 * The work of growing trees, as an interface with a single-threaded implementation here and a multi-threaded one
 * at the I/O edge (training/parallel-executor.ts). Every operation is defined so that splitting it among threads
 * cannot change a result: histograms by feature (each slot summed by one thread in row order), split search by
 * feature with ties going to the lower feature, partitions by node, gradients by fixed blocks of rows.
 */
import type { BinnedMatrix } from './binning.js';
import { buildHistograms, type HistogramTask, histogramKernel } from './histogram.js';
import { computeGradientBlocks, GRADIENT_BLOCK, type GradientInput } from './objectives.js';
import { findBestSplit, type Split, type SplitParams } from './split.js';

/** Everything the work reads and writes; in shared memory when threads share it. */
export interface TrainingWork {
  matrix: BinnedMatrix;
  /** Row order: each node owns a contiguous range. */
  rows: Int32Array;
  /** Partition scratch, used at the same positions as `rows`. */
  scratch: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  hist: Float64Array;
  gradients: GradientInput;
  split: SplitParams;
}

export interface SplitRequest {
  slot: number;
  g: number;
  h: number;
}

export interface PartitionRequest {
  begin: number;
  end: number;
  feature: number;
  leftMaxBin: number;
  defaultLeft: boolean;
}

/** A leaf's rows (rows[begin, end)) and its value, to add to the training margins. */
export interface LeafUpdate {
  begin: number;
  end: number;
  value: number;
}

export interface TrainingExecutor {
  /** Fixes the feature subset and gradient offset (the class) for the next tree. */
  beginTree(features: Int32Array, gradOffset: number): void;
  histograms(tasks: readonly HistogramTask[]): void;
  splits(requests: readonly SplitRequest[]): (Split | null)[];
  /** Partitions each request's rows in place; returns where each right child's rows start. */
  partition(requests: readonly PartitionRequest[]): number[];
  /** Gradients at the current margins; returns the summed loss. */
  gradients(): number;
  /** margins[offset + row] += value for every row of every leaf (leaves own disjoint rows). */
  addLeaves(leaves: readonly LeafUpdate[], offset: number): void;
}

export function addLeafValues(work: TrainingWork, leaf: LeafUpdate, offset: number): void {
  const { rows } = work;
  const margins = work.gradients.margins;
  const { value } = leaf;
  for (let i = leaf.begin; i < leaf.end; i++) margins[offset + rows[i]!]! += value;
}

/**
 * Stable in-place partition of rows[begin, end) by one split; returns where the right child's rows start.
 * Branch-free (each row is written to both sides and one cursor advances): measured 3-4x faster than an if/else,
 * whose branch the CPU cannot predict. Reads the feature-major bins.
 */
export function partitionRows(work: TrainingWork, req: PartitionRequest): number {
  const { rows, scratch, matrix } = work;
  const { begin, end, feature: f, leftMaxBin: maxBin } = req;
  const column = matrix.columns.subarray(f * matrix.nRows, (f + 1) * matrix.nRows);
  // The missing slot is the bin after the value bins (the largest bin value): bin >= missingFrom goes left too.
  const missingFrom = req.defaultLeft ? matrix.cuts.ptrs[f + 1]! - matrix.cuts.ptrs[f]! : 1 << 20;
  let l = begin;
  let r = begin;
  for (let i = begin; i < end; i++) {
    const row = rows[i]!;
    const bin = column[row]!;
    const left = (((maxBin - bin) >>> 31) ^ 1) | ((missingFrom - 1 - bin) >>> 31);
    rows[l] = row;
    scratch[r] = row;
    l += left;
    r += left ^ 1;
  }
  rows.set(scratch.subarray(begin, r), l);
  return l;
}

export const gradientBlockCount = (nRows: number) => Math.ceil(nRows / GRADIENT_BLOCK);

export function localExecutor(work: TrainingWork): TrainingExecutor {
  const { matrix, hist } = work;
  const nCols = matrix.nCols;
  const kernel = histogramKernel(nCols, matrix.slotOffset, 0, nCols);
  const stride = 2 * matrix.totalSlots;
  const blockLoss = new Float64Array(gradientBlockCount(work.gradients.nRows));
  let features: Int32Array = new Int32Array(0);
  let gradOffset = 0;
  return {
    beginTree(f, offset) {
      features = f;
      gradOffset = offset;
    },
    histograms: (tasks) => buildHistograms(work, kernel, tasks, gradOffset, 0, nCols),
    splits: (requests) =>
      requests.map((q) => findBestSplit(matrix, hist, q.slot * stride, q.g, q.h, features, work.split)),
    partition: (requests) => requests.map((q) => partitionRows(work, q)),
    addLeaves(leaves, offset) {
      for (const leaf of leaves) addLeafValues(work, leaf, offset);
    },
    gradients() {
      computeGradientBlocks(work.gradients, 0, blockLoss.length, blockLoss);
      let loss = 0;
      for (let b = 0; b < blockLoss.length; b++) loss += blockLoss[b]!;
      return loss;
    },
  };
}
