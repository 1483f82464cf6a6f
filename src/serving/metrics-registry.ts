/**
 * Every endpoint variant's metrics, as Prometheus text (`GET /metrics`) and as recent windows (the API). Latencies
 * are seconds in Prometheus, by its convention, and milliseconds in the API's windows.
 */
import { type Histogram, LATENCY_BUCKETS_MS, VariantMetrics, type WindowView } from './metrics.js';

export interface VariantWindows {
  variant: string;
  replicasUp: number;
  lastMinute: WindowView;
  last5Minutes: WindowView;
}

type Series = { labels: string; m: VariantMetrics };

export class MetricsRegistry {
  readonly #endpoints = new Map<string, Map<string, VariantMetrics>>();
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** The metrics of `endpoint`'s variant `variant` (created on first use). `''` counts requests no variant took. */
  variant(endpoint: string, variant: string): VariantMetrics {
    let variants = this.#endpoints.get(endpoint);
    if (variants === undefined) {
      variants = new Map();
      this.#endpoints.set(endpoint, variants);
    }
    let m = variants.get(variant);
    if (m === undefined) {
      m = new VariantMetrics(this.#clock);
      variants.set(variant, m);
    }
    return m;
  }

  dropEndpoint(endpoint: string): void {
    this.#endpoints.delete(endpoint);
  }

  /** Recent windows of every variant of `endpoint` that has served or serves now. */
  windows(endpoint: string): VariantWindows[] {
    return [...(this.#endpoints.get(endpoint) ?? new Map<string, VariantMetrics>())].map(([variant, m]) => ({
      variant,
      replicasUp: m.replicasUp(),
      lastMinute: m.window(60),
      last5Minutes: m.window(300),
    }));
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  prometheus(): string {
    const series: Series[] = [];
    for (const [endpoint, variants] of [...this.#endpoints].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [variant, m] of variants) series.push({ labels: `endpoint="${endpoint}",variant="${variant}"`, m });
    }
    const lines: string[] = [];
    const family = (name: string, type: string, help: string, value: (m: VariantMetrics) => number): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const s of series) lines.push(`${name}{${s.labels}} ${value(s.m)}`);
    };
    family(
      'flywheel_endpoint_invocations_total',
      'counter',
      'Invocations routed to the variant, any outcome.',
      (m) => m.total.invocations,
    );
    family(
      'flywheel_endpoint_invocation_4xx_errors_total',
      'counter',
      'Invocations refused as client errors.',
      (m) => m.total.errors4xx,
    );
    family(
      'flywheel_endpoint_invocation_5xx_errors_total',
      'counter',
      'Invocations failed by the server.',
      (m) => m.total.errors5xx,
    );
    histogram(
      lines,
      series,
      'flywheel_endpoint_model_latency_seconds',
      'Time the model spent scoring.',
      (m) => m.total.modelLatency,
    );
    histogram(
      lines,
      series,
      'flywheel_endpoint_overhead_latency_seconds',
      'Time from request to response outside the model (parsing, routing, IPC, capture).',
      (m) => m.total.overheadLatency,
    );
    family('flywheel_endpoint_replicas_up', 'gauge', 'Replicas of the variant serving now.', (m) => m.replicasUp());
    family(
      'flywheel_endpoint_capture_errors_total',
      'counter',
      'Capture records lost to failed writes.',
      (m) => m.captureErrors,
    );
    return `${lines.join('\n')}\n`;
  }
}

function histogram(
  lines: string[],
  series: Series[],
  name: string,
  help: string,
  of: (m: VariantMetrics) => Histogram,
): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  for (const s of series) {
    const h = of(s.m);
    let cumulative = 0;
    LATENCY_BUCKETS_MS.forEach((le, b) => {
      cumulative += h.counts[b]!;
      lines.push(`${name}_bucket{${s.labels},le="${le / 1000}"} ${cumulative}`);
    });
    lines.push(`${name}_bucket{${s.labels},le="+Inf"} ${h.count}`);
    lines.push(`${name}_sum{${s.labels}} ${h.sum / 1000}`);
    lines.push(`${name}_count{${s.labels}} ${h.count}`);
  }
}
