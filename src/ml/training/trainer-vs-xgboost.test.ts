import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseHyperparameters,
  parseNumericCsv,
  predict,
  predictMargins,
  synthetic,
  type TrainingData,
  toXgboostJson,
  train,
} from '../gbdt/index.js';

// Models we train must load in Debian's XGBoost 1.7.4 and predict what we predict; on the churn file our test AUC
// must be within 0.01 of XGBoost's with the same hyperparameters and split.
const dir = mkdtempSync(join(tmpdir(), 'flywheel-trainer-'));

const PREDICT_17 = `
import sys, json, numpy as np, xgboost as xgb
model, rows = sys.argv[1], json.load(open(sys.argv[2]))
names = json.load(open(model))['learner']['feature_names'] or None
b = xgb.Booster(model_file=model)
X = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float32)
print(json.dumps(b.predict(xgb.DMatrix(X, missing=np.nan, feature_names=names), output_margin=True).reshape(-1).tolist()))
`;

function xgboostMargins(name: string, json: string, data: TrainingData, count: number): number[] {
  const rows: (number | null)[][] = [];
  for (let r = 0; r < count; r++) {
    rows.push(
      Array.from(data.features.subarray(r * data.nCols, (r + 1) * data.nCols), (v) => (Number.isNaN(v) ? null : v)),
    );
  }
  writeFileSync(join(dir, `${name}.json`), json);
  writeFileSync(join(dir, `${name}.rows.json`), JSON.stringify(rows));
  const out = execFileSync('/usr/bin/python3', [
    '-c',
    PREDICT_17,
    join(dir, `${name}.json`),
    join(dir, `${name}.rows.json`),
  ]);
  return JSON.parse(out.toString()) as number[];
}

describe('models we train, read by XGBoost 1.7.4', () => {
  it.each([
    ['binary with missing values and feature names', { objective: 'binary:logistic', max_depth: 6 }, 'binary', 0.15],
    ['multi-class', { objective: 'multi:softprob', num_class: 3, max_depth: 4 }, 'multiclass', 0],
    ['regression with L1 and gamma', { max_depth: 5, alpha: 0.5, gamma: 0.2, subsample: 0.8 }, 'regression', 0.05],
  ] as const)('%s: XGBoost predicts the same margins', (_name, raw, task, missing) => {
    const data = synthetic({ rows: 3000, seed: 21, task, missing, features: 10 });
    if (task === 'binary') data.featureNames = Array.from({ length: 10 }, (_, i) => `feature_${i}`);
    const model = train(data, parseHyperparameters({ num_round: 15, ...raw })).model();
    const ours = predictMargins(model, data.features, 400, data.nCols);
    const theirs = xgboostMargins(task, toXgboostJson(model), data, 400);
    expect(theirs).toHaveLength(ours.length);
    let worst = 0;
    theirs.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - ours[i]!));
    });
    expect(worst).toBeLessThan(1e-5);
  });
});

/** ROC AUC by ranks, ties averaged (independent of the trainer's own metric code). */
function auc(scores: Float64Array, labels: Float32Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) j++;
    for (let k = i; k < j; k++) {
      if (labels[order[k]!] === 1) {
        rankSum += (i + j + 1) / 2;
        positives++;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const CHURN_17 = `
import sys, numpy as np, xgboost as xgb
from sklearn.metrics import roc_auc_score
load = lambda f: np.array([[float(v) for v in l.strip().strip('"').split(',')] for l in open(f) if l.strip()])
tr, te = load(sys.argv[1]), load(sys.argv[2])
aucs = []
for seed in range(3):
    params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 5, 'eta': 0.2, 'gamma': 4,
              'min_child_weight': 6, 'subsample': 0.8, 'seed': seed}
    b = xgb.train(params, xgb.DMatrix(tr[:, 1:], label=tr[:, 0]), 100)
    aucs.append(roc_auc_score(te[:, 0], b.predict(xgb.DMatrix(te[:, 1:]))))
print(sum(aucs) / len(aucs))
`;

describe('accuracy on the churn file', () => {
  it("has a test AUC within 0.01 of XGBoost 1.7.4's on the same split (mean of three seeds each)", () => {
    const lines = readFileSync('/work/shared/data/customer-churn.csv', 'utf8').trim().split('\n');
    const test = lines.filter((_, i) => i % 5 === 4);
    const rest = lines.filter((_, i) => i % 5 !== 4);
    writeFileSync(join(dir, 'churn-train.csv'), `${rest.join('\n')}\n`);
    writeFileSync(join(dir, 'churn-test.csv'), `${test.join('\n')}\n`);
    const trainData = parseNumericCsv(readFileSync(join(dir, 'churn-train.csv')));
    const testData = parseNumericCsv(readFileSync(join(dir, 'churn-test.csv')));
    expect([trainData.nRows + testData.nRows, trainData.nCols + 1]).toEqual([2999, 70]);
    let sum = 0;
    for (let seed = 0; seed < 3; seed++) {
      const hp = parseHyperparameters({
        objective: 'binary:logistic',
        max_depth: 5,
        eta: 0.2,
        gamma: 4,
        min_child_weight: 6,
        subsample: 0.8,
        num_round: 100,
        seed,
      });
      const model = train(trainData, hp).model();
      sum += auc(predict(model, testData.features, testData.nRows, testData.nCols), testData.labels);
    }
    const ours = sum / 3;
    const theirs = Number(
      execFileSync('/usr/bin/python3', ['-c', CHURN_17, join(dir, 'churn-train.csv'), join(dir, 'churn-test.csv')]),
    );
    expect(theirs).toBeGreaterThan(0.85);
    expect(Math.abs(ours - theirs)).toBeLessThan(0.01);
  });
});
