import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeChurnData } from '../../src/ml/data/index.js';
import { type CliResult, runCli, startServerProcess, stopGracefully } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'flywheel-ml-cli-'));

const flywheel = (args: string[]): CliResult => runCli(args, dir);

const spec = {
  input: { path: 'data/churn.csv', format: 'csv' },
  steps: [
    { op: 'drop', columns: ['Day Charge', 'Eve Charge', 'Night Charge', 'Intl Charge'] },
    { op: 'oneHot', columns: ['State', 'Area Code', 'International Plan', 'Voice Mail Plan'] },
  ],
  label: { column: 'Churn?', positive: 'True.' },
  split: { ratios: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 7, stratify: true },
  output: { dir: 'prepared', formats: ['csv'] },
};

beforeAll(async () => {
  await writeChurnData(join(dir, 'data/churn.csv'), { rows: 3333, seed: 1 });
  writeFileSync(join(dir, 'prep.json'), JSON.stringify(spec));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the ML steps from the CLI', () => {
  it('prepares, trains, predicts and evaluates with a quality gate', () => {
    const prep = flywheel(['data', 'prep', 'prep.json', '--json']);
    expect(prep.code, prep.stderr).toBe(0);
    const result = JSON.parse(prep.stdout);
    const rows = ['train', 'validation', 'test'].map((s) => result.splits[s][0].rows as number);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(3333);

    const train = flywheel([
      'ml',
      'train',
      '--train',
      'prepared/train.csv',
      '--validation',
      'prepared/validation.csv',
      '--hp',
      'objective=binary:logistic',
      '--hp',
      'num_round=30',
      '--hp',
      'max_depth=5',
      '--hp',
      'eta=0.2',
      '--hp',
      'eval_metric=auc',
      '--out',
      'model.json',
      '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const lines = train.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => 'round' in l)).toHaveLength(30);
    expect(lines.at(-1)).toMatchObject({ model: 'model.json', rounds: 30 });

    // predict takes features only: drop the label column of the test split.
    const test = readFileSync(join(dir, 'prepared/test.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'features.csv'), `${test.map((l) => l.slice(l.indexOf(',') + 1)).join('\n')}\n`);
    const predict = flywheel(['ml', 'predict', '--model', 'model.json', '--input', 'features.csv']);
    expect(predict.code, predict.stderr).toBe(0);
    const predictions = predict.stdout.trim().split('\n').map(Number);
    expect(predictions).toHaveLength(test.length);
    expect(predictions.every((p) => p > 0 && p < 1)).toBe(true);

    const evaluate = flywheel([
      'ml',
      'evaluate',
      '--model',
      'model.json',
      '--test',
      'prepared/test.csv',
      '--gate',
      'test:auc >= 0.7',
      '--json',
    ]);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    const metrics = JSON.parse(evaluate.stdout);
    expect(metrics.metrics.auc).toBeGreaterThan(0.7);
    expect(metrics.gate.passed).toBe(true);

    const tooStrict = flywheel([
      'ml',
      'evaluate',
      '--model',
      'model.json',
      '--test',
      'prepared/test.csv',
      '--gate',
      'test:auc >= 0.9999',
    ]);
    expect(tooStrict.code).toBe(1);
    expect(tooStrict.stdout).toContain('quality gate failed: test:auc');
  });

  it('rejects a bad hyperparameter before training, naming it, its value and the allowed range', () => {
    const r = flywheel(['ml', 'train', '--train', 'prepared/train.csv', '--hp', 'max_depth=five', '--out', 'bad.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('max_depth');
    expect(r.stderr).toContain('five');
  });

  it('runs data prep, tracking, training and evaluation as workflow task resources', async () => {
    writeFileSync(
      join(dir, 'pipeline.json'),
      JSON.stringify({
        StartAt: 'Prep',
        States: {
          Prep: {
            Type: 'Task',
            Resource: 'flywheel:ml.dataPrep',
            Parameters: { SpecFile: 'prep.json' },
            ResultPath: '$.prep',
            Next: 'StartRun',
          },
          StartRun: {
            Type: 'Task',
            Resource: 'flywheel:tracking.startRun',
            Parameters: { Experiment: 'churn-cli', Params: { max_depth: '4' } },
            ResultPath: '$.run',
            Next: 'Train',
          },
          Train: {
            Type: 'Task',
            Resource: 'flywheel:ml.train',
            Parameters: {
              'Train.$': '$.prep.splits.train[0].path',
              'Validation.$': '$.prep.splits.validation[0].path',
              Hyperparameters: { objective: 'binary:logistic', num_round: '20', max_depth: '4', eval_metric: 'auc' },
              ModelPath: 'wf-model.json',
              'RunId.$': '$.run.runId',
            },
            ResultPath: '$.train',
            Next: 'Evaluate',
          },
          Evaluate: {
            Type: 'Task',
            Resource: 'flywheel:ml.evaluate',
            Parameters: {
              'Model.$': '$.train.ModelPath',
              'Test.$': '$.prep.splits.test[0].path',
              Gate: { Conditions: ['test:auc >= 0.7'] },
            },
            ResultSelector: {
              'passed.$': '$.gate.passed',
              'auc.$': '$.gateMetrics.test.auc',
              'verdict.$': '$.verdict',
            },
            End: true,
          },
        },
      }),
    );
    const r = flywheel(['--data-dir', 'fw', 'workflow', 'run', 'pipeline.json', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.output.passed).toBe(true);
    expect(out.output.auc).toBeGreaterThan(0.7);
    // Every boosting round's validation metric went into the tracking run as training produced it.
    const server = await startServerProcess(join(dir, 'fw'), [], dir);
    try {
      const [run] = await server.client.listRuns({ experiment: 'churn-cli' });
      const points = await server.client.metricHistory(run?.runId ?? '', 'validation-auc');
      expect(points).toHaveLength(20);
    } finally {
      await stopGracefully(server);
    }
  });
});
