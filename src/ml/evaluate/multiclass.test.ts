import { describe, expect, it } from 'vitest';
import { evaluateMulticlass } from './index.js';

describe('evaluateMulticlass', () => {
  it('computes accuracy, merror, mlogloss and the confusion matrix by hand', () => {
    // Most probable classes: 0, 1, 1, 2; labels 0, 1, 2, 2.
    const probabilities = Float32Array.from([0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8]);
    const m = evaluateMulticlass({ labels: [0, 1, 2, 2], probabilities, numClass: 3 });
    expect(m.accuracy).toBe(0.75);
    expect(m.error).toBe(0.25);
    const trueClass = [probabilities[0]!, probabilities[4]!, probabilities[8]!, probabilities[11]!];
    expect(m.mlogloss).toBeCloseTo(-trueClass.reduce((s, p) => s + Math.log(p), 0) / 4, 14);
    expect(m.confusionMatrix).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    expect(m).toMatchObject({ kind: 'multiclass', count: 4, numClass: 3 });
  });

  it('predicts the first class among tied probabilities and clips p = 0 at 1e-15', () => {
    const m = evaluateMulticlass({ labels: [1, 0], probabilities: [0.5, 0.5, 0, 1], numClass: 2 });
    expect(m.confusionMatrix).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(m.accuracy).toBe(0);
    expect(m.mlogloss).toBeCloseTo((-Math.log(0.5) - Math.log(1e-15)) / 2, 12);
  });

  it('throws on a wrong matrix size, bad class ids, bad probabilities and bad numClass', () => {
    const run =
      (labels: number[], probabilities: number[], numClass = 2) =>
      () =>
        evaluateMulticlass({ labels, probabilities, numClass });
    expect(run([0, 1], [0.5, 0.5, 1], 2)).toThrow(
      new Error(
        'evaluateMulticlass: probabilities has 3 values but labels has 2 rows × numClass 2 = 4; ' +
          'pass a row-major n × numClass matrix',
      ),
    );
    expect(run([0, 2], [0.5, 0.5, 1, 0])).toThrow(
      new Error('evaluateMulticlass: labels[1] must be an integer class id from 0 to 1 (got 2)'),
    );
    expect(run([0.5], [0.5, 0.5])).toThrow(/labels\[0\] must be an integer class id from 0 to 1 \(got 0\.5\)/);
    expect(run([0, 1], [0.5, 0.5, 1.2, 0])).toThrow(
      new Error('evaluateMulticlass: probabilities[2] (row 1, class 0) must be a probability in [0, 1] (got 1.2)'),
    );
    expect(run([0], [Number.NaN, 1])).toThrow(/probabilities\[0\] \(row 0, class 0\).*\(got NaN\)/);
    expect(run([0], [1], 1)).toThrow(
      new Error('evaluateMulticlass: numClass must be an integer from 2 to 1000000 (got 1)'),
    );
    expect(run([], [])).toThrow(new Error('evaluateMulticlass: labels is empty; at least one row is needed'));
  });
});
