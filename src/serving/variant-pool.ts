/**
 * The replicas of one variant. Jobs submitted in the same turn of the event loop are coalesced into one message per
 * replica (measured: one IPC message per request halves throughput), each to the replica with the fewest bytes in
 * flight; a large CSV job is split at line boundaries across replicas so they parse and score it in parallel. A
 * replica that dies fails what it held and is replaced, with backoff while replacements keep failing.
 */
import { type BatchAnswer, type BatchRequest, type CaptureRequest, encodeRequests } from './batch-frames.js';
import { errorBody } from './errors.js';
import type { ModelSignature } from './model-loader.js';
import type { ResolvedModel } from './model-ref.js';
import { Replica, type ReplicaBatch, type ReplicaOptions } from './replica-process.js';
import type { ReplicaCapture } from './replica-protocol.js';
import { type BodyFormat, NO_ROWS } from './request-rows.js';

/** One request's body. The pool sets `answer` and `modelMs` before delivering it. */
export interface ScoreJob {
  readonly body: Buffer;
  readonly format: BodyFormat;
  answer: BatchAnswer | null;
  modelMs: number;
  /** Set when the invocation is sampled for capture. */
  readonly capture: CaptureRequest | null;
  /** Set by the pool when the replica writes the capture record (whole jobs); otherwise the sink writes it. */
  capturedByReplica: boolean;
}

/** Where finished jobs go: once per replica answer, so per-batch work (capture writes) is paid once. */
export interface JobSink<J extends ScoreJob> {
  deliver(jobs: J[]): void;
  /** The jobs' replica died: each is answered 5xx with `reason`. */
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
  /** CSV jobs of at least this many bytes are split across replicas (default 64 KiB, ~450 rows of 20 features). */
  splitBytes?: number;
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

/** A job being answered in parts by several replicas. */
interface Split {
  remaining: number;
  answers: (BatchAnswer | undefined)[];
  failed: boolean;
}

interface Piece<J> {
  job: J;
  /** For a part of a split job: its bytes, first line and place among the parts. */
  part: { start: number; end: number; firstLine: number; index: number; split: Split } | null;
}

const LF = 10;

/** Cuts a CSV body into `n` parts of about equal size at line ends, each with the number of its first line. */
function cutLines(body: Buffer, n: number): { start: number; end: number; firstLine: number }[] {
  const parts: { start: number; end: number; firstLine: number }[] = [];
  const size = Math.ceil(body.length / n);
  let line = 1;
  for (let start = 0; start < body.length; ) {
    const cut = parts.length === n - 1 ? -1 : body.indexOf(LF, Math.max(start, (parts.length + 1) * size - 1));
    const end = cut < 0 ? body.length : cut + 1;
    parts.push({ start, end, firstLine: line });
    for (let at = body.indexOf(LF, start); at >= 0 && at < end; at = body.indexOf(LF, at + 1)) line++;
    start = end;
  }
  return parts;
}

/** The whole answer of a split job: the first part's refusal, else every part's predictions in order. */
function joinAnswers(answers: BatchAnswer[]): BatchAnswer {
  const refused = answers.find((a) => a.status !== 200);
  if (refused !== undefined) return refused;
  const body = Buffer.concat(answers.map((a) => (typeof a.body === 'string' ? Buffer.from(a.body) : a.body)));
  if (body.length > 0) return { status: 200, body };
  return { status: 400, body: Buffer.from(errorBody('BadRequest', NO_ROWS)) };
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
    const load = live.map((r) => r.bytesInFlight);
    const least = (): number => load.indexOf(Math.min(...load));
    const splitBytes = this.#options.splitBytes ?? 65_536;
    for (const job of jobs) {
      if (live.length > 1 && job.format === 'csv' && job.body.length >= splitBytes) {
        const cuts = cutLines(job.body, live.length);
        const split: Split = { remaining: cuts.length, answers: [], failed: false };
        cuts.forEach((cut, index) => {
          assigned[index]!.push({ job, part: { ...cut, index, split } });
          load[index]! += cut.end - cut.start;
        });
        continue;
      }
      const k = least();
      assigned[k]!.push({ job, part: null });
      load[k]! += job.body.length;
    }
    live.forEach((replica, k) => {
      if (assigned[k]!.length > 0) replica.send(this.#batch(assigned[k]!));
    });
  }

  #batch(pieces: Piece<J>[]): ReplicaBatch {
    const capturing = this.#options.capture !== null;
    const requests = pieces.map(({ job, part }): BatchRequest => {
      const captured = part === null && capturing && job.capture !== null;
      if (captured) job.capturedByReplica = true;
      return {
        format: job.format,
        body: part === null ? job.body : job.body.subarray(part.start, part.end),
        part: part === null ? null : { firstLine: part.firstLine },
        capture: captured ? job.capture : null,
      };
    });
    return {
      requests: encodeRequests(requests),
      count: requests.length,
      scored: (answers, modelMs) => this.#scored(pieces, answers, modelMs),
      failed: (reason) => this.#failed(pieces, reason),
    };
  }

  #scored(pieces: Piece<J>[], answers: BatchAnswer[], modelMs: number): void {
    const done: J[] = [];
    pieces.forEach(({ job, part }, i) => {
      job.modelMs = Math.max(job.modelMs, modelMs);
      if (part === null) {
        job.answer = answers[i]!;
        done.push(job);
        return;
      }
      part.split.answers[part.index] = answers[i]!;
      if (--part.split.remaining === 0 && !part.split.failed) {
        job.answer = joinAnswers(part.split.answers as BatchAnswer[]);
        done.push(job);
      }
    });
    if (done.length > 0) this.#sink.deliver(done);
    this.#flushQueue();
  }

  #failed(pieces: Piece<J>[], reason: string): void {
    const failed: J[] = [];
    for (const { job, part } of pieces) {
      if (part !== null) {
        part.split.remaining--;
        if (part.split.failed) continue;
        part.split.failed = true;
      }
      failed.push(job);
    }
    if (failed.length > 0) this.#sink.fail(failed, reason);
    this.#flushQueue();
  }
}
