/**
 * A variant that serves: its replica pool, capture and metrics, and how a batch's answers become responses. Replicas
 * write the capture records of the jobs they answered whole (batch-frames.ts); for a job split across replicas the
 * records are written here, in one write for the batch, before any of its responses is sent.
 */
import type { ServerResponse } from 'node:http';
import { CaptureStream } from './capture.js';
import type { CaptureConfig, VariantConfig } from './config.js';
import { errorBody } from './errors.js';
import type { Reply } from './invoker.js';
import type { VariantMetrics } from './metrics.js';
import type { ResolvedModel } from './model-ref.js';
import { type JobSink, type ScoreJob, VariantPool } from './variant-pool.js';

/** One invocation on its way through a replica. */
export interface InvocationJob extends ScoreJob {
  readonly reply: Reply;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const JSON_TYPE = 'application/json';

/** Writes a whole response, naming the variant that answered. A client that went away is skipped. */
export function sendResponse(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  variant?: string,
): void {
  if (res.destroyed || res.headersSent) return;
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const headers: Record<string, string | number> = { 'content-type': type, 'content-length': length };
  if (variant !== undefined) {
    headers['x-flywheel-invoked-variant'] = variant;
    headers['x-amzn-invoked-production-variant'] = variant;
  }
  res.writeHead(status, headers);
  res.end(body);
}

export interface LiveVariantOptions {
  endpoint: string;
  config: VariantConfig;
  model: ResolvedModel;
  capture: CaptureConfig;
  captureRoot: string;
  metrics: VariantMetrics;
  startTimeoutMs: number;
  stopGraceMs: number;
  batchTimeoutMs: number;
  log: (message: string) => void;
}

export class LiveVariant implements JobSink<InvocationJob> {
  readonly name: string;
  readonly weight: number;
  readonly metrics: VariantMetrics;
  /** Whether invocations are sampled for capture (the sampling itself: `sample`). */
  readonly capture: CaptureStream | null;
  #pool: VariantPool<InvocationJob> | undefined;
  /** Capture records lost to a failed write, here or in a replica: counted and logged, never failing a request. */
  readonly #captureLost: (count: number, message: string) => void;

  private constructor(options: LiveVariantOptions) {
    this.name = options.config.name;
    this.weight = options.config.weight;
    this.metrics = options.metrics;
    this.#captureLost = (count, message) => {
      options.metrics.captureErrors += count;
      options.log(`endpoint ${options.endpoint}/${this.name}: ${count} capture records lost: ${message}`);
    };
    this.capture = options.capture.enabled
      ? new CaptureStream({
          root: options.captureRoot,
          endpoint: options.endpoint,
          variant: this.name,
          config: options.capture,
          onError: (error, count) => this.#captureLost(count, error.message),
        })
      : null;
  }

  /** Starts the variant's replicas; resolves once every one passed its health check. */
  static async start(options: LiveVariantOptions): Promise<LiveVariant> {
    const variant = new LiveVariant(options);
    variant.#pool = await VariantPool.start(
      {
        label: `${options.endpoint}/${variant.name}`,
        model: options.model,
        replicas: options.config.replicas,
        startTimeoutMs: options.startTimeoutMs,
        stopGraceMs: options.stopGraceMs,
        batchTimeoutMs: options.batchTimeoutMs,
        log: options.log,
        capture: options.capture.enabled
          ? { root: options.captureRoot, endpoint: options.endpoint, variant: variant.name, config: options.capture }
          : null,
        onCaptureLost: variant.#captureLost,
      },
      variant,
    );
    return variant;
  }

  get pool(): VariantPool<InvocationJob> {
    return this.#pool!;
  }

  deliver(jobs: InvocationJob[]): void {
    for (const job of jobs) {
      const { status, body } = job.answer!;
      if (status !== 200 || job.capture === null || job.capturedByReplica || this.capture === null) continue;
      const csv = job.format === 'csv';
      this.capture.add(
        { contentType: job.capture.contentType, data: job.body.toString('utf8'), encoding: csv ? 'CSV' : 'JSON' },
        { contentType: csv ? CSV_TYPE : JSON_TYPE, data: body.toString(), encoding: csv ? 'CSV' : 'JSON' },
        job.capture.inferenceId,
      );
    }
    this.capture?.flush(); // Before any response of the batch goes out: see capture.ts.
    const now = performance.now();
    for (const job of jobs) {
      const { status, body } = job.answer!;
      const type = status !== 200 ? JSON_TYPE : job.format === 'csv' ? CSV_TYPE : JSON_TYPE;
      job.reply.send(status, type, body, this.name);
      const modelMs = status === 200 ? job.modelMs : 0;
      this.metrics.observe(status, modelMs, Math.max(0, now - job.startedAt - modelMs));
    }
  }

  fail(jobs: InvocationJob[], reason: string): void {
    const body = errorBody('ModelError', reason);
    for (const job of jobs) {
      job.reply.send(503, JSON_TYPE, body, this.name);
      this.metrics.observe(503, 0, 0);
    }
  }

  /** Drains: what was sent is answered, then the replicas stop and the capture file is closed. */
  async stop(): Promise<void> {
    await this.#pool?.stop();
    this.capture?.close();
  }
}
