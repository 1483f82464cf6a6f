import { describe, expect, it } from 'vitest';
import { kllBuckets } from './column-profile.js';
import { KllSketch } from './kll-sketch.js';
import { seededBits } from './random.js';

/** 100,000 distinct values in a seeded shuffled order. */
function shuffled(n: number, seed: number): number[] {
  const values = Array.from({ length: n }, (_, i) => i / 10);
  const bits = seededBits(seed);
  for (let i = n - 1; i > 0; i--) {
    let r = 0;
    for (let b = 0; b < 20; b++) r = r * 2 + bits.bit();
    const j = r % (i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

describe('KLL sketch', () => {
  it('keeps ranks on 100k values within its proven bound, which is itself under 0.5% of n', () => {
    const n = 100_000;
    const sketch = new KllSketch();
    for (const v of shuffled(n, 7)) sketch.update(v);
    expect(sketch.count()).toBe(n);
    const bound = sketch.rankErrorBound();
    expect(bound).toBeGreaterThan(0);
    expect(bound / n).toBeLessThan(0.005); // 353 at this seed: 0.35% of n
    let worst = 0;
    for (let q = 0; q <= 1000; q++) {
      const x = (q / 1000) * (n / 10); // true rank of x (values < x) is 10x
      worst = Math.max(worst, Math.abs(sketch.rank(x, true) - Math.ceil(x * 10)));
    }
    expect(worst).toBeLessThanOrEqual(bound);
    expect(worst / n).toBeLessThan(0.002); // the random offsets cancel most of the worst case
  });

  it('lays out compactors as Deequ does: level i holds items of weight 2^i, capacities 2 * (ceil(k c^i / 2) + 1)', () => {
    const sketch = new KllSketch();
    for (let i = 0; i < 2050; i++) sketch.update(i);
    expect(sketch.data()).toHaveLength(1); // 2050 items fit level 0's capacity 2 * (1024 + 1)
    sketch.update(2050);
    const data = sketch.data();
    expect(data.map((level) => level.length)).toEqual([1, 1025]); // 2050 sorted halve; the odd last item stays
    expect(data[0]).toEqual([2050]);
    expect(sketch.count()).toBe(2051);
  });

  it('keeps every value while they fit, so small columns get exact ranks', () => {
    const sketch = new KllSketch();
    for (const v of [5, 1, 3, 3, 9]) sketch.update(v);
    expect(sketch.data()).toEqual([[5, 1, 3, 3, 9]]);
    expect(sketch.rank(3)).toBe(3);
    expect(sketch.rank(3, true)).toBe(1);
    expect(sketch.rankErrorBound()).toBe(0);
  });

  it('gives the same sketch for the same data and seed', () => {
    const values = shuffled(50_000, 3);
    const a = new KllSketch({ seed: 11 });
    const b = new KllSketch({ seed: 11 });
    for (const v of values) {
      a.update(v);
      b.update(v);
    }
    expect(JSON.stringify(a.data())).toBe(JSON.stringify(b.data()));
  });
});

describe('KLL buckets', () => {
  it('splits min..max into 10 equal widths, lower bound inclusive, the last bucket also taking max', () => {
    const sketch = new KllSketch();
    for (const v of [1, 1.9, 2, 2.8, 4.6, 9.1, 10]) sketch.update(v);
    const buckets = kllBuckets(sketch, 1, 10);
    expect(buckets).toHaveLength(10);
    expect(buckets.map((b) => b.lowerBound)).toEqual([1, 1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1]);
    expect(buckets.map((b) => b.upperBound)).toEqual([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1, 10]);
    // 1.9 opens bucket 1 (not bucket 0), 4.6 opens bucket 4, 9.1 and max 10 both fall in the last.
    expect(buckets.map((b) => b.count)).toEqual([1, 2, 1, 0, 1, 0, 0, 0, 0, 2]);
  });

  it('computes bounds as min + (max - min) * i / 10, so min 1 and max 243 give width 24.2', () => {
    const sketch = new KllSketch();
    for (const v of [1, 243]) sketch.update(v);
    const buckets = kllBuckets(sketch, 1, 243);
    expect(buckets[1]?.lowerBound).toBe(1 + (242 * 1) / 10);
    expect(buckets[9]).toEqual({ lowerBound: 1 + (242 * 9) / 10, upperBound: 243, count: 1 });
  });

  it('puts every value in the last bucket when min equals max', () => {
    const sketch = new KllSketch();
    for (let i = 0; i < 4; i++) sketch.update(7);
    expect(kllBuckets(sketch, 7, 7).map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
  });
});
