import { describe, expect, it } from 'vitest';
import { buildHistograms, histogramKernel } from './histogram.js';
import { parseHyperparameters } from './hyperparameters.js';
import { auc, computeMetric } from './metrics.js';
import { treeDepth } from './model.js';
import { computeGradientBlocks } from './objectives.js';
import { predict } from './scorer.js';
import { betterSplit, findBestSplit, readSplit, writeSplit } from './split.js';
import { synthetic } from './synthetic.js';
import { TrainingError, TrainingSession, train } from './training-session.js';
import { gradientBlockCount, localExecutor, type TrainingExecutor, type TrainingWork } from './tree-executor.js';
import { toXgboostJson } from './xgboost-json-write.js';

const binary = (raw: Record<string, string | number>) =>
  parseHyperparameters({ objective: 'binary:logistic', num_round: 30, ...raw });
const data = synthetic({ rows: 3000, seed: 1 });
const valid = synthetic({ rows: 1500, seed: 2 });

describe('training', () => {
  it('learns a non-linear binary target and streams falling validation loss', () => {
    const rounds: number[] = [];
    const session = train(data, binary({ max_depth: 4, eta: 0.2, eval_metric: 'logloss,auc' }), {
      validation: valid,
      onRound: (step) => rounds.push(step.metrics.validation!.logloss!),
    });
    expect(rounds).toHaveLength(30);
    expect(rounds[29]!).toBeLessThan(rounds[0]! - 0.05);
    expect(session.history[29]!.validation!.auc).toBeGreaterThan(0.75);
    const p = predict(session.model(), valid.features, valid.nRows, valid.nCols);
    expect(auc(p, valid.labels)).toBeCloseTo(session.history[29]!.validation!.auc!, 12);
  });

  it.each([
    ['subsampled rows', { subsample: 0.7, colsample_bytree: 0.6 }, 0],
    ['missing values', { max_depth: 5 }, 0.2],
    ['trees deeper than the histogram pool and the heap scorer', { max_depth: 16, min_child_weight: 0, eta: 0.5 }, 0.1],
  ] as [string, Record<string, number>, number][])(
    'tracks training margins that equal the scorer on the same rows (%s)',
    (_, raw, missing) => {
      const rows = synthetic({ rows: 2500, seed: 5, missing });
      const session = train(rows, binary({ ...raw, num_round: 12 }));
      const model = session.model();
      if (raw.max_depth === 16) expect(Math.max(...model.trees.map(treeDepth))).toBeGreaterThan(12);
      const p = predict(model, rows.features, rows.nRows, rows.nCols);
      expect(computeMetric('logloss', p, rows.labels, 1)).toBeCloseTo(session.history[11]!.train!.logloss!, 9);
    },
  );

  it('is deterministic for a seed, and a seed changes sampled models', () => {
    const hp = binary({ subsample: 0.8, colsample_bytree: 0.7, seed: 42, num_round: 8 });
    const a = toXgboostJson(train(data, hp).model());
    expect(toXgboostJson(train(data, hp).model())).toBe(a);
    expect(toXgboostJson(train(data, { ...hp, seed: 43 }).model())).not.toBe(a);
  });

  it('gives the same model when the work is shared out as threads share it', () => {
    const hp = binary({ max_depth: 5, num_round: 6, colsample_bytree: 0.8 });
    // Two "threads" run one after the other: histograms and split search by feature range (splits passed through
    // their shared-memory encoding), gradients by halves of the row blocks.
    const shared = (work: TrainingWork): TrainingExecutor => {
      const local = localExecutor(work);
      const n = work.matrix.nCols;
      const mid = Math.floor(n / 2);
      const kernels = [
        histogramKernel(n, work.matrix.slotOffset, 0, mid),
        histogramKernel(n, work.matrix.slotOffset, mid, n),
      ];
      const blocks = gradientBlockCount(work.gradients.nRows);
      const losses = new Float64Array(blocks);
      let features: Int32Array = new Int32Array(0);
      let offset = 0;
      const stride = 2 * work.matrix.totalSlots;
      return {
        ...local,
        beginTree(f, o) {
          features = f;
          offset = o;
          local.beginTree(f, o);
        },
        histograms(tasks) {
          buildHistograms(work, kernels[1]!, tasks, offset, mid, n);
          buildHistograms(work, kernels[0]!, tasks, offset, 0, mid);
        },
        splits: (requests) =>
          requests.map((q) => {
            const half = Math.floor(features.length / 2);
            const out = new Float64Array(16);
            const at = (j0: number, j1: number) =>
              findBestSplit(work.matrix, work.hist, q.slot * stride, q.g, q.h, features, work.split, j0, j1);
            writeSplit(at(0, half), out, 0);
            writeSplit(at(half, features.length), out, 8);
            return betterSplit(readSplit(work.matrix.cuts, out, 0), readSplit(work.matrix.cuts, out, 8));
          }),
        gradients() {
          computeGradientBlocks(work.gradients, Math.floor(blocks / 2), blocks, losses);
          computeGradientBlocks(work.gradients, 0, Math.floor(blocks / 2), losses);
          return losses.reduce((sum, v) => sum + v, 0);
        },
      };
    };
    const big = synthetic({ rows: 40_000, seed: 8, missing: 0.05 });
    const one = train(big, hp);
    const two = train(big, hp, { executor: shared });
    expect(toXgboostJson(two.model())).toBe(toXgboostJson(one.model()));
    expect(two.history).toEqual(one.history);
  });

  it('stops early on the last metric of the validation channel and records the best iteration', () => {
    const hp = binary({
      eta: 1,
      max_depth: 8,
      min_child_weight: 0,
      num_round: 200,
      eval_metric: 'auc,logloss',
      early_stopping_rounds: 5,
    });
    const session = train(data, hp, { validation: valid });
    const best = session.bestIteration!;
    expect(session.history.length).toBe(best + 6);
    expect(session.history.length).toBeLessThan(200);
    const losses = session.history.map((m) => m.validation!.logloss!);
    expect(Math.min(...losses)).toBe(losses[best]);
    expect(session.model().attributes).toEqual({ best_iteration: String(best), best_score: String(losses[best]) });
    expect(session.step()).toMatchObject({ kind: 'finished', reason: 'early_stopping', bestIteration: best });
  });

  it('learns a default direction for missing values', () => {
    const rows = synthetic({ rows: 4000, seed: 7, missing: 0.3 });
    const session = train(rows, binary({ max_depth: 3, num_round: 5 }));
    const model = session.model();
    const missingLeft = model.trees.some((t) => Array.from(t.left).some((l, i) => l >= 0 && t.defaultLeft[i] === 1));
    expect(missingLeft).toBe(true);
    // Rows missing f0 are mostly positive (see synthetic.ts): the model must score them high.
    const probe = Float32Array.from(rows.features.subarray(0, rows.nCols));
    probe[0] = Number.NaN;
    expect(predict(model, probe, 1, rows.nCols)[0]).toBeGreaterThan(0.6);
  });

  it('trains multi-class softprob: one tree per class per round, probabilities that sum to 1', () => {
    const rows = synthetic({ rows: 3000, seed: 3, task: 'multiclass' });
    const hp = parseHyperparameters({
      objective: 'multi:softprob',
      num_class: 3,
      num_round: 10,
      eval_metric: 'merror,mlogloss',
    });
    const session = train(rows, hp);
    const model = session.model();
    expect(Array.from(model.treeInfo.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(session.history[9]!.train!.merror).toBeLessThan(0.2);
    const p = predict(model, rows.features, 5, rows.nCols);
    for (let r = 0; r < 5; r++) expect(p[3 * r]! + p[3 * r + 1]! + p[3 * r + 2]!).toBeCloseTo(1, 12);
    expect(
      computeMetric('mlogloss', transpose(predict(model, rows.features, rows.nRows, rows.nCols), 3), rows.labels, 3),
    ).toBeCloseTo(session.history[9]!.train!.mlogloss!, 9);
  });

  it('fits regression from the label mean', () => {
    const rows = synthetic({ rows: 2000, seed: 4, task: 'regression' });
    const session = train(rows, parseHyperparameters({ num_round: 20, max_depth: 3 }));
    const mean = rows.labels.reduce((s, y) => s + y, 0) / rows.nRows;
    expect(session.model().baseScore[0]).toBeCloseTo(mean, 5);
    expect(session.history[19]!.train!.rmse).toBeLessThan(session.history[0]!.train!.rmse! * 0.8);
  });

  it('applies gamma, min_child_weight, max_depth, lambda and alpha', () => {
    const leaves = (raw: Record<string, number>) => train(data, binary({ num_round: 1, ...raw })).model().trees[0]!;
    expect(leaves({ gamma: 1e6 }).left.length).toBe(1);
    expect(leaves({ min_child_weight: 1e6 }).left.length).toBe(1);
    expect(treeDepth(leaves({ max_depth: 2 }))).toBe(2);
    const root = (t: ReturnType<typeof leaves>) => Math.abs(t.condition[t.left.length - 1]!);
    expect(root(leaves({ max_depth: 1, lambda: 1000 }))).toBeLessThan(root(leaves({ max_depth: 1 })) / 2);
    expect(root(leaves({ max_depth: 1, alpha: 200 }))).toBeLessThan(root(leaves({ max_depth: 1 })));
  });

  it('rejects labels the objective cannot take, naming the row', () => {
    const bad = { ...data, labels: Float32Array.from(data.labels, (y, i) => (i === 9 ? 2 : y)) };
    expect(() => new TrainingSession(bad, binary({}))).toThrow(TrainingError);
    expect(() => new TrainingSession(bad, binary({}))).toThrow(
      'train: label of data row 10 is 2; binary:logistic needs labels between 0 and 1',
    );
    expect(() => new TrainingSession(data, binary({ early_stopping_rounds: 3 }))).toThrow(
      'hyperparameters.early_stopping_rounds needs a validation channel',
    );
  });
});

/** Row-major (rows x k) to class-major (k x rows), the layout computeMetric takes for multi-class. */
function transpose(p: Float64Array, k: number): Float64Array {
  const n = p.length / k;
  const out = new Float64Array(p.length);
  for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) out[c * n + r] = p[r * k + c]!;
  return out;
}
