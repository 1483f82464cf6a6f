/**
 * Which variant answers an invocation: the one the target-variant header names, else one drawn by traffic weight.
 * A table is immutable; an update builds a new one and swaps it in with one assignment, so every request sees
 * either the old variants or the new ones, never a mix.
 */
import type { EndpointConfig } from './config.js';
import { LiveVariant } from './live-variant.js';
import type { MetricsRegistry } from './metrics-registry.js';
import type { ResolvedModel } from './model-ref.js';

export interface TableOptions {
  endpoint: string;
  config: EndpointConfig;
  /** The model of each variant, in the config's order. */
  models: ResolvedModel[];
  captureRoot: string;
  metrics: MetricsRegistry;
  startTimeoutMs: number;
  stopGraceMs: number;
  batchTimeoutMs: number;
  log: (message: string) => void;
  /** Called when a variant failed, before the ones that started are stopped (an update records RollingBack). */
  onFailure?: () => Promise<void>;
}

export class RoutingTable {
  readonly variants: readonly LiveVariant[];
  readonly #byName: Map<string, LiveVariant>;
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(variants: readonly LiveVariant[]) {
    this.variants = variants;
    this.#byName = new Map(variants.map((v) => [v.name, v]));
    this.#cumulative = new Float64Array(variants.length);
    let sum = 0;
    variants.forEach((v, i) => {
      sum += v.weight;
      this.#cumulative[i] = sum;
    });
    this.#total = sum;
  }

  /** Starts every variant of the config; unless all pass their health checks, stops them and throws the first reason. */
  static async start(o: TableOptions): Promise<RoutingTable> {
    const started = await Promise.allSettled(
      o.config.variants.map((variant, i) =>
        LiveVariant.start({
          endpoint: o.endpoint,
          config: variant,
          model: o.models[i]!,
          capture: o.config.capture,
          captureRoot: o.captureRoot,
          metrics: o.metrics.variant(o.endpoint, variant.name),
          startTimeoutMs: o.startTimeoutMs,
          stopGraceMs: o.stopGraceMs,
          batchTimeoutMs: o.batchTimeoutMs,
          log: o.log,
        }),
      ),
    );
    const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed === undefined) return new RoutingTable(up);
    await o.onFailure?.();
    await new RoutingTable(up).stop();
    throw failed.reason;
  }

  /**
   * The variant named by `target`, or (without a target) one picked with probability weight / total weight;
   * undefined when `target` names no variant. `random` is in [0, 1).
   */
  pick(target: string | undefined, random: number = Math.random()): LiveVariant | undefined {
    if (target !== undefined) return this.#byName.get(target);
    const x = random * this.#total;
    for (let i = 0; i < this.variants.length; i++) if (x < this.#cumulative[i]!) return this.variants[i];
    return this.variants.at(-1);
  }

  names(): string[] {
    return this.variants.map((v) => v.name);
  }

  /** Drains every variant (used on the table an update replaced, and on delete). */
  async stop(): Promise<void> {
    await Promise.all(this.variants.map((v) => v.stop()));
  }
}
