/**
 * Invocation metrics per endpoint and variant: counters and latency histograms since the server started (exposed as
 * Prometheus text), and the same in 10-second slots for the recent windows a canary decision reads (last 1 and 5
 * minutes). Observing is a few array writes: it runs on every request.
 */

/** Histogram bucket upper bounds in milliseconds (a last, unbounded bucket follows). */
export const LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const SLOT_MS = 10_000;
const SLOTS = 31; // 5 minutes and the current slot

export class Histogram {
  readonly counts = new Float64Array(LATENCY_BUCKETS_MS.length + 1);
  sum = 0;
  count = 0;

  observe(ms: number): void {
    let b = 0;
    while (b < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[b]!) b++;
    this.counts[b]!++;
    this.sum += ms;
    this.count++;
  }

  add(other: Histogram): void {
    for (let b = 0; b < this.counts.length; b++) this.counts[b]! += other.counts[b]!;
    this.sum += other.sum;
    this.count += other.count;
  }

  /** The q-quantile, interpolated inside its bucket; null without observations. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = q * this.count;
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      const c = this.counts[b]!;
      if (c > 0 && seen + c >= rank) {
        const lower = b === 0 ? 0 : LATENCY_BUCKETS_MS[b - 1]!;
        const upper = LATENCY_BUCKETS_MS[b] ?? lower * 2;
        return lower + ((upper - lower) * (rank - seen)) / c;
      }
      seen += c;
    }
    return LATENCY_BUCKETS_MS.at(-1)!;
  }
}

/** Counts of one slot of time, or of all time. */
export class Tally {
  invocations = 0;
  errors4xx = 0;
  errors5xx = 0;
  readonly modelLatency = new Histogram();
  readonly overheadLatency = new Histogram();

  add(other: Tally): void {
    this.invocations += other.invocations;
    this.errors4xx += other.errors4xx;
    this.errors5xx += other.errors5xx;
    this.modelLatency.add(other.modelLatency);
    this.overheadLatency.add(other.overheadLatency);
  }
}

const latencyView = (h: Histogram) => ({
  mean: h.count === 0 ? null : h.sum / h.count,
  p50: h.quantile(0.5),
  p90: h.quantile(0.9),
  p99: h.quantile(0.99),
});

/** A recent window as the API returns it. */
export function windowView(seconds: number, t: Tally) {
  return {
    windowSeconds: seconds,
    invocations: t.invocations,
    errors4xx: t.errors4xx,
    errors5xx: t.errors5xx,
    errorRate5xx: t.invocations === 0 ? 0 : t.errors5xx / t.invocations,
    modelLatencyMs: latencyView(t.modelLatency),
    overheadLatencyMs: latencyView(t.overheadLatency),
  };
}

export type WindowView = ReturnType<typeof windowView>;

/** The metrics of one endpoint variant; kept across updates that keep the variant's name. */
export class VariantMetrics {
  readonly total = new Tally();
  captureErrors = 0;
  /** Replicas up now; the live variant sets it. */
  replicasUp: () => number = () => 0;
  readonly #slots: Tally[] = Array.from({ length: SLOTS }, () => new Tally());
  readonly #slotStart = new Float64Array(SLOTS).fill(-1);
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** One answered invocation; latencies only for those the model scored (2xx). */
  observe(status: number, modelMs: number, overheadMs: number): void {
    const slot = this.#slot();
    this.total.invocations++;
    slot.invocations++;
    if (status >= 500) {
      this.total.errors5xx++;
      slot.errors5xx++;
    } else if (status >= 400) {
      this.total.errors4xx++;
      slot.errors4xx++;
    } else {
      this.total.modelLatency.observe(modelMs);
      this.total.overheadLatency.observe(overheadMs);
      slot.modelLatency.observe(modelMs);
      slot.overheadLatency.observe(overheadMs);
    }
  }

  /** The last `seconds` (whole 10-second slots, the current one included). */
  window(seconds: number): WindowView {
    const now = Math.floor(this.#clock() / SLOT_MS);
    const sum = new Tally();
    const slots = Math.min(SLOTS, Math.ceil(seconds / (SLOT_MS / 1000)));
    for (let k = 0; k < slots; k++) {
      const start = now - k;
      const i = ((start % SLOTS) + SLOTS) % SLOTS;
      if (this.#slotStart[i] === start) sum.add(this.#slots[i]!);
    }
    return windowView(seconds, sum);
  }

  #slot(): Tally {
    const start = Math.floor(this.#clock() / SLOT_MS);
    const i = start % SLOTS;
    if (this.#slotStart[i] !== start) {
      this.#slotStart[i] = start;
      this.#slots[i] = new Tally();
    }
    return this.#slots[i]!;
  }
}
