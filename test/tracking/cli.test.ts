import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  runCli,
  type ServerProcess,
  startServerProcess,
  stopGracefully,
} from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'flywheel-tracking-cli-'));
const dataDir = join(dir, 'data');
let server: ServerProcess;
const runs: string[] = [];

/** Runs the CLI against the test server; exit code, stdout and stderr. */
const flywheel = (...args: string[]): CliResult => runCli(['--data-dir', dataDir, ...args], dir);

function json(...args: string[]): unknown {
  const r = flywheel(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  server = await startServerProcess(dataDir);
  const { client } = server;
  for (const [depth, auc] of [
    [4, 0.81],
    [6, 0.9],
  ] as const) {
    const run = await client.startRun({ experiment: 'churn', name: `depth-${depth}`, params: { depth, seed: 1 } });
    await client.logMetrics(run.runId, [
      { key: 'validation-auc', value: auc - 0.1, step: 0 },
      { key: 'validation-auc', value: auc, step: 1 },
    ]);
    runs.push(run.runId);
  }
  writeFileSync(join(dir, 'model.json'), '{"learner":{"trees":[]}}');
  const { sha256 } = await client.uploadArtifact(join(dir, 'model.json'));
  const signature = [{ name: 'tenure', type: 'float' }];
  for (const runId of runs)
    await client.registerModel('churn', { artifactSha256: sha256, format: 'xgboost-json', signature, runId });
});

afterAll(async () => {
  await stopGracefully(server);
  rmSync(dir, { recursive: true, force: true });
});

describe('flywheel experiments and runs', () => {
  it('lists experiments and runs, as tables and as JSON, with search and ordering', () => {
    expect((json('experiments', 'list') as { experiments: { name: string; runCount: number }[] }).experiments).toEqual([
      expect.objectContaining({ name: 'churn', runCount: 2 }),
    ]);
    const best = json('runs', 'list', '--filter', "params.depth = '6'", '--order-by', 'metrics.validation-auc DESC');
    expect((best as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toEqual([runs[1]]);
    const table = flywheel('runs', 'list', '--experiment', 'churn');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/RUN ID\s+NAME\s+EXPERIMENT\s+STATUS/);
    expect(table.stdout).toContain('validation-auc=0.900000');
  });

  it('shows a run and compares runs side by side', () => {
    const shown = flywheel('runs', 'show', runs[0]!);
    expect(shown.stdout).toMatch(/param depth\s+4/);
    expect(shown.stdout).toMatch(/metric validation-auc\s+0\.810000 at step 1/);
    expect((json('runs', 'show', runs[0]!) as { params: object }).params).toEqual({ depth: '4', seed: '1' });
    const comparison = json('runs', 'compare', runs[0]!, runs[1]!) as {
      params: { differing: object };
      metrics: object;
    };
    expect(comparison.params.differing).toEqual({ depth: ['4', '6'] });
    expect(comparison.metrics).toMatchObject({ 'validation-auc': { final: [0.81, 0.9], bestRunId: runs[1] } });
    const table = flywheel('runs', 'compare', runs[0]!, runs[1]!);
    expect(table.stdout).toMatch(/param depth\s+4\s+6/);
    expect(table.stdout).toContain('same in every run: seed=1');
  });

  it('exits 2 with the reason for an unknown run or a bad filter', () => {
    const missing = flywheel('runs', 'show', 'no-such-run');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('NotFound: run no-such-run does not exist');
    const bad = flywheel('runs', 'list', '--filter', 'metrics.auc > high');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a value (a number or quoted text) but found "high" at position 15');
    expect(flywheel('runs', 'list', '--limit', 'many').code).toBe(2);
  });
});

describe('flywheel models', () => {
  it('approves, rejects and aliases versions, and lists them', () => {
    const approved = json('models', 'approve', 'churn', '2', '--comment', 'best AUC', '--actor', 'ana');
    expect(approved).toMatchObject({
      version: 2,
      status: 'Approved',
      statusChangedBy: 'ana',
      statusComment: 'best AUC',
    });
    expect(flywheel('models', 'reject', 'churn', '1', '--comment', 'worse').stdout).toMatch(
      /^churn v1: Rejected \(by .+\)\n$/,
    );
    expect(flywheel('models', 'alias', 'churn', 'production', '2').stdout).toBe('churn: production -> v2\n');
    expect(json('models', 'show', 'churn', 'production')).toMatchObject({ version: 2, aliases: ['production'] });
    const list = flywheel('models', 'list');
    expect(list.stdout).toMatch(/churn\s+2\s+production=v2/);
    const versions = flywheel('models', 'versions', 'churn');
    expect(versions.stdout).toMatch(/2\s+Approved\s+production/);
    expect(versions.stdout).toMatch(/1\s+Rejected\s+-/);
    const events = (json('models', 'events') as { events: { type: string }[] }).events.map((e) => e.type);
    expect(events).toEqual(['VersionRegistered', 'VersionRegistered', 'StatusChanged', 'StatusChanged', 'AliasSet']);
  });

  it('exits 2 with the reason for a wrong state, a missing version or a missing comment, changing nothing', () => {
    const wrong = flywheel('models', 'approve', 'churn', '1', '--comment', 'second thoughts');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'InvalidState: version 1 of model group "churn": cannot be approved: it is Rejected',
    );
    const missing = flywheel('models', 'alias', 'churn', 'staging', '9');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('version 9 of model group "churn" does not exist');
    expect(flywheel('models', 'approve', 'churn', '2').code).toBe(2);
    expect(flywheel('models', 'show', 'nope').code).toBe(2);
    expect((json('models', 'show', 'churn') as { aliases: object }).aliases).toEqual({ production: 2 });
  });
});

describe('flywheel artifacts', () => {
  it('puts, gets (verifying) and garbage-collects artifacts', () => {
    const model = json('models', 'show', 'churn', '2') as { artifactSha256: string };
    const out = join(dir, 'out', 'model.json');
    mkdirSync(join(dir, 'out'));
    expect(json('artifacts', 'get', model.artifactSha256, '--out', out)).toMatchObject({ kind: 'file', size: 24 });
    expect(readFileSync(out, 'utf8')).toBe('{"learner":{"trees":[]}}');

    writeFileSync(join(dir, 'scratch.txt'), 'nobody refers to me');
    const orphan = flywheel('artifacts', 'put', join(dir, 'scratch.txt')).stdout.trim();
    expect(orphan).toMatch(/^[0-9a-f]{64}$/);
    const dry = json('artifacts', 'gc', '--dry-run', '--grace-seconds', '0') as { deleted: { sha256: string }[] };
    expect(dry.deleted.map((d) => d.sha256)).toEqual([orphan]);
    const gc = flywheel('artifacts', 'gc', '--grace-seconds', '0');
    expect(gc.stdout).toContain(`deleted file ${orphan}`);
    expect((json('artifacts', 'list') as { artifacts: { sha256: string }[] }).artifacts.map((a) => a.sha256)).toEqual([
      model.artifactSha256,
    ]);

    const bad = flywheel('artifacts', 'get', '../../token', '--out', join(dir, 'stolen'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('<sha256> must be 64 lower-case hex characters');
    expect(flywheel('artifacts', 'get', orphan, '--out', join(dir, 'gone')).code).toBe(2);
  });
});
