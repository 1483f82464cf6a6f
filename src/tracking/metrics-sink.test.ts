import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricPoint } from '../store/index.js';
import { createMetricsSink, flattenRoundMetrics } from './metrics-sink.js';
import { type TrackingFixture, trackingFixture } from './testing.js';

describe('the per-round metrics sink', () => {
  it('stores rounds as they come in batches, not one write per point', async () => {
    const writes: MetricPoint[][] = [];
    const sink = createMetricsSink(async (points) => void writes.push(points), { maxPoints: 4, maxDelayMs: 10_000 });
    for (let round = 0; round < 5; round++)
      sink(round, { 'train-logloss': 1 / (round + 1), 'validation-auc': round / 10 });
    await sink.flush();
    expect(writes.map((w) => w.length)).toEqual([4, 4, 2]);
    expect(writes[0]![0]).toMatchObject({ key: 'train-logloss', value: 1, step: 0 });
    await sink.close();
    expect(() => sink(6, { auc: 1 })).toThrow(/closed/);
  });

  it('writes what waits after the delay, without a flush', async () => {
    const writes: MetricPoint[][] = [];
    const sink = createMetricsSink(async (points) => void writes.push(points), { maxDelayMs: 5 });
    sink(0, { auc: 0.5 });
    await new Promise((r) => setTimeout(r, 50));
    expect(writes).toHaveLength(1);
  });

  it('throws at once for a non-finite value, naming the key and round, keeping nothing of that round', async () => {
    const writes: MetricPoint[][] = [];
    const sink = createMetricsSink(async (points) => void writes.push(points));
    expect(() => sink(7, { auc: 0.9, logloss: Number.NaN })).toThrow(
      'metric "logloss" at step 7 must be a finite number (got NaN)',
    );
    await sink.close();
    expect(writes).toEqual([]);
  });

  it('surfaces a failed write on flush and on the next call', async () => {
    const sink = createMetricsSink(async () => {
      throw new Error('run abc has ended');
    });
    sink(0, { auc: 0.5 });
    await expect(sink.flush()).rejects.toThrow('run abc has ended');
    expect(() => sink(1, { auc: 0.6 })).toThrow('run abc has ended');
  });

  it('flattens per-channel round metrics into XGBoost-style keys', () => {
    expect(flattenRoundMetrics({ train: { logloss: 0.5 }, validation: { auc: 0.9, logloss: 0.4 } })).toEqual({
      'train-logloss': 0.5,
      'validation-auc': 0.9,
      'validation-logloss': 0.4,
    });
  });
});

describe('TrackingService.runMetricsSink', () => {
  let f: TrackingFixture;
  beforeEach(async () => {
    f = await trackingFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('stores a training run of 500 rounds in the run as the rounds come', async () => {
    const run = await f.services.tracking.startRun({ experiment: 'churn' });
    const sink = f.services.tracking.runMetricsSink(run.id, { maxPoints: 300 });
    for (let round = 0; round < 500; round++) sink(round, { 'validation-auc': 0.5 + round / 1000 });
    await sink.close();
    const stored = await f.services.tracking.getRun(run.id);
    expect(stored.metrics['validation-auc']).toMatchObject({ count: 500, lastStep: 499, last: 0.999, min: 0.5 });
  });
});
