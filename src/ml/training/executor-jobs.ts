/** One thread's share of a posted job: the same code runs on the training thread and on every helper. */
import {
  addLeafValues,
  buildHistograms,
  computeGradientBlocks,
  findBestSplit,
  type HistogramKernel,
  type HistogramTask,
  partitionRows,
  type TrainingWork,
  writeSplit,
} from '../gbdt/index.js';
import {
  blockLossAt,
  Control,
  Job,
  midsAt,
  type SharedBlocks,
  share,
  splitResultAt,
  TASK_WORDS,
  TASKS,
} from './executor-protocol.js';

export interface ThreadState {
  work: TrainingWork;
  blocks: SharedBlocks;
  thread: number;
  /** The kernel for this thread's feature range [f0, f1) of the histograms. */
  kernel: HistogramKernel;
  f0: number;
  f1: number;
}

export function runShare(s: ThreadState): void {
  const { work, blocks, thread } = s;
  const { control, numbers } = blocks;
  const count = control[Control.Count]!;
  const task = (i: number, k: number) => control[TASKS + i * TASK_WORDS + k]!;
  switch (control[Control.Kind]) {
    case Job.Histograms: {
      const tasks: HistogramTask[] = [];
      for (let i = 0; i < count; i++) tasks.push({ begin: task(i, 0), end: task(i, 1), slot: task(i, 2) });
      buildHistograms(work, s.kernel, tasks, control[Control.GradOffset]!, s.f0, s.f1);
      return;
    }
    case Job.Splits: {
      const n = control[Control.FeatureCount]!;
      const [j0, j1] = share(n, thread, blocks.threads);
      const features = blocks.features.subarray(0, n);
      const stride = 2 * work.matrix.totalSlots;
      for (let i = 0; i < count; i++) {
        const g = numbers[2 * i]!;
        const h = numbers[2 * i + 1]!;
        const best = findBestSplit(work.matrix, work.hist, task(i, 0) * stride, g, h, features, work.split, j0, j1);
        writeSplit(best, numbers, splitResultAt(blocks, i, thread));
      }
      return;
    }
    case Job.Partition: {
      const mids = midsAt(blocks);
      for (let i = 0; i < count; i++) {
        if (task(i, 5) !== thread) continue;
        const request = { begin: task(i, 0), end: task(i, 1), feature: task(i, 2), leftMaxBin: task(i, 3) };
        control[mids + i] = partitionRows(work, { ...request, defaultLeft: task(i, 4) === 1 });
      }
      return;
    }
    case Job.Leaves: {
      const offset = control[Control.MarginOffset]!;
      for (let i = 0; i < count; i++) {
        if (task(i, 5) === thread)
          addLeafValues(work, { begin: task(i, 0), end: task(i, 1), value: numbers[i]! }, offset);
      }
      return;
    }
    case Job.Gradients: {
      const [b0, b1] = share(count, thread, blocks.threads);
      const losses = numbers.subarray(blockLossAt(blocks), blockLossAt(blocks) + count);
      computeGradientBlocks(work.gradients, b0, b1, losses);
      return;
    }
  }
}
