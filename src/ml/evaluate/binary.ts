import { averagePrecision, type PrPoint, prPoints, type RocPoint, rankCurve, rocAuc, rocPoints } from './curves.js';
import { checkBinaryLabels, checkFinite, checkIntegerOption, checkNotEmpty, checkSameLength } from './validate.js';

/** The predicted probability is clipped to [EPS, 1 − EPS] before the log: a certain mistake costs ~34.5, not Infinity. */
export const LOGLOSS_EPS = 1e-15;
export const DEFAULT_THRESHOLD = 0.5;
export const DEFAULT_CURVE_POINTS = 101;

export interface BinaryInput {
  /** 0 or 1 per row. */
  labels: ArrayLike<number>;
  /** Any finite score, higher meaning more likely positive; probabilities in [0, 1] for `logloss`. */
  scores: ArrayLike<number>;
  /** A row is predicted positive when score > threshold (XGBoost's `error@t` rule). Default 0.5. */
  threshold?: number;
  /** Most points kept in each of `roc` and `pr` (at least 2). Default 101. */
  curvePoints?: number;
}

/** Counts at the threshold. */
export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** The metrics that can be null, each for a reason recorded in `nullReasons`. */
export type NullableBinaryMetric = 'auc' | 'prAuc' | 'precision' | 'recall' | 'f1' | 'logloss';

export interface BinaryMetrics {
  kind: 'binary';
  count: number;
  positives: number;
  /** ROC AUC, ties as trapezoids (sklearn's roc_auc_score). */
  auc: number | null;
  /** Average precision, uninterpolated (sklearn's average_precision_score). */
  prAuc: number | null;
  accuracy: number;
  /** (fp + fn) / count: XGBoost's `error`. */
  error: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  logloss: number | null;
  threshold: number;
  confusionMatrix: ConfusionMatrix;
  roc: RocPoint[];
  pr: PrPoint[];
  /** Why each null metric above is null; keys only for metrics that are null. */
  nullReasons: Partial<Record<NullableBinaryMetric, string>>;
}

const FN = 'evaluateBinary';

/**
 * Evaluates scores against 0/1 labels in O(n log n); throws on mismatched lengths, labels other than 0/1 and
 * non-finite scores; a metric undefined for the data (AUC with one class, ...) is null with a reason.
 * @example evaluateBinary({ labels: [0, 1, 1], scores: [0.5, 0.7, 0.4] }).auc // 0.5
 */
export function evaluateBinary(input: BinaryInput): BinaryMetrics {
  const { labels, scores } = input;
  const threshold = input.threshold ?? DEFAULT_THRESHOLD;
  const curvePoints = input.curvePoints ?? DEFAULT_CURVE_POINTS;
  checkNotEmpty(FN, 'labels', labels);
  checkSameLength(FN, { name: 'labels', values: labels }, { name: 'scores', values: scores });
  checkBinaryLabels(FN, 'labels', labels);
  checkFinite(FN, 'scores', scores);
  if (!Number.isFinite(threshold)) throw new Error(`${FN}: threshold must be a finite number (got ${threshold})`);
  checkIntegerOption(FN, 'curvePoints', curvePoints, 2, 1_000_000);

  const count = labels.length;
  const cm = confusionAt(labels, scores, threshold);
  const positives = cm.tp + cm.fn;
  const curve = rankCurve(labels, scores);
  const nullReasons: BinaryMetrics['nullReasons'] = {};

  const auc = rocAuc(curve);
  if (auc === null) {
    const only = positives === 0 ? 0 : 1;
    nullReasons.auc = `labels hold one class only (all ${count} rows are ${only}); ROC AUC needs both 0 and 1`;
  }
  const prAuc = averagePrecision(curve);
  if (prAuc === null) nullReasons.prAuc = 'no label is 1; average precision needs at least one positive';
  const precision = ratio(cm.tp, cm.tp + cm.fp);
  if (precision === null) {
    nullReasons.precision = `no score is above the threshold ${threshold}, so precision tp / (tp + fp) is 0/0`;
  }
  const recall = ratio(cm.tp, positives);
  if (recall === null) nullReasons.recall = 'no label is 1, so recall tp / (tp + fn) is 0/0';
  const f1 = ratio(2 * cm.tp, 2 * cm.tp + cm.fp + cm.fn);
  if (f1 === null) nullReasons.f1 = 'no label is 1 and no score is above the threshold, so F1 is 0/0';
  const loss = logloss(labels, scores);
  if (typeof loss === 'string') nullReasons.logloss = loss;

  return {
    kind: 'binary',
    count,
    positives,
    auc,
    prAuc,
    accuracy: (cm.tp + cm.tn) / count,
    error: (cm.fp + cm.fn) / count,
    precision,
    recall,
    f1,
    logloss: typeof loss === 'string' ? null : loss,
    threshold,
    confusionMatrix: cm,
    roc: rocPoints(curve, curvePoints),
    pr: prPoints(curve, curvePoints),
    nullReasons,
  };
}

function confusionAt(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): ConfusionMatrix {
  const cm = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predicted = scores[i]! > threshold;
    if (labels[i] === 1) predicted ? cm.tp++ : cm.fn++;
    else predicted ? cm.fp++ : cm.tn++;
  }
  return cm;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Mean binary cross-entropy with clipping, or the reason it is undefined (scores that are not probabilities). */
function logloss(labels: ArrayLike<number>, scores: ArrayLike<number>): number | string {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const s = scores[i]!;
    if (s < 0 || s > 1) return `scores are not probabilities: scores[${i}] is ${s}, outside [0, 1]`;
    // The predicted probability is clipped, then complemented for negatives, exactly as sklearn 1.2's log_loss. In
    // floating point 1 − (1 − 1e-15) is 9.992e-16, so a certain false positive costs 34.5396, a false negative 34.5388.
    const p = Math.min(Math.max(s, LOGLOSS_EPS), 1 - LOGLOSS_EPS);
    sum -= labels[i] === 1 ? Math.log(p) : Math.log1p(-p);
  }
  return sum / labels.length;
}
