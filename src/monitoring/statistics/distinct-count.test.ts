import { describe, expect, it } from 'vitest';
import { DistinctCounter } from './distinct-count.js';
import { xxhash64 } from './xxhash64.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (h: { hi: number; lo: number }) => h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');

describe('XXH64', () => {
  it.each([
    ['', 0, 'ef46db3751d8e999'],
    ['a', 0, 'd24ec4f1a98c6e5b'],
    ['abc', 0, '44bc2cf5ad770999'],
  ])('hashes %j with seed %i as the xxHash reference does', (text, seed, expected) => {
    const b = bytes(text);
    expect(hex(xxhash64(b, 0, b.length, seed))).toBe(expected);
  });

  it('hashes a slice the same as a copy of it, for every length through the 32-byte stripes', () => {
    const all = bytes('0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!');
    const seen = new Set<string>();
    for (let n = 0; n <= 70; n++) {
      const slice = hex(xxhash64(all, 3, 3 + n, 42));
      expect(hex(xxhash64(all.slice(3, 3 + n), 0, n, 42))).toBe(slice);
      seen.add(slice);
    }
    expect(seen.size).toBe(71);
  });
});

describe('approximate distinct count', () => {
  function count(values: string[]): number {
    const counter = new DistinctCounter();
    for (const v of values) {
      const b = bytes(v);
      counter.add(b, 0, b.length);
    }
    return counter.estimate();
  }

  it('is exact for a few values and ignores repeats', () => {
    expect(count([])).toBe(0);
    expect(count(['basic', 'plus', 'pro', 'basic', 'pro'])).toBe(3);
  });

  it('stays within 3 standard errors (1.04 / sqrt(512)) at 100 to 200,000 values', () => {
    for (const n of [100, 1_000, 5_000, 200_000]) {
      const values = Array.from({ length: n }, (_, i) => `customer-${i * 7919}`);
      const estimate = count([...values, ...values.slice(0, n / 2)]);
      expect(Math.abs(estimate - n) / n).toBeLessThan((3 * 1.04) / Math.sqrt(512));
    }
  });
});
