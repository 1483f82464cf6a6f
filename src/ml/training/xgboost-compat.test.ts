import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromXgboostJson, parseNumericCsv, predict, predictMargins, predictRow, toXgboostJson } from '../gbdt/index.js';

// Reads models XGBoost wrote: the 3.5 fixtures (shared, read in place) and models Debian's XGBoost 1.7.4 writes here.
const FIXTURES = join(import.meta.dirname, '../../../../shared/reference/xgboost-fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const numbers = (text: string) => text.trim().split('\n').map(Number);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const test = parseNumericCsv(fixture('churnsize_3333x19_test.csv'), { source: 'test.csv' });

/** XGBoost writes float32 probabilities: a margin error of 1e-5 plus one float32 rounding of the output. */
function expectProbabilitiesFromMargins(margins: Float64Array, probabilities: number[]): void {
  expect(margins.length).toBe(probabilities.length);
  const bad = probabilities.filter((p, i) => Math.abs(sigmoid(margins[i]!) - p) > 1e-5 * p * (1 - p) + 1.2e-7);
  expect(bad).toEqual([]);
}

function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const HAND = join(import.meta.dirname, '../../../test/fixtures/xgboost/hand-3trees');
const hand = JSON.parse(readFileSync(join(HAND, 'expected.json'), 'utf8')) as {
  rows: (number | null)[][];
  margins: number[];
};

describe('the hand-checked 3-tree model', () => {
  it('predicts the margins worked out by hand, missing values and float32 comparisons included', () => {
    const model = fromXgboostJson(readFileSync(join(HAND, 'model.json'), 'utf8'));
    const rows = Float32Array.from(hand.rows.flat(), (v) => (v === null ? Number.NaN : v));
    const margins = predictMargins(model, rows, hand.rows.length, 2);
    expect(worstDifference(margins, hand.margins)).toBeLessThan(1e-7);
    hand.rows.forEach((row, i) => {
      expect(
        predictRow(
          model,
          row.map((v) => v ?? Number.NaN),
        )[0],
      ).toBeCloseTo(sigmoid(hand.margins[i]!), 7);
    });
  });

  it('is read the same way by XGBoost 1.7.4', () => {
    const script = [
      'import sys, json, numpy as np, xgboost as xgb',
      'b = xgb.Booster(model_file=sys.argv[1])',
      'rows = np.array([[np.nan if v is None else v for v in r] for r in json.load(open(sys.argv[2]))["rows"]], dtype=np.float32)',
      'print(json.dumps(b.predict(xgb.DMatrix(rows, missing=np.nan), output_margin=True).tolist()))',
    ].join('\n');
    const out = execFileSync('/usr/bin/python3', ['-c', script, join(HAND, 'model.json'), join(HAND, 'expected.json')]);
    expect(worstDifference(JSON.parse(out.toString()) as number[], hand.margins)).toBeLessThan(1e-6);
  });
});

describe('models written by XGBoost 3.5', () => {
  it('predicts what XGBoost 3.5 predicted for the 100-tree churn-sized model', () => {
    const model = fromXgboostJson(fixture('churnsize_3333x19_nt1.json').toString('utf8'));
    expect(model.trees).toHaveLength(100);
    expect(model.baseScore[0]).toBeCloseTo(0.39182603, 7);
    const margins = predictMargins(model, test.features, test.nRows, test.nCols);
    expectProbabilitiesFromMargins(margins, numbers(fixture('churnsize_3333x19_pred_test.txt').toString()));
  });

  it('predicts the hand-readable 2-tree depth-2 model, by row and in batch', () => {
    const model = fromXgboostJson(fixture('tiny_depth2_rounds2.json').toString('utf8'));
    const expected = numbers(fixture('tiny_pred_test.txt').toString());
    expectProbabilitiesFromMargins(predictMargins(model, test.features, test.nRows, test.nCols), expected);
    const row = Array.from(test.features.subarray(0, test.nCols));
    expect(predictRow(model, row)[0]).toBeCloseTo(expected[0]!, 6);
  });

  it('round-trips through toXgboostJson with identical trees and predictions', () => {
    const model = fromXgboostJson(fixture('churnsize_3333x19_nt1.json').toString('utf8'));
    const again = fromXgboostJson(toXgboostJson(model));
    expect(again.trees[7]!.condition).toEqual(model.trees[7]!.condition);
    expect(again.trees[7]!.sumHessian).toEqual(model.trees[7]!.sumHessian);
    expect(again.baseScore).toEqual(model.baseScore);
    const a = predict(model, test.features, test.nRows, test.nCols);
    expect(Array.from(predict(again, test.features, test.nRows, test.nCols))).toEqual(Array.from(a));
  });
});

// Trains small models with XGBoost 1.7.4 (binary with missing values, multi-class, regression, dart) and writes each
// model with its output margins on the same rows.
const PYTHON_17 = `
import sys, json, numpy as np, xgboost as xgb
out, train_csv, test_csv = sys.argv[1:4]
tr = np.genfromtxt(train_csv, delimiter=',', skip_header=1); te = np.genfromtxt(test_csv, delimiter=',', skip_header=1)
rng = np.random.default_rng(7)
X, y, T = tr[:, 1:].copy(), tr[:, 0], te[:, 1:].copy()
X[rng.random(X.shape) < 0.1] = np.nan; T[rng.random(T.shape) < 0.1] = np.nan
np.savetxt(out + '/test.csv', np.column_stack([te[:, 0], T]), delimiter=',', fmt='%.4f')
cases = {
  'binary': ({'objective': 'binary:logistic', 'max_depth': 5, 'eta': 0.3, 'tree_method': 'hist'}, y),
  'multi': ({'objective': 'multi:softprob', 'num_class': 3, 'max_depth': 3, 'tree_method': 'hist'},
            (X[:, 0] > 0).astype(float) + (np.nan_to_num(X[:, 1]) > 0.5)),
  'regression': ({'objective': 'reg:squarederror', 'max_depth': 4, 'base_score': 0.3, 'tree_method': 'hist'}, np.nan_to_num(X[:, 2]) * 2 + y),
  'dart': ({'booster': 'dart', 'objective': 'binary:logistic', 'rate_drop': 0.3, 'max_depth': 3, 'tree_method': 'hist'}, y),
}
D = xgb.DMatrix(np.genfromtxt(out + '/test.csv', delimiter=',')[:, 1:], missing=np.nan)
for name, (params, label) in cases.items():
    b = xgb.train(params, xgb.DMatrix(X, label=label, missing=np.nan), 12)
    b.save_model(out + '/' + name + '.json')
    np.savetxt(out + '/' + name + '.margins', b.predict(D, output_margin=True).reshape(-1), fmt='%.9g')
# The 3.5 fixture with its base_score written the 1.7 way, so 1.7.4 can give its exact margins.
m = json.load(open(sys.argv[4]))
m['learner']['learner_model_param']['base_score'] = m['learner']['learner_model_param']['base_score'].strip('[]')
json.dump(m, open(out + '/v35.json', 'w'))
b = xgb.Booster(model_file=out + '/v35.json')
D35 = xgb.DMatrix(te[:, 1:], missing=np.nan)
np.savetxt(out + '/v35.margins', b.predict(D35, output_margin=True), fmt='%.9g')
`;

describe('models written by XGBoost 1.7.4', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flywheel-xgb17-'));
    writeFileSync(join(dir, 'make.py'), PYTHON_17);
    execFileSync('/usr/bin/python3', [
      join(dir, 'make.py'),
      dir,
      join(FIXTURES, 'churnsize_3333x19_train.csv'),
      join(FIXTURES, 'churnsize_3333x19_test.csv'),
      join(FIXTURES, 'churnsize_3333x19_nt1.json'),
    ]);
  });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');

  it.each(['binary', 'multi', 'regression', 'dart'])('predicts the %s model XGBoost 1.7.4 wrote to 1e-5', (name) => {
    const model = fromXgboostJson(read(`${name}.json`));
    const rows = parseNumericCsv(read('test.csv'), { header: false });
    expect(Array.from(rows.features).some(Number.isNaN)).toBe(true);
    const margins = predictMargins(model, rows.features, rows.nRows, rows.nCols);
    expect(worstDifference(margins, numbers(read(`${name}.margins`)))).toBeLessThan(1e-5);
    const again = fromXgboostJson(toXgboostJson(model));
    expect(Array.from(predictMargins(again, rows.features, rows.nRows, rows.nCols))).toEqual(Array.from(margins));
  });

  it('gives the margins XGBoost 1.7.4 computes for the 3.5 fixture to 1e-5', () => {
    const model = fromXgboostJson(fixture('churnsize_3333x19_nt1.json').toString('utf8'));
    const margins = predictMargins(model, test.features, test.nRows, test.nCols);
    expect(worstDifference(margins, numbers(read('v35.margins')))).toBeLessThan(1e-5);
  });
});
