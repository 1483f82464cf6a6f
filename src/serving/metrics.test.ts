import { describe, expect, it } from 'vitest';
import { Histogram } from './metrics.js';
import { MetricsRegistry } from './metrics-registry.js';

describe('endpoint metrics', () => {
  it('estimates quantiles inside the histogram buckets', () => {
    const h = new Histogram();
    for (let i = 0; i < 90; i++) h.observe(0.8);
    for (let i = 0; i < 10; i++) h.observe(40);
    expect(h.quantile(0.5)).toBeGreaterThan(0.5);
    expect(h.quantile(0.5)).toBeLessThanOrEqual(1);
    expect(h.quantile(0.99)).toBeGreaterThan(25);
    expect(h.quantile(0.99)).toBeLessThanOrEqual(50);
    expect(new Histogram().quantile(0.5)).toBeNull();
  });

  it('keeps recent windows of the last minute and 5 minutes, dropping older slots', () => {
    const clock = { now: 1_000_000_000_000 };
    const registry = new MetricsRegistry(() => clock.now);
    const m = registry.variant('churn', 'blue');
    m.observe(200, 1, 0.5);
    m.observe(400, 0, 0);
    clock.now += 120_000;
    m.observe(200, 2, 0.5);
    m.observe(503, 0, 0);
    const [windows] = registry.windows('churn');
    expect(windows).toMatchObject({
      variant: 'blue',
      lastMinute: { invocations: 2, errors4xx: 0, errors5xx: 1, errorRate5xx: 0.5 },
      last5Minutes: { invocations: 4, errors4xx: 1, errors5xx: 1 },
    });
    expect(windows!.last5Minutes.modelLatencyMs.mean).toBe(1.5);
    clock.now += 400_000;
    expect(registry.windows('churn')[0]!.last5Minutes.invocations).toBe(0);
  });

  it('renders Prometheus text: counters, cumulative histogram buckets in seconds, the replica gauge', () => {
    const registry = new MetricsRegistry(() => 0);
    const m = registry.variant('churn', 'blue');
    m.replicasUp = () => 2;
    m.observe(200, 0.2, 3);
    m.observe(200, 7, 3);
    const text = registry.prometheus();
    expect(text).toContain('# TYPE flywheel_endpoint_invocations_total counter');
    expect(text).toContain('flywheel_endpoint_invocations_total{endpoint="churn",variant="blue"} 2');
    expect(text).toContain(
      'flywheel_endpoint_model_latency_seconds_bucket{endpoint="churn",variant="blue",le="0.00025"} 1',
    );
    expect(text).toContain(
      'flywheel_endpoint_model_latency_seconds_bucket{endpoint="churn",variant="blue",le="0.01"} 2',
    );
    expect(text).toContain('flywheel_endpoint_model_latency_seconds_count{endpoint="churn",variant="blue"} 2');
    expect(text).toContain('flywheel_endpoint_replicas_up{endpoint="churn",variant="blue"} 2');
    registry.dropEndpoint('churn');
    expect(registry.prometheus()).not.toContain('churn');
  });
});
