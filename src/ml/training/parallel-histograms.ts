/**
 * Shares histogram building among worker threads: each thread owns a contiguous range of features and builds those
 * slots of every requested node over the same rows, so the sums (and so the model) are identical whatever the
 * thread count. The calling thread (itself a worker: Atomics.wait is not allowed on the main thread) takes the first
 * range; helpers wait on a shared control block and are released by a generation counter.
 */
import { Worker } from 'node:worker_threads';
import {
  buildHistograms,
  type HistogramBuilder,
  type HistogramData,
  type HistogramTask,
  histogramKernel,
} from '../gbdt/index.js';
import { Control, type HelperData, TASKS } from './histogram-control.js';

export interface ParallelHistograms {
  builder: HistogramBuilder;
  close(): void;
}

export const allocateShared = (bytes: number): ArrayBufferLike => new SharedArrayBuffer(bytes);

/** Feature ranges for `threads` threads, as even as the count allows. */
export function featureRanges(nCols: number, threads: number): [number, number][] {
  const parts = Math.max(1, Math.min(threads, nCols));
  return Array.from({ length: parts }, (_, i) => [Math.floor((i * nCols) / parts), Math.floor(((i + 1) * nCols) / parts)]);
}

export function createParallelHistograms(data: HistogramData, threads: number): ParallelHistograms {
  const { matrix } = data;
  const maxTasks = Math.floor(data.hist.length / (2 * matrix.totalSlots));
  const control = new Int32Array(new SharedArrayBuffer((TASKS + 3 * maxTasks) * 4));
  const ranges = featureRanges(matrix.nCols, threads);
  const [own, ...others] = ranges;
  const helpers = others.map(([f0, f1]) => {
    const helperData: HelperData = {
      control,
      bins: matrix.bins,
      nCols: matrix.nCols,
      slotOffset: matrix.slotOffset,
      totalSlots: matrix.totalSlots,
      rows: data.rows,
      grad: data.grad,
      hess: data.hess,
      hist: data.hist,
      f0,
      f1,
    };
    return new Worker(new URL('./histogram-worker.js', import.meta.url), { workerData: helperData });
  });
  const kernel = histogramKernel(matrix.nCols, matrix.slotOffset, own![0], own![1]);
  let ready = false;

  const waitFor = (index: number, target: number, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (let v = Atomics.load(control, index); v < target; v = Atomics.load(control, index)) {
      if (Atomics.load(control, Control.Error) !== 0) throw new Error('a histogram worker thread failed');
      if (Date.now() > deadline) throw new Error(`histogram worker threads did not ${what} within ${timeoutMs} ms`);
      Atomics.wait(control, index, v, 200);
    }
  };

  const builder: HistogramBuilder = {
    build(tasks: readonly HistogramTask[], gradOffset: number) {
      if (!ready) {
        waitFor(Control.Ready, helpers.length, 'start', 30_000);
        ready = true;
      }
      if (tasks.length > maxTasks) throw new RangeError(`at most ${maxTasks} histogram tasks at once`);
      tasks.forEach((t, i) => {
        control[TASKS + 3 * i] = t.begin;
        control[TASKS + 3 * i + 1] = t.end;
        control[TASKS + 3 * i + 2] = t.slot;
      });
      control[Control.Count] = tasks.length;
      control[Control.GradOffset] = gradOffset;
      Atomics.store(control, Control.Done, 0);
      Atomics.add(control, Control.Generation, 1);
      Atomics.notify(control, Control.Generation);
      buildHistograms(data, kernel, tasks, gradOffset, own![0], own![1]);
      waitFor(Control.Done, helpers.length, 'finish', 600_000);
    },
  };
  return {
    builder,
    close() {
      Atomics.store(control, Control.Stop, 1);
      Atomics.add(control, Control.Generation, 1);
      Atomics.notify(control, Control.Generation);
      for (const helper of helpers) void helper.terminate();
    },
  };
}
