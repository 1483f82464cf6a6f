import { describe, expect, it } from 'vitest';
import { binMatrix } from './binning.js';
import { createRandom } from './prng.js';
import { computeCuts, QUANTILE_SAMPLE_ROWS, sortFloat32 } from './quantile.js';

const f32 = Math.fround;

describe('quantile cuts', () => {
  it('gives one bin per distinct value when there are few, closing with max + |max| + 1e-5 in float32', () => {
    const features = Float32Array.of(3, 1, 2, 2, 1, Number.NaN);
    const cuts = computeCuts(features, 6, 1, 256, createRandom(0));
    expect(Array.from(cuts.values)).toEqual([2, 3, f32(3 + f32(3 + f32(1e-5)))]);
    expect(cuts.minValues[0]).toBe(f32(1 - f32(1 + f32(1e-5))));
    expect(cuts.hasMissing[0]).toBe(1);
  });

  it('makes at most max_bin bins of about equal counts from values in the data', () => {
    const n = 10_000;
    const values = Float32Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const cuts = computeCuts(values, n, 1, 16, createRandom(0));
    expect(cuts.values.length).toBe(16);
    const matrix = binMatrix(values, n, 1, cuts);
    const counts = new Array(16).fill(0);
    for (const b of matrix.bins) counts[b]++;
    for (const c of counts) expect(c).toBe(n / 16);
  });

  it('samples rows beyond the sample size but always closes past the true maximum', () => {
    const n = QUANTILE_SAMPLE_ROWS + 5000;
    const values = Float32Array.from({ length: n }, (_, i) => i);
    const cuts = computeCuts(values, n, 1, 256, createRandom(3));
    expect(cuts.values.length).toBeLessThanOrEqual(256);
    expect(cuts.values[cuts.values.length - 1]).toBeGreaterThan(n - 1);
    expect(cuts.minValues[0]).toBeLessThan(0);
  });

  it('sorts float32 values with negatives, zeros and duplicates', () => {
    const random = createRandom(9);
    const values = Float32Array.from({ length: 5000 }, () => f32((random.next() - 0.5) * 10 ** random.below(8)));
    values[10] = -0;
    const expected = Float32Array.from(values).sort();
    sortFloat32(values, values.length, new Uint32Array(values.length));
    expect(Array.from(values)).toEqual(Array.from(expected));
  });
});

describe('binning', () => {
  it('puts x in bin b iff cut[b-1] <= x < cut[b], so "x < cut[b]" is "bin <= b"; missing after the value bins', () => {
    const random = createRandom(1);
    const n = 4000;
    const nCols = 3;
    const features = Float32Array.from({ length: n * nCols }, (_, i) =>
      random.next() < 0.05 ? Number.NaN : f32(i % 3 === 2 ? random.below(5) : (random.next() - 0.3) * 100),
    );
    const cuts = computeCuts(features, n, nCols, 32, createRandom(2));
    const matrix = binMatrix(features, n, nCols, cuts);
    expect(matrix.bins).toBeInstanceOf(Uint8Array);
    for (let i = 0; i < n * nCols; i++) {
      const f = i % nCols;
      const lo = cuts.ptrs[f]!;
      const nb = cuts.ptrs[f + 1]! - lo;
      const x = features[i]!;
      const b = matrix.bins[i]!;
      if (Number.isNaN(x)) {
        expect(b).toBe(nb);
        continue;
      }
      if (b > 0) expect(cuts.values[lo + b - 1]!).toBeLessThanOrEqual(x);
      expect(x).toBeLessThan(cuts.values[lo + b]!);
    }
    expect(matrix.totalSlots).toBe(cuts.values.length + 3);
  });

  it('uses two bytes per value when a feature needs more than 256 slots', () => {
    const n = 2000;
    const features = Float32Array.from({ length: n }, (_, i) => (i === 0 ? Number.NaN : i));
    const cuts = computeCuts(features, n, 1, 256, createRandom(0));
    expect(cuts.values.length).toBe(256);
    expect(binMatrix(features, n, 1, cuts).bins).toBeInstanceOf(Uint16Array);
  });
});
