import { DistinctCounter } from './distinct-count.js';
import type { CategoricalBucket } from './model.js';

/**
 * Deequ's profiler computes a histogram only for columns with at most this many (approximate) distinct values;
 * Flywheel writes `categorical` buckets under the same rule (SageMaker's own cut-off is unconfirmed).
 */
export const CATEGORICAL_MAX_DISTINCT = 120;
/** Exact counts are kept up to this many values, so a column whose estimate is <= 120 always has them. */
const EXACT_LIMIT = 1024;

const decoder = new TextDecoder();

/** A String column's distinct count and, while they stay few, its exact value counts. */
export class StringProfile {
  private readonly distinct = new DistinctCounter();
  private counts: Map<string, number> | null = new Map();

  /** Counts the UTF-8 value `bytes[start, end)`. */
  add(bytes: Uint8Array, start: number, end: number): void {
    this.distinct.add(bytes, start, end);
    const counts = this.counts;
    if (counts === null) return;
    const value = decoder.decode(bytes.subarray(start, end));
    counts.set(value, (counts.get(value) ?? 0) + 1);
    if (counts.size > EXACT_LIMIT) this.counts = null;
  }

  distinctCount(): number {
    return this.distinct.estimate();
  }

  /** Most frequent first, ties by value; null for a high-cardinality column. */
  categorical(): CategoricalBucket[] | null {
    if (this.counts === null || this.distinctCount() > CATEGORICAL_MAX_DISTINCT) return null;
    return [...this.counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }
}
