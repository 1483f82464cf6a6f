/**
 * The ranking curves behind ROC AUC and average precision. Both are computed over the DISTINCT scores, highest
 * first, exactly as scikit-learn's `_binary_clf_curve` does: tied scores move together, so a tie between a positive
 * and a negative adds a diagonal (trapezoid) segment to the ROC curve rather than an arbitrary staircase.
 */

/** Cumulative counts at each distinct score; at `thresholds[i]` a row is predicted positive when score >= it. */
export interface RankCurve {
  /** Distinct scores, descending. */
  thresholds: Float64Array;
  /** tps[i]: positives with score >= thresholds[i]. */
  tps: Float64Array;
  /** fps[i]: negatives with score >= thresholds[i]. */
  fps: Float64Array;
  positives: number;
  negatives: number;
}

/** A point of the ROC curve; threshold null is the origin, where no row is predicted positive. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number | null;
}

/** A point of the precision-recall curve; threshold null is the start (recall 0, precision 1), as in sklearn. */
export interface PrPoint {
  precision: number;
  recall: number;
  threshold: number | null;
}

/**
 * Builds the rank curve in O(n log n). Labels must be 0/1 and scores finite (the caller checks).
 * Sorting the positives' and the negatives' scores apart lets V8 use its native numeric sort (no comparator, no
 * index array) and a merge then walks both from the top; on a million rows this is several times faster than
 * sorting indices by score.
 */
export function rankCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RankCurve {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(n - positives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (labels[i] === 1) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let p = pos.length - 1;
  let q = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let m = 0;
  while (p >= 0 || q >= 0) {
    const v = p < 0 ? neg[q]! : q < 0 ? pos[p]! : Math.max(pos[p]!, neg[q]!);
    // `===` also merges -0 with 0, which sklearn treats as one score.
    while (p >= 0 && pos[p] === v) {
      tp++;
      p--;
    }
    while (q >= 0 && neg[q] === v) {
      fp++;
      q--;
    }
    thresholds[m] = v;
    tps[m] = tp;
    fps[m] = fp;
    m++;
  }
  return {
    thresholds: thresholds.subarray(0, m),
    tps: tps.subarray(0, m),
    fps: fps.subarray(0, m),
    positives,
    negatives: n - positives,
  };
}

/**
 * Area under the ROC curve by the trapezoid rule over distinct thresholds (sklearn's `roc_auc_score`); null when a
 * class is absent. The doubled area is summed in integer counts, exact while positives × negatives < 2^52, and
 * divided once at the end.
 */
export function rocAuc(curve: RankCurve): number | null {
  if (curve.positives === 0 || curve.negatives === 0) return null;
  let doubledArea = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < curve.thresholds.length; i++) {
    const tp = curve.tps[i]!;
    const fp = curve.fps[i]!;
    doubledArea += (fp - prevFp) * (tp + prevTp);
    prevTp = tp;
    prevFp = fp;
  }
  return doubledArea / (2 * curve.positives * curve.negatives);
}

/**
 * Average precision, sklearn's `average_precision_score`: AP = Σ (R_i − R_{i−1}) · P_i over distinct thresholds,
 * a step function with no interpolation. Null when there is no positive label (recall is 0/0).
 */
export function averagePrecision(curve: RankCurve): number | null {
  if (curve.positives === 0) return null;
  let sum = 0;
  let prevTp = 0;
  for (let i = 0; i < curve.thresholds.length; i++) {
    const tp = curve.tps[i]!;
    sum += ((tp - prevTp) * tp) / (tp + curve.fps[i]!);
    prevTp = tp;
  }
  return sum / curve.positives;
}

/** Indices 0..total-1 thinned evenly to at most `max` (≥ 2), always keeping the first and the last. */
export function evenIndices(total: number, max: number): number[] {
  if (total <= max) return Array.from({ length: total }, (_, i) => i);
  const step = (total - 1) / (max - 1);
  // step > 1, so rounding k·step yields strictly increasing, distinct indices.
  return Array.from({ length: max }, (_, k) => Math.round(k * step));
}

/** ROC points from the origin to (1, 1), threshold descending, thinned to at most `max`; [] when a class is absent. */
export function rocPoints(curve: RankCurve, max: number): RocPoint[] {
  if (curve.positives === 0 || curve.negatives === 0) return [];
  return evenIndices(curve.thresholds.length + 1, max).map((k) =>
    k === 0
      ? { fpr: 0, tpr: 0, threshold: null }
      : {
          fpr: curve.fps[k - 1]! / curve.negatives,
          tpr: curve.tps[k - 1]! / curve.positives,
          threshold: curve.thresholds[k - 1]!,
        },
  );
}

/** Precision-recall points, threshold descending (recall ascending), thinned to at most `max`; [] without positives. */
export function prPoints(curve: RankCurve, max: number): PrPoint[] {
  if (curve.positives === 0) return [];
  return evenIndices(curve.thresholds.length + 1, max).map((k) => {
    if (k === 0) return { precision: 1, recall: 0, threshold: null };
    const tp = curve.tps[k - 1]!;
    return {
      precision: tp / (tp + curve.fps[k - 1]!),
      recall: tp / curve.positives,
      threshold: curve.thresholds[k - 1]!,
    };
  });
}
