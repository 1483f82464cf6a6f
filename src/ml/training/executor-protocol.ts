/** The shared-memory protocol between the training thread and its helper threads (see parallel-executor.ts). */
import type { TrainingWork } from '../gbdt/index.js';

export const Control = {
  Generation: 0,
  Done: 1,
  Kind: 2,
  Count: 3,
  GradOffset: 4,
  /** Where a Leaves job adds: the margin offset of the tree's class. */
  MarginOffset: 9,
  Stop: 5,
  Error: 6,
  Ready: 7,
  FeatureCount: 8,
} as const;

export const Job = { Histograms: 1, Splits: 2, Partition: 3, Gradients: 4, Leaves: 5 } as const;

/** Int32 words per request in the task area, and where the area starts. */
export const TASK_WORDS = 6;
export const TASKS = 16;
/** Float64 words per split result. */
export const SPLIT_WORDS = 8;

export interface SharedBlocks {
  /** Control words, then `capacity` tasks of TASK_WORDS, then `capacity` partition results. */
  control: Int32Array;
  /** Requests' (g, h) or leaves' values, then per request and thread a split result, then the blocks' losses. */
  numbers: Float64Array;
  /** The current tree's feature subset. */
  features: Int32Array;
  capacity: number;
  threads: number;
}

/** What a helper thread is given: the shared training work plus its own slot in the shared blocks. */
export interface HelperInit extends TrainingWork {
  blocks: SharedBlocks;
  thread: number;
}

export const splitResultAt = (blocks: SharedBlocks, request: number, thread: number) =>
  2 * blocks.capacity + (request * blocks.threads + thread) * SPLIT_WORDS;
export const blockLossAt = (blocks: SharedBlocks) =>
  2 * blocks.capacity + blocks.capacity * blocks.threads * SPLIT_WORDS;
export const midsAt = (blocks: SharedBlocks) => TASKS + blocks.capacity * TASK_WORDS;

/** [begin, end) of share `t` of `n` items among `threads`. */
export const share = (n: number, t: number, threads: number): [number, number] => [
  Math.floor((t * n) / threads),
  Math.floor(((t + 1) * n) / threads),
];
