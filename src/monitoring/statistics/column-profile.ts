import { type Classified, classify, inferType, type KindCounts, ValueKind } from './data-type.js';
import { KllSketch } from './kll-sketch.js';
import type { FeatureStatistics, KllBucket } from './model.js';
import { StringProfile } from './string-profile.js';

/** SageMaker writes 10 KLL buckets [doc]. */
export const KLL_BUCKETS = 10;

/**
 * Everything the baseline needs from one column, in one pass over its values: type counts, numeric moments, a KLL
 * sketch, and string statistics. String statistics start at the first Boolean or String value (which makes the
 * column String); if numbers came before it, `needsStringRescan` says the caller must feed the column's values
 * again through `rescanStrings()`, which keeps numeric columns free of hashing.
 */
export class ColumnProfile {
  private readonly kinds: KindCounts = { missing: 0, integral: 0, fractional: 0, boolean: 0, string: 0 };
  private readonly sketch: KllSketch;
  private readonly scratch: Classified = { kind: ValueKind.Integral, value: 0 };
  private parsed = 0;
  private sum = 0;
  private mean = 0;
  private m2 = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private strings: StringProfile | null = null;
  private stringsFromRow = 0;

  constructor(options: { seed?: number } = {}) {
    this.sketch = new KllSketch(options.seed === undefined ? {} : { seed: options.seed });
  }

  /** A null: an empty unquoted CSV field. */
  addMissing(): void {
    this.kinds.missing += 1;
  }

  /** A present value, the UTF-8 text `bytes[start, end)` (a quoted `""` is present and empty). */
  add(bytes: Uint8Array, start: number, end: number): void {
    const c = this.scratch;
    classify(bytes, start, end, c);
    if (c.kind === ValueKind.Integral) this.kinds.integral += 1;
    else if (c.kind === ValueKind.Fractional) this.kinds.fractional += 1;
    else if (c.kind === ValueKind.Boolean) this.kinds.boolean += 1;
    else this.kinds.string += 1;
    if (this.strings === null && (c.kind === ValueKind.Boolean || c.kind === ValueKind.String)) {
      this.strings = new StringProfile();
      this.stringsFromRow = this.present() - 1;
    }
    this.strings?.add(bytes, start, end);
    if (Number.isNaN(c.value)) return;
    const x = c.value;
    // Chan/Welford update of the population variance, as Spark's stddev_pop; the sum is a plain running sum.
    this.parsed += 1;
    this.sum += x;
    const delta = x - this.mean;
    this.mean += delta / this.parsed;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.sketch.update(x);
  }

  /** True when the column is String but its string statistics missed values before the first text. */
  get needsStringRescan(): boolean {
    return this.strings !== null && this.stringsFromRow > 0;
  }

  /** Restarts the string statistics; feed every present value of the column to the returned profile. */
  rescanStrings(): StringProfile {
    this.strings = new StringProfile();
    this.stringsFromRow = 0;
    return this.strings;
  }

  /** The feature's statistics.json entry. */
  statistics(name: string): FeatureStatistics {
    const inferredType = inferType(this.kinds);
    const common = { numPresent: this.present(), numMissing: this.kinds.missing };
    if (inferredType === 'Unknown') return { name, inferredType };
    if (inferredType === 'String') {
      const strings = this.strings ?? new StringProfile();
      const categorical = strings.categorical();
      return {
        name,
        inferredType,
        stringStatistics: {
          common,
          distinctCount: strings.distinctCount(),
          ...(categorical !== null && { distribution: { categorical: { buckets: categorical } } }),
        },
      };
    }
    if (this.parsed === 0) return { name, inferredType, numericalStatistics: { common } };
    return {
      name,
      inferredType,
      numericalStatistics: {
        common,
        mean: this.sum / this.parsed,
        sum: this.sum,
        stdDev: Math.sqrt(Math.max(0, this.m2 / this.parsed)),
        min: this.min,
        max: this.max,
        distribution: {
          kll: {
            buckets: kllBuckets(this.sketch, this.min, this.max),
            sketch: { parameters: { c: this.sketch.c, k: this.sketch.k }, data: this.sketch.data() },
          },
        },
      },
    };
  }

  private present(): number {
    const k = this.kinds;
    return k.integral + k.fractional + k.boolean + k.string;
  }
}

/**
 * Deequ's KLL buckets: bounds min + (max - min) * i / 10 (that order of operations), counts from the sketch's
 * ranks: values >= lower and < upper, the last bucket also takes max.
 */
export function kllBuckets(sketch: KllSketch, min: number, max: number, buckets = KLL_BUCKETS): KllBucket[] {
  const result: KllBucket[] = [];
  for (let i = 0; i < buckets; i++) {
    const lowerBound = min + ((max - min) * i) / buckets;
    const upperBound = min + ((max - min) * (i + 1)) / buckets;
    const below = sketch.rank(lowerBound, true);
    const upTo = i === buckets - 1 ? sketch.rank(upperBound) : sketch.rank(upperBound, true);
    result.push({ lowerBound, upperBound, count: upTo - below });
  }
  return result;
}
