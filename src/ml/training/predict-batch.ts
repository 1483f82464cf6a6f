/**
 * Batch prediction on several threads: the rows (in shared memory) are split in contiguous ranges; the calling
 * thread scores the first range while helper threads score the rest into a shared output.
 */
import { Worker } from 'node:worker_threads';
import { type Model, outputGroups, type PredictOptions, predictMargins, transformMargins } from '../gbdt/index.js';

export interface BatchOptions extends PredictOptions {
  threads?: number;
  /** Raw margins instead of predictions in the objective's output space. */
  outputMargin?: boolean;
}

export interface PredictJob {
  model: Model;
  rows: Float32Array;
  nCols: number;
  r0: number;
  r1: number;
  out: Float64Array;
  rounds?: number | undefined;
}

/** Scores rows [r0, r1) of a job into its output (row-major, one value per output group). */
export function runPredictJob(job: PredictJob): void {
  const groups = outputGroups(job.model);
  const slice = job.rows.subarray(job.r0 * job.nCols, job.r1 * job.nCols);
  const options = job.rounds === undefined ? {} : { rounds: job.rounds };
  job.out.set(predictMargins(job.model, slice, job.r1 - job.r0, job.nCols, options), job.r0 * groups);
}

/**
 * Helper threads for batch prediction, started on first use and kept, so a call pays neither thread start-up nor
 * module loading. A helper holds the process open only while it has a job (ref'd then, unref'd when idle).
 */
const pool: Worker[] = [];
let nextJob = 0;
const pending = new Map<number, { worker: Worker; resolve: () => void; reject: (error: Error) => void }>();

function helper(i: number): Worker {
  while (pool.length <= i) {
    const worker = new Worker(new URL('./predict-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (message: { id: number; error?: string }) => {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (![...pending.values()].some((p) => p.worker === worker)) worker.unref();
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve();
    });
    worker.on('error', (error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
      pool.splice(pool.indexOf(worker), 1);
    });
    pool.push(worker);
  }
  return pool[i]!;
}

function runOnHelper(i: number, job: PredictJob): Promise<void> {
  const id = nextJob++;
  const worker = helper(i);
  worker.ref();
  return new Promise<void>((resolve, reject) => {
    pending.set(id, { worker, resolve, reject });
    worker.postMessage({ id, job });
  });
}

/**
 * Margins or predictions for nRows rows, row-major; several threads when `threads` > 1 and rows are many. Rows in a
 * SharedArrayBuffer are scored in place; others are copied into one first.
 */
export async function predictBatch(
  model: Model,
  rows: Float32Array,
  nRows: number,
  nCols: number,
  options: BatchOptions = {},
): Promise<Float64Array> {
  const groups = outputGroups(model);
  const threads = Math.max(1, Math.min(options.threads ?? 1, Math.ceil(nRows / 8192)));
  let margins: Float64Array;
  if (threads === 1) {
    margins = predictMargins(model, rows, nRows, nCols, options);
  } else {
    const shared = rows.buffer instanceof SharedArrayBuffer ? rows : copyToShared(rows, nRows * nCols);
    margins = new Float64Array(new SharedArrayBuffer(nRows * groups * 8));
    const bounds = Array.from({ length: threads + 1 }, (_, i) => Math.floor((i * nRows) / threads));
    const jobs = bounds.slice(1).map((r1, i): PredictJob => {
      return { model, rows: shared, nCols, r0: bounds[i]!, r1, out: margins, rounds: options.rounds };
    });
    const helpers = jobs.slice(1).map((job, i) => runOnHelper(i, job));
    runPredictJob(jobs[0]!);
    await Promise.all(helpers);
  }
  return options.outputMargin ? margins : transformMargins(model.objective, margins, groups);
}

function copyToShared(rows: Float32Array, length: number): Float32Array {
  const shared = new Float32Array(new SharedArrayBuffer(length * 4));
  shared.set(rows.subarray(0, length));
  return shared;
}
