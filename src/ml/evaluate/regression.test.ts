import { describe, expect, it } from 'vitest';
import { evaluateRegression } from './index.js';

describe('evaluateRegression', () => {
  it('computes RMSE, MAE and R² by hand', () => {
    // Residuals 0.5, -0.5, 0, -1: SS_res 1.5; label mean 2.875, SS_tot 29.1875.
    const m = evaluateRegression({ labels: [3, -0.5, 2, 7], predictions: [2.5, 0, 2, 8] });
    expect(m).toEqual({
      kind: 'regression',
      count: 4,
      rmse: Math.sqrt(1.5 / 4),
      mae: 2 / 4,
      r2: 1 - 1.5 / 29.1875,
      nullReasons: {},
    });
  });

  it('gives zero errors and R² 1 for perfect predictions', () => {
    const m = evaluateRegression({ labels: Float32Array.from([1, 2, 3]), predictions: [1, 2, 3] });
    expect([m.rmse, m.mae, m.r2]).toEqual([0, 0, 1]);
  });

  it('returns R² null with a reason when the labels are constant, even when their float mean is not', () => {
    const m = evaluateRegression({ labels: [0.1, 0.1, 0.1], predictions: [0.1, 0.2, 0.3] });
    expect(m.r2).toBeNull();
    expect(m.nullReasons.r2).toBe('labels are constant (all 0.1), so R² is 0/0');
    expect(m.mae).toBeCloseTo(0.1, 15);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('throws on mismatched lengths, empty input and non-finite values', () => {
    expect(() => evaluateRegression({ labels: [1, 2], predictions: [1] })).toThrow(
      new Error('evaluateRegression: labels has 2 rows but predictions has 1; they must be the same length'),
    );
    expect(() => evaluateRegression({ labels: [], predictions: [] })).toThrow(
      new Error('evaluateRegression: labels is empty; at least one row is needed'),
    );
    expect(() => evaluateRegression({ labels: [1, Number.NaN], predictions: [1, 2] })).toThrow(
      new Error('evaluateRegression: labels[1] must be a finite number (got NaN)'),
    );
    expect(() => evaluateRegression({ labels: [1, 2], predictions: [Number.NEGATIVE_INFINITY, 2] })).toThrow(
      new Error('evaluateRegression: predictions[0] must be a finite number (got -Infinity)'),
    );
  });
});
