import { type RandomBits, seededBits } from './random.js';

/** SageMaker's sketch parameters (`"parameters": {"c": 0.64, "k": 2048.0}`), Deequ's KLL defaults. */
export const KLL_SHRINKING_FACTOR = 0.64;
export const KLL_SKETCH_SIZE = 2048;

/**
 * A KLL quantile sketch laid out as Deequ's `QuantileNonSample`, whose compactors SageMaker writes as
 * `sketch.data`: level i holds items of weight 2^i and has capacity 2 * (ceil(k * c^i / 2) + 1). When the sketch
 * holds more items than all levels' capacities together, the lowest full level is sorted and every other item
 * (from offset 0 or 1) moves up a level; an odd last item stays. The offset is random on a level's even-numbered
 * compactions and flips on the odd ones, so paired errors cancel; the randomness is a seeded PRNG, so the same data
 * gives the same sketch.
 */
export class KllSketch {
  readonly k: number;
  readonly c: number;
  private levels: Float64Array[] = [];
  private sizes: number[] = [];
  private compactions: number[] = [];
  private offsets: number[] = [];
  private held = 0;
  private capacityTotal = 0;
  private errorBound = 0;
  private readonly random: RandomBits;

  constructor(options: { k?: number; c?: number; seed?: number } = {}) {
    this.k = options.k ?? KLL_SKETCH_SIZE;
    this.c = options.c ?? KLL_SHRINKING_FACTOR;
    this.random = seededBits(options.seed ?? 0x5eed);
    this.expand();
  }

  /** Adds one value (never NaN). */
  update(value: number): void {
    let level = this.levels[0]!;
    const size = this.sizes[0]!;
    if (size === level.length) level = this.grow(0, size + 1);
    level[size] = value;
    this.sizes[0] = size + 1;
    this.held += 1;
    if (this.held > this.capacityTotal) this.condense();
  }

  /** Total weight: the number of values added. */
  count(): number {
    let n = 0;
    for (let i = 0; i < this.sizes.length; i++) n += this.sizes[i]! * 2 ** i;
    return n;
  }

  /** Estimated number of values < x (`exclusive`) or <= x, as Deequ's getRankExclusive / getRank. */
  rank(x: number, exclusive = false): number {
    let r = 0;
    for (let i = 0; i < this.levels.length; i++) {
      const level = this.levels[i]!;
      const size = this.sizes[i]!;
      let n = 0;
      for (let j = 0; j < size; j++) {
        const v = level[j]!;
        if (v < x || (!exclusive && v === x)) n += 1;
      }
      r += n * 2 ** i;
    }
    return r;
  }

  /**
   * A proven bound on |estimated rank - true rank| for any x: each compaction of weight-w items moves any rank by
   * at most w, so the bound is the sum of w over all compactions so far (the random offsets make the real error
   * far smaller).
   */
  rankErrorBound(): number {
    return this.errorBound;
  }

  /** The compactors' items, lowest level first, each in buffer order: SageMaker's `sketch.data`. */
  data(): number[][] {
    return this.levels.map((level, i) => Array.from(level.subarray(0, this.sizes[i])));
  }

  private capacity(height: number): number {
    return 2 * (Math.ceil((this.k * this.c ** height) / 2) + 1);
  }

  private expand(): void {
    const height = this.levels.length;
    this.levels.push(new Float64Array(Math.min(this.capacity(height) + 2, 1024)));
    this.sizes.push(0);
    this.compactions.push(0);
    this.offsets.push(0);
    this.capacityTotal += this.capacity(height);
  }

  private grow(height: number, needed: number): Float64Array {
    const old = this.levels[height]!;
    const next = new Float64Array(Math.max(needed, old.length * 2));
    next.set(old);
    this.levels[height] = next;
    return next;
  }

  private condense(): void {
    for (let height = 0; height < this.levels.length; height++) {
      if (this.sizes[height]! < this.capacity(height)) continue;
      if (height + 1 >= this.levels.length) this.expand();
      this.compact(height);
      return;
    }
  }

  private compact(height: number): void {
    const level = this.levels[height]!;
    const items = this.sizes[height]!;
    const len = items - (items % 2);
    const done = this.compactions[height]!;
    const offset = done % 2 === 1 ? 1 - this.offsets[height]! : this.random.bit();
    this.offsets[height] = offset;
    const sorted = level.subarray(0, len).sort();
    const up = height + 1;
    let target = this.levels[up]!;
    let size = this.sizes[up]!;
    if (size + len / 2 > target.length) target = this.grow(up, size + len / 2);
    for (let j = offset; j < len; j += 2) target[size++] = sorted[j]!;
    this.sizes[up] = size;
    // Deequ keeps the odd last item (the buffer's last, outside the sorted part) as the level's only item.
    if (items % 2 === 1) level[0] = level[items - 1]!;
    this.sizes[height] = items % 2;
    this.compactions[height] = done + 1;
    this.held -= len / 2;
    this.errorBound += 2 ** height;
  }
}
