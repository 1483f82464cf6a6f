/**
 * The trainer's per-round metric sink: `sink(round, { 'validation-auc': 0.91, ... })` once per boosting round. Points
 * are stored as they come, in batches (one transaction per batch, not per point), written one batch at a time in the
 * background so the training loop never waits on the database.
 */
import type { MetricPoint } from '../store/index.js';
import { InvalidInput } from './errors.js';

export interface MetricsSinkOptions {
  /** Write as soon as this many points are waiting (default 1,000). */
  maxPoints?: number;
  /** ...or this long after the first waiting point arrived (default 200 ms). */
  maxDelayMs?: number;
  now?: () => number;
}

export interface MetricsSink {
  (round: number, metrics: Record<string, number>): void;
  /** Writes what is waiting; rejects with the first failed write. */
  flush(): Promise<void>;
  /** Flushes and ends the sink; calling it afterwards throws. */
  close(): Promise<void>;
}

/**
 * A sink that hands batches to `write` (the tracking service's checked batch API). A value that is not a finite
 * number throws at once, naming the key and round, and nothing of that round is kept. After a write has failed,
 * the next call throws that failure, so a trainer cannot go on logging into the void.
 */
export function createMetricsSink(
  write: (points: MetricPoint[]) => Promise<unknown>,
  options: MetricsSinkOptions = {},
): MetricsSink {
  const maxPoints = options.maxPoints ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 200;
  const now = options.now ?? Date.now;
  let pending: MetricPoint[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  let closed = false;

  const startWrite = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length > 0) {
      writing = writing.then(async () => {
        if (failure !== undefined) return;
        try {
          await write(batch);
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
        }
      });
    }
    return writing.then(() => {
      if (failure !== undefined) throw failure;
    });
  };

  const sink = ((round: number, metrics: Record<string, number>): void => {
    if (closed) throw new Error('the metrics sink is closed');
    if (failure !== undefined) throw failure;
    if (!Number.isSafeInteger(round) || round < 0) {
      throw new InvalidInput(`metrics round must be a non-negative integer (got ${round})`);
    }
    const timestamp = now();
    const points: MetricPoint[] = [];
    for (const [key, value] of Object.entries(metrics)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidInput(`metric "${key}" at step ${round} must be a finite number (got ${String(value)})`);
      }
      points.push({ key, value, step: round, timestamp });
    }
    pending.push(...points);
    if (pending.length >= maxPoints) {
      startWrite().catch(() => {});
    } else if (timer === undefined && pending.length > 0) {
      timer = setTimeout(() => void startWrite().catch(() => {}), maxDelayMs);
      timer.unref();
    }
  }) as MetricsSink;
  sink.flush = startWrite;
  sink.close = async () => {
    closed = true;
    await startWrite();
  };
  return sink;
}

/**
 * The trainer's per-channel round metrics as flat keys in XGBoost's spelling:
 * `{ validation: { auc: 0.9 } }` -> `{ 'validation-auc': 0.9 }`.
 */
export function flattenRoundMetrics(metrics: Record<string, Record<string, number>>): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [channel, values] of Object.entries(metrics)) {
    for (const [name, value] of Object.entries(values)) flat[`${channel}-${name}`] = value;
  }
  return flat;
}
