/**
 * The training executor on several threads. The calling thread (itself a worker: Atomics.wait is not allowed on
 * the main thread) posts each job to a shared control block, does share 0, and waits for the helpers' shares.
 * Results cannot depend on the thread count (see gbdt/tree-executor.ts). Jobs too small to pay for waking the
 * helpers run on the calling thread alone.
 */
import { Worker } from 'node:worker_threads';
import {
  addLeafValues,
  betterSplit,
  buildHistograms,
  findBestSplit,
  gradientBlockCount,
  histogramKernel,
  type LeafUpdate,
  type PartitionRequest,
  partitionRows,
  readSplit,
  type Split,
  type SplitRequest,
  type TrainingExecutor,
  type TrainingWork,
} from '../gbdt/index.js';
import { runShare, type ThreadState } from './executor-jobs.js';
import {
  blockLossAt,
  Control,
  type HelperInit,
  Job,
  midsAt,
  type SharedBlocks,
  SPLIT_WORDS,
  share,
  splitResultAt,
  TASK_WORDS,
  TASKS,
} from './executor-protocol.js';

export const allocateShared = (bytes: number): ArrayBufferLike => new SharedArrayBuffer(bytes);

/** Below these sizes a job runs on the calling thread alone (measured: waking a helper costs 20-60 us). */
const MIN_PARALLEL_ROWS = 16_384;
const MIN_PARALLEL_SLOTS = 4096;

export interface ParallelExecutor extends TrainingExecutor {
  close(): void;
}

/** Starts the helper threads for `threads` in all; start them early, they take tens of milliseconds to load. */
export function startHelpers(threads: number): Worker[] {
  return Array.from(
    { length: Math.max(0, threads - 1) },
    () => new Worker(new URL('./training-helper.js', import.meta.url)),
  );
}

/** The executor over `helpers` (from startHelpers), which get the shared buffers now. */
export function createParallelExecutor(work: TrainingWork, helpers: Worker[]): ParallelExecutor {
  const threads = helpers.length + 1;
  const { matrix } = work;
  const nCols = matrix.nCols;
  const nBlocks = gradientBlockCount(work.gradients.nRows);
  const capacity = Math.max(64, Math.floor(work.hist.length / (2 * matrix.totalSlots)));
  const control = new Int32Array(new SharedArrayBuffer((TASKS + capacity * (TASK_WORDS + 1)) * 4));
  const numbers = new Float64Array(
    new SharedArrayBuffer((2 * capacity + capacity * threads * SPLIT_WORDS + nBlocks) * 8),
  );
  const blocks: SharedBlocks = {
    control,
    numbers,
    features: new Int32Array(new SharedArrayBuffer(nCols * 4)),
    capacity,
    threads,
  };
  helpers.forEach((helper, i) => {
    const init: HelperInit = { ...work, blocks, thread: i + 1 };
    helper.postMessage(init);
  });
  const [f0, f1] = share(nCols, 0, threads);
  const own: ThreadState = {
    work,
    blocks,
    thread: 0,
    kernel: histogramKernel(nCols, matrix.slotOffset, f0, f1),
    f0,
    f1,
  };
  const fullKernel = histogramKernel(nCols, matrix.slotOffset, 0, nCols);
  const stride = 2 * matrix.totalSlots;
  let features: Int32Array = new Int32Array(0);
  let gradOffset = 0;
  let ready = false;

  const waitFor = (index: number, target: number, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (let v = Atomics.load(control, index); v < target; v = Atomics.load(control, index)) {
      if (Atomics.load(control, Control.Error) !== 0) throw new Error('a training helper thread failed');
      if (Date.now() > deadline) throw new Error(`training helper threads did not ${what} within ${timeoutMs} ms`);
      Atomics.wait(control, index, v, 200);
    }
  };

  /** Posts the job already written to the control block, does share 0, waits for the rest. */
  const run = (kind: number, count: number) => {
    if (!ready) {
      waitFor(Control.Ready, helpers.length, 'start', 30_000);
      ready = true;
    }
    control[Control.Kind] = kind;
    control[Control.Count] = count;
    Atomics.store(control, Control.Done, 0);
    Atomics.add(control, Control.Generation, 1);
    Atomics.notify(control, Control.Generation);
    runShare(own);
    waitFor(Control.Done, helpers.length, 'finish a job', 600_000);
  };

  const chunks = <T>(items: readonly T[]) =>
    Array.from({ length: Math.ceil(items.length / capacity) }, (_, i) => items.slice(i * capacity, (i + 1) * capacity));
  const setTask = (i: number, values: number[]) => control.set(values, TASKS + i * TASK_WORDS);

  return {
    beginTree(subset, offset) {
      features = subset;
      gradOffset = offset;
      blocks.features.set(subset);
      control[Control.FeatureCount] = subset.length;
      control[Control.GradOffset] = offset;
    },
    histograms(tasks) {
      const rows = tasks.reduce((sum, t) => sum + t.end - t.begin, 0);
      if (rows < MIN_PARALLEL_ROWS) {
        buildHistograms(work, fullKernel, tasks, gradOffset, 0, nCols);
        return;
      }
      for (const chunk of chunks(tasks)) {
        chunk.forEach((t, i) => {
          setTask(i, [t.begin, t.end, t.slot]);
        });
        run(Job.Histograms, chunk.length);
      }
    },
    splits(requests: readonly SplitRequest[]): (Split | null)[] {
      if (requests.length * matrix.totalSlots < MIN_PARALLEL_SLOTS) {
        return requests.map((q) => findBestSplit(matrix, work.hist, q.slot * stride, q.g, q.h, features, work.split));
      }
      const out: (Split | null)[] = [];
      for (const chunk of chunks(requests)) {
        chunk.forEach((q, i) => {
          setTask(i, [q.slot]);
          numbers[2 * i] = q.g;
          numbers[2 * i + 1] = q.h;
        });
        run(Job.Splits, chunk.length);
        chunk.forEach((_, i) => {
          let best: Split | null = null;
          for (let t = 0; t < threads; t++)
            best = betterSplit(best, readSplit(matrix.cuts, numbers, splitResultAt(blocks, i, t)));
          out.push(best);
        });
      }
      return out;
    },
    partition(requests: readonly PartitionRequest[]): number[] {
      const rows = requests.reduce((sum, q) => sum + q.end - q.begin, 0);
      if (rows < MIN_PARALLEL_ROWS) return requests.map((q) => partitionRows(work, q));
      const out: number[] = [];
      for (const chunk of chunks(requests)) {
        const owner = owners(chunk, threads);
        chunk.forEach((q, i) => {
          setTask(i, [q.begin, q.end, q.feature, q.leftMaxBin, q.defaultLeft ? 1 : 0, owner[i]!]);
        });
        run(Job.Partition, chunk.length);
        out.push(...control.subarray(midsAt(blocks), midsAt(blocks) + chunk.length));
      }
      return out;
    },
    addLeaves(leaves: readonly LeafUpdate[], offset: number) {
      const rows = leaves.reduce((sum, leaf) => sum + leaf.end - leaf.begin, 0);
      if (rows < MIN_PARALLEL_ROWS) {
        for (const leaf of leaves) addLeafValues(work, leaf, offset);
        return;
      }
      control[Control.MarginOffset] = offset;
      for (const chunk of chunks(leaves)) {
        const owner = owners(chunk, threads);
        chunk.forEach((leaf, i) => {
          setTask(i, [leaf.begin, leaf.end, 0, 0, 0, owner[i]!]);
          numbers[i] = leaf.value;
        });
        run(Job.Leaves, chunk.length);
      }
    },
    gradients() {
      run(Job.Gradients, nBlocks);
      let loss = 0;
      for (let b = 0; b < nBlocks; b++) loss += numbers[blockLossAt(blocks) + b]!;
      return loss;
    },
    close() {
      Atomics.store(control, Control.Stop, 1);
      Atomics.add(control, Control.Generation, 1);
      Atomics.notify(control, Control.Generation);
      for (const helper of helpers) void helper.terminate();
    },
  };
}

/** Row ranges to threads: largest first to the least loaded thread. */
function owners(ranges: readonly { begin: number; end: number }[], threads: number): Int32Array {
  const span = (i: number) => ranges[i]!.end - ranges[i]!.begin;
  const load = new Float64Array(threads);
  const owner = new Int32Array(ranges.length);
  for (const i of ranges.map((_, k) => k).sort((a, b) => span(b) - span(a))) {
    const t = load.indexOf(Math.min(...load));
    owner[i] = t;
    load[t]! += span(i);
  }
  return owner;
}
