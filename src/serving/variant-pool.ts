/**
 * The replicas of one variant. Jobs submitted in the same turn of the event loop are coalesced into one message per
 * replica (measured: one IPC message per request halves throughput), each to the replica with the fewest rows in
 * flight; a large job is split across replicas so they score it in parallel. A replica that dies fails what it held
 * and is replaced, with backoff while replacements keep failing.
 */
import { type CaptureEntry, type CaptureRequest, encodeCaptures } from './capture-frames.js';
import type { ModelSignature } from './model-loader.js';
import type { ResolvedModel } from './model-ref.js';
import { Replica, type ReplicaBatch, type ReplicaOptions } from './replica-process.js';
import type { ReplicaCapture } from './replica-protocol.js';

/** One request's rows. The pool sets `values` (`signature.outputs` per row) and `modelMs` before delivering it. */
export interface ScoreJob {
  readonly rows: Float32Array;
  readonly nRows: number;
  values: Float64Array | null;
  modelMs: number;
  /** Set when the invocation is sampled for capture. */
  readonly capture: CaptureRequest | null;
  /** Set by the pool when the replica writes the capture record (whole jobs); otherwise the sink writes it. */
  capturedByReplica: boolean;
}

/** Where finished jobs go: once per replica answer, so per-batch work (capture writes) is paid once. */
export interface JobSink<J extends ScoreJob> {
  deliver(jobs: J[]): void;
  /** The jobs' replica died or the model threw: each is answered 5xx with `reason`. */
  fail(jobs: J[], reason: string): void;
}

export interface VariantPoolOptions {
  /** `endpoint/variant`, for messages. */
  label: string;
  model: ResolvedModel;
  replicas: number;
  startTimeoutMs: number;
  stopGraceMs: number;
  log: (message: string) => void;
  /** Jobs of at least this many rows are split across replicas (default 2048). */
  splitRows?: number;
  /**
   * Batches a replica may hold before more work waits in the queue (default 1). While a replica scores, requests
   * pile up and go out as one message when it answers: fewer, larger messages, and no added latency when idle.
   */
  maxBatchesInFlight?: number;
  /** Where replicas write the capture records of sampled jobs; null when capture is off. */
  capture: ReplicaCapture | null;
  /** A replica could not write `count` capture records. */
  onCaptureLost: (count: number, message: string) => void;
  /** A replica that holds a batch this long without answering is killed and replaced (default 60 s). */
  batchTimeoutMs?: number;
}

const replicaOptions = (o: VariantPoolOptions): ReplicaOptions => ({
  model: o.model,
  label: o.label,
  timeoutMs: o.startTimeoutMs,
  capture: o.capture,
  onCaptureLost: o.onCaptureLost,
});

/** A job being scored in pieces on several replicas. */
interface Split {
  remaining: number;
  values: Float64Array | null;
  failed: boolean;
}

interface Piece<J> {
  job: J;
  first: number;
  count: number;
  split: Split | null;
}

export class VariantPool<J extends ScoreJob> {
  readonly signature: ModelSignature;
  readonly #options: VariantPoolOptions;
  readonly #sink: JobSink<J>;
  readonly #replicas: Replica[] = [];
  #queue: J[] = [];
  #scheduled = false;
  #stopping = false;
  #backoffMs = 0;
  readonly #flush = (): void => this.#flushQueue();
  readonly #watchdog: NodeJS.Timeout;

  private constructor(options: VariantPoolOptions, sink: JobSink<J>, signature: ModelSignature) {
    this.#options = options;
    this.#sink = sink;
    this.signature = signature;
    // A hung model (an endless loop) is not a dead process: kill it so its requests get their 503 and it is replaced.
    const timeout = options.batchTimeoutMs ?? 60_000;
    this.#watchdog = setInterval(
      () => {
        const now = performance.now();
        for (const r of this.#replicas) {
          if (r.oldestBatchMs(now) <= timeout) continue;
          options.log(`endpoint ${options.label}: replica pid ${r.pid} held a batch over ${timeout} ms; killing it`);
          r.kill();
        }
      },
      Math.min(1000, timeout),
    ).unref();
  }

  /** Starts every replica; rejects (stopping the ones that came up) unless all pass their health check. */
  static async start<J extends ScoreJob>(options: VariantPoolOptions, sink: JobSink<J>): Promise<VariantPool<J>> {
    const started = await Promise.allSettled(
      Array.from({ length: options.replicas }, () => Replica.start(replicaOptions(options))),
    );
    const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure !== undefined || up.length === 0) {
      await Promise.all(up.map((s) => s.replica.stop(0)));
      throw failure?.reason ?? new Error(`${options.label}: no replica started`);
    }
    const pool = new VariantPool(options, sink, up[0]!.signature);
    for (const { replica } of up) pool.#adopt(replica);
    return pool;
  }

  get replicasUp(): number {
    return this.#replicas.length;
  }

  pids(): number[] {
    return this.#replicas.map((r) => r.pid);
  }

  submit(job: J): void {
    this.#queue.push(job);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Sends what is queued, lets the replicas finish what they hold, then stops them; nothing is replaced after. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#watchdog);
    this.#flushQueue();
    await Promise.all(this.#replicas.map((r) => r.stop(this.#options.stopGraceMs)));
  }

  #adopt(replica: Replica): void {
    this.#replicas.push(replica);
    this.#flushQueue();
    replica.onExit((how) => {
      this.#replicas.splice(this.#replicas.indexOf(replica), 1);
      this.#flushQueue(); // Queued work goes to the others, or is answered 503 if none is left.
      if (this.#stopping) return;
      this.#options.log(`endpoint ${this.#options.label}: replica pid ${replica.pid} ${how}; starting a replacement`);
      this.#replace();
    });
  }

  #replace(): void {
    const delay = this.#backoffMs;
    setTimeout(() => {
      if (this.#stopping) return;
      Replica.start(replicaOptions(this.#options)).then(
        ({ replica }) => {
          this.#backoffMs = 0;
          if (this.#stopping) void replica.stop(0);
          else this.#adopt(replica);
        },
        (error: Error) => {
          this.#backoffMs = Math.min(30_000, Math.max(1000, this.#backoffMs * 2));
          this.#options.log(`endpoint ${this.#options.label}: ${error.message}; retrying in ${this.#backoffMs} ms`);
          this.#replace();
        },
      );
    }, delay).unref();
  }

  #flushQueue(): void {
    this.#scheduled = false;
    const jobs = this.#queue;
    if (jobs.length === 0) return;
    if (this.#replicas.length === 0) {
      this.#queue = [];
      this.#sink.fail(jobs, `no replica of ${this.#options.label} is up; a replacement is starting`);
      return;
    }
    const limit = this.#stopping ? Number.POSITIVE_INFINITY : (this.#options.maxBatchesInFlight ?? 1);
    const live = this.#replicas.filter((r) => r.alive && r.batchesInFlight < limit);
    if (live.length === 0) return; // The next answer flushes.
    this.#queue = [];
    const assigned = live.map(() => [] as Piece<J>[]);
    const load = live.map((r) => r.rowsInFlight);
    const least = (): number => load.indexOf(Math.min(...load));
    const splitRows = this.#options.splitRows ?? 2048;
    for (const job of jobs) {
      if (live.length > 1 && job.nRows >= splitRows) {
        const split: Split = { remaining: live.length, values: null, failed: false };
        const per = Math.ceil(job.nRows / live.length);
        for (let k = 0, first = 0; k < live.length; k++, first += per) {
          const count = Math.max(0, Math.min(per, job.nRows - first));
          assigned[k]!.push({ job, first, count, split });
          load[k]! += count;
        }
        continue;
      }
      const k = least();
      assigned[k]!.push({ job, first: 0, count: job.nRows, split: null });
      load[k]! += job.nRows;
    }
    live.forEach((replica, k) => {
      if (assigned[k]!.length > 0) replica.send(this.#batch(assigned[k]!));
    });
  }

  #batch(pieces: Piece<J>[]): ReplicaBatch {
    const nCols = this.signature.numFeatures;
    const nRows = pieces.reduce((sum, p) => sum + p.count, 0);
    const only = pieces.length === 1 && pieces[0]!.split === null ? pieces[0]!.job : undefined;
    const rows = only?.rows ?? new Float32Array(nRows * nCols);
    const captures: CaptureEntry[] = [];
    let at = 0;
    for (const p of pieces) {
      if (only === undefined) rows.set(p.job.rows.subarray(p.first * nCols, (p.first + p.count) * nCols), at * nCols);
      if (p.job.capture !== null && p.split === null && this.#options.capture !== null) {
        captures.push({ first: at, rows: p.count, request: p.job.capture });
        p.job.capturedByReplica = true;
      }
      at += p.count;
    }
    return {
      rows,
      nRows,
      captures: captures.length > 0 ? encodeCaptures(captures) : null,
      scored: (values, modelMs) => this.#scored(pieces, values, modelMs),
      failed: (reason) => this.#failed(pieces, reason),
    };
  }

  #scored(pieces: Piece<J>[], values: Float64Array, modelMs: number): void {
    const outputs = this.signature.outputs;
    const done: J[] = [];
    let at = 0;
    for (const { job, first, count, split } of pieces) {
      const part = values.subarray(at * outputs, (at + count) * outputs);
      at += count;
      if (split === null) {
        job.values = part;
        job.modelMs = modelMs;
        done.push(job);
        continue;
      }
      split.values ??= new Float64Array(job.nRows * outputs);
      split.values.set(part, first * outputs);
      job.modelMs = Math.max(job.modelMs, modelMs);
      if (--split.remaining === 0 && !split.failed) {
        job.values = split.values;
        done.push(job);
      }
    }
    if (done.length > 0) this.#sink.deliver(done);
    this.#flushQueue();
  }

  #failed(pieces: Piece<J>[], reason: string): void {
    const failed: J[] = [];
    for (const { job, split } of pieces) {
      if (split !== null) {
        split.remaining--;
        if (split.failed) continue;
        split.failed = true;
      }
      failed.push(job);
    }
    if (failed.length > 0) this.#sink.fail(failed, reason);
    this.#flushQueue();
  }
}
