// Cross-checks every metric against scikit-learn. The system interpreter is used on purpose: the `python3` first on
// PATH is a different environment without scikit-learn. Data goes to Python on stdin, so no temp file is left over.
// biome-ignore lint/correctness/noNodejsModules: a test may run a child process; the module itself stays pure.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../gbdt/index.js';
import { evaluateBinary, evaluateMulticlass, evaluateRegression } from './index.js';

const PYTHON = '/usr/bin/python3';
const TOLERANCE = 1e-9;

const SCRIPT = `
import json, sys
import numpy as np
from sklearn import metrics as m
d = json.load(sys.stdin)
y, s = np.array(d["labels"]), np.array(d["scores"], dtype=float)
pred = (s > d["threshold"]).astype(int)
fpr, tpr, roc_thr = m.roc_curve(y, s, drop_intermediate=False)
precision, recall, pr_thr = m.precision_recall_curve(y, s)
ry, rp = np.array(d["regLabels"]), np.array(d["regPredictions"])
k = d["numClass"]
cy, cp = np.array(d["classLabels"]), np.array(d["classProbabilities"]).reshape(-1, k)
print(json.dumps({
  "auc": m.roc_auc_score(y, s),
  "prAuc": m.average_precision_score(y, s),
  "logloss": m.log_loss(y, s, eps=1e-15),
  "accuracy": m.accuracy_score(y, pred),
  "precision": m.precision_score(y, pred),
  "recall": m.recall_score(y, pred),
  "f1": m.f1_score(y, pred),
  "confusion": m.confusion_matrix(y, pred).ravel().tolist(),
  "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "threshold": roc_thr[1:].tolist()},
  "pr": {"precision": precision[::-1].tolist(), "recall": recall[::-1].tolist(), "threshold": pr_thr[::-1].tolist()},
  "rmse": m.mean_squared_error(ry, rp, squared=False),
  "mae": m.mean_absolute_error(ry, rp),
  "r2": m.r2_score(ry, rp),
  "mlogloss": m.log_loss(cy, cp, eps=1e-15, labels=list(range(k))),
  "maccuracy": m.accuracy_score(cy, cp.argmax(axis=1)),
  "mconfusion": m.confusion_matrix(cy, cp.argmax(axis=1), labels=list(range(k))).tolist(),
}))
`;

function makeData(n: number, numClass: number) {
  const random = mulberry32(20240611); // seeded, so the data (and any failure) is the same on every run
  // Scores on a 1/200 grid: ~25 rows per distinct score, ties across classes, exact 0, 0.5 and 1 included.
  const scores = Array.from({ length: n }, () => Math.round(random() * 200) / 200);
  const labels = scores.map((s) => (random() < 0.15 + 0.7 * s ? 1 : 0));
  const regLabels = Array.from({ length: n }, () => 10 * random() - 3);
  const regPredictions = regLabels.map((y) => y + (random() - 0.5) * 2);
  const classLabels: number[] = [];
  const classProbabilities: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = Math.floor(random() * numClass);
    const weights = Array.from({ length: numClass }, (_, c) => Math.exp(3 * random() + (c === label ? 1 : 0)));
    const total = weights.reduce((a, b) => a + b, 0);
    classLabels.push(label);
    classProbabilities.push(...weights.map((w) => w / total));
  }
  return { labels, scores, threshold: 0.5, regLabels, regPredictions, numClass, classLabels, classProbabilities };
}

function sklearn(data: ReturnType<typeof makeData>) {
  const run = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(data), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${PYTHON} failed (${run.error?.message ?? run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function expectNear(actual: number | null | undefined, expected: number): void {
  expect(actual).toBeTypeOf('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThan(TOLERANCE);
}

describe('metrics agree with scikit-learn', () => {
  const data = makeData(5000, 4);
  const ref = sklearn(data);

  it('binary: ROC AUC, average precision, log loss, accuracy, precision, recall, F1 and confusion', () => {
    const m = evaluateBinary({ labels: data.labels, scores: data.scores, threshold: data.threshold });
    // The data exercise ties across classes, rows exactly at the threshold, and clipping at 0 and 1.
    expect(new Set(data.scores).size).toBeLessThan(250);
    expect(data.scores).toEqual(expect.arrayContaining([0, 0.5, 1]));
    for (const key of ['auc', 'prAuc', 'logloss', 'accuracy', 'precision', 'recall', 'f1'] as const) {
      expectNear(m[key], ref[key]);
    }
    expectNear(m.error, 1 - ref.accuracy);
    const { tn, fp, fn, tp } = m.confusionMatrix;
    expect([tn, fp, fn, tp]).toEqual(ref.confusion);
  });

  it('binary: every ROC and PR curve point at full resolution', () => {
    const m = evaluateBinary({ labels: data.labels, scores: data.scores, curvePoints: 1_000_000 });
    expect(m.roc.map((p) => p.fpr)).toEqual(ref.roc.fpr);
    expect(m.roc.map((p) => p.tpr)).toEqual(ref.roc.tpr);
    expect(m.roc.slice(1).map((p) => p.threshold)).toEqual(ref.roc.threshold);
    expect(m.pr.map((p) => p.recall)).toEqual(ref.pr.recall);
    expect(m.pr.map((p) => p.precision)).toEqual(ref.pr.precision);
    expect(m.pr.slice(1).map((p) => p.threshold)).toEqual(ref.pr.threshold);
  });

  it('regression: RMSE, MAE and R²', () => {
    const m = evaluateRegression({ labels: data.regLabels, predictions: data.regPredictions });
    expectNear(m.rmse, ref.rmse);
    expectNear(m.mae, ref.mae);
    expectNear(m.r2, ref.r2);
  });

  it('multiclass: mlogloss, accuracy and the confusion matrix', () => {
    const m = evaluateMulticlass({
      labels: data.classLabels,
      probabilities: Float64Array.from(data.classProbabilities),
      numClass: data.numClass,
    });
    expectNear(m.mlogloss, ref.mlogloss);
    expectNear(m.accuracy, ref.maccuracy);
    expect(m.confusionMatrix).toEqual(ref.mconfusion);
  });
});
