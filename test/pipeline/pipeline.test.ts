import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  killHard,
  runCli,
  type ServerProcess,
  startServerProcess,
  stopGracefully,
} from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'flywheel-pipeline-'));
const project = join(dir, 'project');
const dataDir = join(dir, 'data');
let server: ServerProcess | undefined;

const flywheel = (args: string[], cwd = dir): CliResult => runCli(args, cwd);

function editConfig(change: (config: Record<string, unknown>) => void): void {
  const file = join(project, 'ml-pipeline-config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  change(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}

beforeAll(() => {
  const init = flywheel(['init', project]);
  expect(init.code, init.stderr).toBe(0);
});

afterAll(async () => {
  if (server) await stopGracefully(server);
  rmSync(dir, { recursive: true, force: true });
});

describe('the ML pipeline end to end', () => {
  it('init refuses to overwrite the project unless --force', () => {
    const again = flywheel(['init', project]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('ml-pipeline-config.json');
  });

  it('rejects a config that does not fit the schema, naming the key', () => {
    const bad = join(dir, 'bad-project');
    expect(flywheel(['init', bad]).code).toBe(0);
    const file = join(bad, 'ml-pipeline-config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.endpoint.replicas = 'two';
    config.gate.conditions = ['auc > 0.8'];
    writeFileSync(file, JSON.stringify(config));
    const r = flywheel(['--data-dir', join(dir, 'bad-data'), 'ml', 'run', bad, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('endpoint.replicas must be an integer between 1 and 16 (got "two")');
    expect(r.stderr).toContain('gate.conditions[0]');
  });

  it('runs on an embedded server: ETL, tracking, training, gate, registry, baseline, endpoint, sample prediction', () => {
    const r = flywheel(['--data-dir', join(dir, 'embedded'), 'ml', 'run', project, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      modelGroup: 'churn',
      modelVersion: 1,
      endpointName: 'churn-endpoint',
    });
    expect(result.gate.passed).toBe(true);
    expect(result.gate.metrics.auc).toBeGreaterThan(0.85);
    expect(result.invocationUrl).toMatch(/\/endpoints\/churn-endpoint\/invocations$/);
    const p = Number(result.samplePrediction.prediction);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(result.samplePrediction.variant).toBe('v1');
    const runs = readFileSync(join(project, 'runs', result.executionId, 'baseline', 'statistics.json'), 'utf8');
    expect(JSON.parse(runs).dataset.item_count).toBeGreaterThan(2000);
  });

  it('on a running server: a failed gate leaves the endpoint alone, a new hyperparameter updates it as a new variant', async () => {
    server = await startServerProcess(dataDir, [], project);
    const first = flywheel(['--data-dir', dataDir, 'ml', 'run', project, '--json']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).modelVersion).toBe(1);
    const before = await server.client.endpoints.describe('churn-endpoint');
    expect(before.variants.map((v) => v.name)).toEqual(['v1']);

    editConfig((c) => {
      (c.gate as { conditions: string[] }).conditions = ['test:auc >= 0.999'];
    });
    const gated = flywheel(['--data-dir', dataDir, 'ml', 'run', project, '--json']);
    expect(gated.code).toBe(1);
    const failed = JSON.parse(gated.stdout);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'QualityGate.Failed' });
    expect(failed.cause).toMatch(/^quality gate failed: test:auc 0\.\d+ < 0\.999/);
    const untouched = await server.client.endpoints.describe('churn-endpoint');
    expect(untouched.variants.map((v) => v.name)).toEqual(['v1']);

    editConfig((c) => {
      (c.gate as { conditions: string[] }).conditions = ['test:auc >= 0.8'];
      (c.hyperparameters as Record<string, unknown>).max_depth = 4;
    });
    const second = flywheel(['--data-dir', dataDir, 'ml', 'run', project, '--json']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      status: 'SUCCEEDED',
      modelVersion: 2,
      samplePrediction: { variant: 'v2' },
    });
    const after = await server.client.endpoints.describe('churn-endpoint');
    expect(after.status).toBe('InService');
    expect(after.variants.map((v) => v.name)).toEqual(['v2']);
  }, 120_000);

  it('finishes the pipeline when the server is killed during training and started again', async () => {
    if (!server) throw new Error('the previous test starts the server');
    editConfig((c) => {
      Object.assign(c.hyperparameters as Record<string, unknown>, {
        num_round: 1500,
        max_depth: 6,
        eta: 0.05,
        gamma: 0,
      });
    });
    const definition = JSON.parse(readFileSync(join(project, 'ml-pipeline.asl.json'), 'utf8'));
    await server.client.updateStateMachine('ml-pipeline', definition);
    // Start it the way `ml run` does: the config with absolute paths as input.
    const { loadPipelineConfig } = await import('../../src/pipeline/index.js');
    const input = { config: loadPipelineConfig(join(project, 'ml-pipeline-config.json')), projectDir: project };
    const started = await server.client.startExecution('ml-pipeline', input);
    for (let i = 0; ; i++) {
      const history = await server.client.history(started.executionId);
      if (history.some((e) => e.type === 'StateEntered' && e.state === 'Train')) break;
      if (i > 400) throw new Error('training never started');
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 300));
    await killHard(server);
    server = await startServerProcess(dataDir, [], project);
    const done = await server.client.waitForExecution(started.executionId);
    expect(done.status, `${done.error}: ${done.cause}`).toBe('SUCCEEDED');
    const history = await server.client.history(started.executionId);
    const interrupted = history.filter((e) => e.type === 'TaskFailed' && String(e.cause).includes('engine stopped'));
    expect(interrupted.length).toBeGreaterThan(0);
    // ETL ran once: completed states are not run again after the restart.
    const etl = history.filter((e) => e.type === 'TaskScheduled' && e.state === 'ETL');
    expect(etl).toHaveLength(1);
    expect((done.output as { modelVersion: number }).modelVersion).toBe(3);
  }, 120_000);
});

describe("the pipeline on the AWS sample's churn file", () => {
  const churn = join(import.meta.dirname, '../../../shared/data/customer-churn.csv');

  it.runIf(existsSync(churn))(
    "reaches a test AUC as good as XGBoost 1.7.4 on the same split, with the sample's hyperparameters",
    () => {
      const aws = join(dir, 'aws');
      expect(flywheel(['init', aws]).code).toBe(0);
      writeFileSync(
        join(aws, 'etl', 'prep.json'),
        JSON.stringify({
          input: { path: churn, format: 'csv', header: false, quotedLines: true },
          label: { column: 'column0' },
          split: { ratios: { train: 0.7, validation: 0.1, test: 0.2 }, seed: 11, stratify: true },
          output: { dir: '../prepared', formats: ['csv'] },
        }),
      );
      const r = flywheel(['--data-dir', join(dir, 'aws-data'), 'ml', 'run', aws, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const ours = JSON.parse(r.stdout).gate.metrics.auc as number;
      const script = `
import sys, numpy as np, xgboost as xgb
from sklearn.metrics import roc_auc_score
tr = np.loadtxt(sys.argv[1], delimiter=','); va = np.loadtxt(sys.argv[2], delimiter=','); te = np.loadtxt(sys.argv[3], delimiter=',')
params = dict(objective='binary:logistic', max_depth=5, eta=0.2, gamma=4, min_child_weight=6, subsample=0.8, eval_metric='auc', seed=42, tree_method='hist', nthread=2)
b = xgb.train(params, xgb.DMatrix(tr[:,1:], label=tr[:,0]), num_boost_round=100)
print(roc_auc_score(te[:,0], b.predict(xgb.DMatrix(te[:,1:]))))
`;
      const prepared = (s: string) => join(aws, 'prepared', `${s}.csv`);
      const py = spawnSync(
        '/usr/bin/python3',
        ['-c', script, prepared('train'), prepared('validation'), prepared('test')],
        { encoding: 'utf8' },
      );
      expect(py.status, py.stderr).toBe(0);
      const theirs = Number(py.stdout.trim());
      expect(theirs).toBeGreaterThan(0.8);
      expect(ours).toBeGreaterThanOrEqual(theirs - 0.01);
    },
    120_000,
  );
});
