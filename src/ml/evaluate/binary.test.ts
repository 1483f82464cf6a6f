import { describe, expect, it } from 'vitest';
import { evaluateBinary } from './index.js';

// Hand-computed case with ties across classes. Distinct thresholds (descending) and cumulative counts:
//   0.9: tp 1 fp 0 | 0.7: tp 2 fp 1 (a positive and a negative tie) | 0.4: tp 2 fp 2 | 0.2: tp 3 fp 3 (tie)
// ROC (fpr, tpr): (0,0) (0,1/3) (1/3,2/3) (2/3,2/3) (1,1); trapezoids 0 + 1/6 + 2/9 + 5/18 = 2/3, which is also the
// pairwise count (3 + 2.5 + 0.5) / 9. AP = (1·1 + 1·2/3 + 0·1/2 + 1·1/2) / 3 = 13/18.
const labels = [1, 0, 1, 0, 1, 0];
const scores = [0.9, 0.7, 0.7, 0.4, 0.2, 0.2];

describe('evaluateBinary', () => {
  it('computes AUC with ties as trapezoids and average precision as the uninterpolated step sum', () => {
    const m = evaluateBinary({ labels, scores });
    expect(m.auc).toBeCloseTo(2 / 3, 15);
    expect(m.prAuc).toBeCloseTo(13 / 18, 15);
    expect(m.count).toBe(6);
    expect(m.positives).toBe(3);
  });

  it('counts a row as predicted positive when its score is strictly above the threshold (XGBoost error@t)', () => {
    const m = evaluateBinary({ labels, scores });
    expect(m.confusionMatrix).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
    expect(m.accuracy).toBeCloseTo(4 / 6, 15);
    expect(m.error).toBeCloseTo(2 / 6, 15);
    expect(m.precision).toBeCloseTo(2 / 3, 15);
    expect(m.recall).toBeCloseTo(2 / 3, 15);
    expect(m.f1).toBeCloseTo(2 / 3, 15);
    // At 0.7 the two tied 0.7 rows are NOT above the threshold.
    const at07 = evaluateBinary({ labels, scores, threshold: 0.7 });
    expect(at07.confusionMatrix).toEqual({ tp: 1, fp: 0, tn: 3, fn: 2 });
    expect(at07.precision).toBe(1);
    expect(at07.recall).toBeCloseTo(1 / 3, 15);
    expect(at07.f1).toBeCloseTo(0.5, 15);
  });

  it('computes log loss as the mean negative log-likelihood', () => {
    const m = evaluateBinary({ labels, scores });
    const likelihood = 0.9 * 0.3 * 0.7 * 0.6 * 0.2 * 0.8;
    expect(m.logloss).toBeCloseTo(-Math.log(likelihood) / 6, 14);
  });

  it('clips probabilities to [1e-15, 1 - 1e-15] so a certain mistake costs about 34.54, not Infinity', () => {
    expect(evaluateBinary({ labels: [1], scores: [0] }).logloss).toBe(-Math.log(1e-15));
    // The negative's probability is 1 - (1 - 1e-15), which binary floating point makes 9.992e-16 (as in sklearn).
    const falsePositive = evaluateBinary({ labels: [0], scores: [1] }).logloss;
    expect(falsePositive).toBe(-Math.log1p(-(1 - 1e-15)));
    expect(falsePositive).toBeCloseTo(34.5396, 4);
  });

  it('gives ROC and PR points at every distinct threshold, highest first, starting at the origin', () => {
    const m = evaluateBinary({ labels, scores });
    expect(m.roc).toEqual([
      { fpr: 0, tpr: 0, threshold: null },
      { fpr: 0, tpr: 1 / 3, threshold: 0.9 },
      { fpr: 1 / 3, tpr: 2 / 3, threshold: 0.7 },
      { fpr: 2 / 3, tpr: 2 / 3, threshold: 0.4 },
      { fpr: 1, tpr: 1, threshold: 0.2 },
    ]);
    expect(m.pr).toEqual([
      { precision: 1, recall: 0, threshold: null },
      { precision: 1, recall: 1 / 3, threshold: 0.9 },
      { precision: 2 / 3, recall: 2 / 3, threshold: 0.7 },
      { precision: 2 / 4, recall: 2 / 3, threshold: 0.4 },
      { precision: 3 / 6, recall: 1, threshold: 0.2 },
    ]);
  });

  it('gives AUC 0.5 and AP = prevalence when every score ties', () => {
    const m = evaluateBinary({ labels: [0, 1, 0, 1], scores: [0.5, 0.5, 0.5, 0.5] });
    expect(m.auc).toBe(0.5);
    expect(m.prAuc).toBe(0.5);
    // Nothing is above 0.5: precision is 0/0, recall 0, F1 = 2tp / (2tp + fp + fn) = 0.
    expect(m.precision).toBeNull();
    expect(m.nullReasons.precision).toMatch(/no score is above the threshold 0\.5/);
    expect(m.recall).toBe(0);
    expect(m.f1).toBe(0);
  });

  it('gives AUC 1 for a perfect ranking and 0 for a reversed one, on any score scale', () => {
    expect(evaluateBinary({ labels: [0, 0, 1, 1], scores: [-3, -1, 2, 5] }).auc).toBe(1);
    expect(evaluateBinary({ labels: [1, 1, 0, 0], scores: [-3, -1, 2, 5] }).auc).toBe(0);
  });

  it('leaves log loss null with a reason when scores are not probabilities', () => {
    const m = evaluateBinary({ labels: [0, 1], scores: [-2, 3] });
    expect(m.logloss).toBeNull();
    expect(m.nullReasons.logloss).toBe('scores are not probabilities: scores[0] is -2, outside [0, 1]');
    expect(m.auc).toBe(1);
  });

  it('returns AUC null with a reason when the labels hold one class', () => {
    const onlyPositives = evaluateBinary({ labels: [1, 1, 1], scores: [0.2, 0.6, 0.9] });
    expect(onlyPositives.auc).toBeNull();
    expect(onlyPositives.nullReasons.auc).toBe(
      'labels hold one class only (all 3 rows are 1); ROC AUC needs both 0 and 1',
    );
    expect(onlyPositives.prAuc).toBe(1);
    expect(onlyPositives.roc).toEqual([]);
    expect(onlyPositives.recall).toBeCloseTo(2 / 3, 15);

    const onlyNegatives = evaluateBinary({ labels: [0, 0], scores: [0.1, 0.3] });
    expect(onlyNegatives.auc).toBeNull();
    expect(onlyNegatives.nullReasons.auc).toMatch(/all 2 rows are 0/);
    expect(onlyNegatives.prAuc).toBeNull();
    expect(onlyNegatives.recall).toBeNull();
    expect(onlyNegatives.f1).toBeNull();
    expect(onlyNegatives.pr).toEqual([]);
    expect(Object.keys(onlyNegatives.nullReasons).sort()).toEqual(['auc', 'f1', 'prAuc', 'precision', 'recall']);
    expect(onlyNegatives.accuracy).toBe(1);
  });

  it('produces a result that survives a JSON round trip unchanged', () => {
    const m = evaluateBinary({ labels: [0, 0], scores: [0.1, 0.3] });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    const n = evaluateBinary({ labels, scores, threshold: 0.3 });
    expect(JSON.parse(JSON.stringify(n))).toEqual(n);
  });

  it('thins curves to curvePoints, keeping the origin and the end', () => {
    const n = 1000;
    const m = evaluateBinary({
      labels: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
      scores: Float64Array.from({ length: n }, (_, i) => i / n),
      curvePoints: 11,
    });
    expect(m.roc).toHaveLength(11);
    expect(m.pr).toHaveLength(11);
    expect(m.roc[0]).toEqual({ fpr: 0, tpr: 0, threshold: null });
    expect(m.roc[10]).toEqual({ fpr: 1, tpr: 1, threshold: 0 });
    for (let i = 1; i < m.roc.length; i++) expect(m.roc[i]!.fpr).toBeGreaterThanOrEqual(m.roc[i - 1]!.fpr);
    expect(evaluateBinary({ labels, scores }).roc).toHaveLength(5);
  });

  it('accepts typed arrays', () => {
    const m = evaluateBinary({ labels: Uint8Array.from(labels), scores: Float32Array.from([4, 3, 3, 2, 1, 1]) });
    expect(m.auc).toBeCloseTo(2 / 3, 15);
  });

  it('ranks a million rows (O(n log n): sorts, no pairwise loop)', () => {
    const n = 1_000_000;
    const scores = new Float64Array(n);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      scores[i] = (i % 1000) / 1000;
      labels[i] = i % 1000 >= 700 ? 1 : 0;
    }
    const m = evaluateBinary({ labels, scores });
    expect(m.auc).toBe(1);
    expect(m.positives).toBe(300_000);
    expect(m.roc).toHaveLength(101);
    labels.forEach((_, i) => {
      labels[i] = i % 2;
    });
    const random = evaluateBinary({ labels, scores });
    expect(random.auc).toBeCloseTo(0.5, 2);
  });
});

describe('evaluateBinary input errors', () => {
  const cases: [string, Parameters<typeof evaluateBinary>[0], string][] = [
    ['empty input', { labels: [], scores: [] }, 'evaluateBinary: labels is empty; at least one row is needed'],
    [
      'length mismatch',
      { labels: [0, 1, 1], scores: [0.1, 0.2] },
      'evaluateBinary: labels has 3 rows but scores has 2; they must be the same length',
    ],
    ['a label of 2', { labels: [0, 2], scores: [0.1, 0.2] }, 'evaluateBinary: labels[1] must be 0 or 1 (got 2)'],
    ['a NaN label', { labels: [Number.NaN], scores: [0.1] }, 'evaluateBinary: labels[0] must be 0 or 1 (got NaN)'],
    [
      'a NaN score',
      { labels: [0, 1, 0], scores: [0.1, 0.2, Number.NaN] },
      'evaluateBinary: scores[2] must be a finite number (got NaN)',
    ],
    [
      'an infinite score',
      { labels: [0, 1], scores: [Number.POSITIVE_INFINITY, 0.2] },
      'evaluateBinary: scores[0] must be a finite number (got Infinity)',
    ],
    [
      'a NaN threshold',
      { labels: [0, 1], scores: [0.1, 0.2], threshold: Number.NaN },
      'evaluateBinary: threshold must be a finite number (got NaN)',
    ],
    [
      'curvePoints below 2',
      { labels: [0, 1], scores: [0.1, 0.2], curvePoints: 1 },
      'evaluateBinary: curvePoints must be an integer from 2 to 1000000 (got 1)',
    ],
    [
      'fractional curvePoints',
      { labels: [0, 1], scores: [0.1, 0.2], curvePoints: 2.5 },
      'evaluateBinary: curvePoints must be an integer from 2 to 1000000 (got 2.5)',
    ],
  ];
  it.each(cases)('throws on %s', (_, input, message) => {
    expect(() => evaluateBinary(input)).toThrow(new Error(message));
  });
});
