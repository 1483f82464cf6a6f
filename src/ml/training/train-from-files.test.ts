import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromXgboostJson, predictMargins, synthetic, type TrainingData } from '../gbdt/index.js';

// Worker threads load compiled JavaScript, so these tests use the build in dist/ml/training.
const ROOT = join(import.meta.dirname, '../../..');
let lib: typeof import('./index.js');
const dir = mkdtempSync(join(tmpdir(), 'flywheel-train-files-'));

function writeCsv(name: string, data: TrainingData, header?: string): string {
  const lines = header ? [header] : [];
  for (let r = 0; r < data.nRows; r++) {
    const values = Array.from(data.features.subarray(r * data.nCols, (r + 1) * data.nCols), (v) =>
      Number.isNaN(v) ? '' : String(v),
    );
    lines.push([data.labels[r], ...values].join(','));
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const trainData = synthetic({ rows: 4000, seed: 31, missing: 0.05 });
const validData = synthetic({ rows: 1000, seed: 32, missing: 0.05 });
let trainCsv = '';
let validCsv = '';
const hp = { objective: 'binary:logistic', num_round: '20', max_depth: '5', eval_metric: 'logloss' };

beforeAll(async () => {
  // `npm test` builds first (pretest). Building again here rewrote dist/ while other test files' servers were
  // loading it, and one of them failed on a half-written module.
  const entry = join(ROOT, 'dist/ml/training/index.js');
  expect(existsSync(entry), `${entry} is missing: run npm run build (npm test does)`).toBe(true);
  lib = (await import(pathToFileURL(entry).href)) as typeof lib;
  trainCsv = writeCsv('train.csv', trainData);
  validCsv = writeCsv('valid.csv', validData);
}, 120_000);

describe('trainFromFiles', () => {
  it('trains in a worker thread, streaming every round, and returns the model with its JSON', async () => {
    const seen: number[] = [];
    const result = await lib.trainFromFiles({
      train: trainCsv,
      validation: validCsv,
      hyperparameters: hp,
      threads: 1,
      onRound: (round, metrics) => {
        seen.push(round);
        expect(Object.keys(metrics)).toEqual(['train', 'validation']);
      },
    });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(result.history).toHaveLength(20);
    expect(result.history[19]!.validation!.logloss).toBeLessThan(result.history[0]!.validation!.logloss!);
    const fromJson = fromXgboostJson(result.modelJson);
    const a = predictMargins(fromJson, validData.features, validData.nRows, validData.nCols);
    const b = predictMargins(result.model, validData.features, validData.nRows, validData.nCols);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('gives the identical model on two threads', async () => {
    const one = await lib.trainFromFiles({ train: trainCsv, hyperparameters: hp, threads: 1 });
    const two = await lib.trainFromFiles({ train: trainCsv, hyperparameters: hp, threads: 2 });
    expect(two.modelJson).toBe(one.modelJson);
  });

  it('reads a named label column from a header and keeps the feature names', async () => {
    const names = Array.from({ length: trainData.nCols }, (_, i) => `f${i}`);
    const path = writeCsv('named.csv', trainData, ['churned', ...names].join(','));
    const result = await lib.trainFromFiles({
      train: path,
      label: 'churned',
      hyperparameters: { ...hp, num_round: 2 },
    });
    expect(result.model.featureNames).toEqual(names);
  });

  it('stops early and reports the best iteration', async () => {
    const result = await lib.trainFromFiles({
      train: trainCsv,
      validation: validCsv,
      hyperparameters: { ...hp, eta: 1, max_depth: 10, num_round: 300, early_stopping_rounds: 4 },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(result.bestIteration! + 5);
    expect(result.model.attributes.best_iteration).toBe(String(result.bestIteration));
  });

  it('is cancelled by its AbortSignal, terminating the worker', async () => {
    const controller = new AbortController();
    const rounds: number[] = [];
    const started = Date.now();
    const run = lib.trainFromFiles({
      train: trainCsv,
      hyperparameters: { ...hp, num_round: 100000, max_depth: 8 },
      signal: controller.signal,
      onRound: (round) => {
        rounds.push(round);
        if (round === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(20_000);
    const count = rounds.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rounds.length).toBe(count);
    const aborted = AbortSignal.abort();
    await expect(lib.trainFromFiles({ train: trainCsv, hyperparameters: hp, signal: aborted })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('rejects a bad hyperparameter before training starts, naming it, its value and the range', async () => {
    let rounds = 0;
    await expect(
      lib.trainFromFiles({
        train: '/nonexistent.csv',
        hyperparameters: { max_depth: 'five', subsample: '2' },
        onRound: () => rounds++,
      }),
    ).rejects.toThrow(
      'hyperparameters.max_depth must be an integer between 0 and 64 (got "five")\n' +
        'hyperparameters.subsample must be a number > 0 and <= 1 (got "2")',
    );
    await expect(
      lib.trainFromFiles({ train: trainCsv, hyperparameters: { early_stopping_rounds: 3 } }),
    ).rejects.toThrow('hyperparameters.early_stopping_rounds needs a validation channel');
    expect(rounds).toBe(0);
  });

  it('rejects a corrupted CSV naming the file, line and column', async () => {
    const lines = readFileSync(trainCsv, 'utf8').split('\n');
    lines[1233] = lines[1233]!.replace(/,([^,]*)$/, ',12..5');
    const bad = join(dir, 'corrupted.csv');
    writeFileSync(bad, lines.join('\n'));
    await expect(lib.trainFromFiles({ train: bad, hyperparameters: hp })).rejects.toThrow(
      `${bad}: line 1234, column 9: "12..5" is not a finite number`,
    );
    const badLabel = join(dir, 'bad-label.csv');
    writeFileSync(badLabel, readFileSync(trainCsv, 'utf8').replace(/^[01],/, '7,'));
    await expect(lib.trainFromFiles({ train: badLabel, hyperparameters: hp, threads: 2 })).rejects.toThrow(
      'train: label of data row 1 is 7; binary:logistic needs labels between 0 and 1',
    );
  });
});

describe('model files, batch prediction and the CLI entry points', () => {
  it('saves atomically and loads a model, naming the file in errors', async () => {
    const result = await lib.trainFromFiles({ train: trainCsv, hyperparameters: { ...hp, num_round: 3 } });
    const path = join(dir, 'model.json');
    await lib.saveModel(path, result.model);
    await lib.saveModel(path, result.modelJson);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(result.modelJson);
    const loaded = await lib.loadModel(path);
    expect(loaded.trees).toHaveLength(3);
    writeFileSync(join(dir, 'broken.json'), '{"learner": {}}');
    await expect(lib.loadModel(join(dir, 'broken.json'))).rejects.toThrow(
      `${join(dir, 'broken.json')}: learner.learner_model_param must be an object (got missing)`,
    );
  });

  it('predicts a file with or without its label column, on one or two threads', async () => {
    const { model } = await lib.trainFromFiles({ train: trainCsv, hyperparameters: hp });
    const out = join(dir, 'predictions.txt');
    const withLabel = await lib.predictFile({ model, input: validCsv, out });
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1000);
    const featuresOnly = join(dir, 'features.csv');
    writeFileSync(featuresOnly, readFileSync(validCsv, 'utf8').replace(/^[^,\n]*,/gm, ''));
    const plain = await lib.predictFile({ model, input: featuresOnly, threads: 2 });
    expect(Array.from(plain.predictions)).toEqual(Array.from(withLabel.predictions));
    const big = synthetic({ rows: 40_000, seed: 5, missing: 0.05 });
    const one = await lib.predictBatch(model, big.features, big.nRows, big.nCols, { threads: 1 });
    const two = await lib.predictBatch(model, big.features, big.nRows, big.nCols, { threads: 2 });
    expect(Array.from(two)).toEqual(Array.from(one));
  });

  it('runs the train and predict commands', async () => {
    const printed: string[] = [];
    const stdout = { write: (text: string) => printed.push(text) };
    const out = join(dir, 'cli-model.json');
    await lib.runTrainCommand({
      train: trainCsv,
      validation: validCsv,
      hp: ['objective=binary:logistic', 'num_round=3', 'eta = 0.5'],
      out,
      stdout,
    });
    expect(printed[0]).toMatch(/^\[0\]\ttrain-logloss:0\.\d{5}\tvalidation-logloss:0\.\d{5}\n$/);
    expect(printed.at(-1)).toBe(`saved ${out}: 3 rounds\n`);
    printed.length = 0;
    await lib.runPredictCommand({ model: out, input: validCsv, stdout });
    expect(printed.join('').trim().split('\n')).toHaveLength(1000);
    await expect(lib.runTrainCommand({ train: trainCsv, hp: ['max_depth'], out })).rejects.toThrow(
      '--hp "max_depth" must be name=value, e.g. max_depth=5',
    );
  });
});
