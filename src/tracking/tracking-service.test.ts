import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidState, NotFound } from '../store/index.js';
import { InvalidInput } from './errors.js';
import { configHash } from './lineage.js';
import { gitRepository, T0, type TrackingFixture, trackingFixture } from './testing.js';

let f: TrackingFixture;
beforeEach(async () => {
  f = await trackingFixture();
});
afterEach(async () => {
  await f.close();
});

describe('lineage', () => {
  it('records the git commit, repository and dirtiness of a real checkout, the config hash and the data hashes', async () => {
    const project = join(f.dir, 'project');
    await mkdir(project);
    const commit = await gitRepository(project);
    const { tracking, artifacts } = f.services;
    const train = await artifacts.putBuffer(Buffer.from('x,y\n1,0\n'));
    const run = await tracking.startRun({
      experiment: 'churn',
      params: { max_depth: 6, eta: 0.3, objective: 'binary:logistic' },
      lineage: { gitDir: project, data: { train: train.sha256 }, config: { b: [1, 2], a: { y: 1, x: 2 } } },
    });
    expect(run.lineage).toEqual({
      gitCommit: commit,
      gitRepository: 'https://example.com/churn.git',
      gitDirty: false,
      data: { train: train.sha256 },
      configHash: configHash({ a: { x: 2, y: 1 }, b: [1, 2] }),
      flywheelVersion: '9.9.9-test',
    });
    expect(run.params).toEqual({ max_depth: '6', eta: '0.3', objective: 'binary:logistic' });
    expect((await tracking.describeRun(run.id)).artifacts).toEqual([
      { name: 'data/train', sha256: train.sha256, kind: 'file', size: 8, role: 'input', createdAt: T0 },
    ]);

    await writeFile(join(project, 'train.py'), 'print("changed")\n');
    const dirty = await tracking.startRun({ experiment: 'churn', lineage: { gitDir: project }, parentRunId: run.id });
    expect(dirty.lineage).toMatchObject({ gitCommit: commit, gitDirty: true });
    expect(dirty.parentRunId).toBe(run.id);
  });

  it('records nulls outside git, and refuses unknown data artifacts and parent runs', async () => {
    const { tracking } = f.services;
    const run = await tracking.startRun({ experiment: 'churn', lineage: { gitDir: f.dir } });
    expect(run.lineage).toMatchObject({ gitCommit: null, gitRepository: null, gitDirty: null, configHash: null });
    await expect(
      tracking.startRun({ experiment: 'churn', lineage: { data: { train: 'a'.repeat(64) } } }),
    ).rejects.toThrow(/artifact a{64} \(lineage data "train"\) does not exist/);
    await expect(tracking.startRun({ experiment: 'other', parentRunId: 'nope' })).rejects.toBeInstanceOf(NotFound);
    await expect(tracking.startRun({ experiment: 'other', params: { a: null } })).rejects.toThrow(
      'param "a" has no value',
    );
    await expect(tracking.startRun({ experiment: '../etc' })).rejects.toBeInstanceOf(InvalidInput);
    expect((await tracking.listExperiments()).map((e) => [e.name, e.runCount])).toEqual([['churn', 1]]);
  });
});

describe('runs', () => {
  it('refuses a non-finite metric naming its key and step, storing none of the batch', async () => {
    const { tracking } = f.services;
    const run = await tracking.startRun({ experiment: 'churn' });
    const batch = [
      { key: 'auc', value: 0.7, step: 0 },
      { key: 'logloss', value: Number.NaN, step: 3 },
    ];
    await expect(tracking.logMetrics(run.id, batch)).rejects.toThrow(
      'metric "logloss" at step 3 must be a finite number (got NaN)',
    );
    await expect(tracking.logMetrics(run.id, [{ key: 'auc', value: Number.POSITIVE_INFINITY }])).rejects.toThrow(
      /got Infinity/,
    );
    await expect(tracking.logMetrics(run.id, [{ key: 'auc', value: '0.5' }])).rejects.toThrow(/got "0.5"/);
    await expect(tracking.logMetrics(run.id, [{ key: 'auc', value: 1, step: 1.5 }])).rejects.toThrow(/step must be/);
    expect(await tracking.metricHistory(run.id)).toEqual([]);
    expect(await tracking.logMetrics(run.id, [{ key: 'auc', value: 0.7, step: 1 }])).toBe(1);
    await expect(tracking.logMetrics('nope', [])).rejects.toBeInstanceOf(NotFound);
  });

  it('ends a run once: the same status again is a no-op, another is InvalidState', async () => {
    const { tracking } = f.services;
    const run = await tracking.startRun({ experiment: 'churn' });
    f.advance(500);
    expect(await tracking.endRun(run.id)).toMatchObject({ status: 'FINISHED', endedAt: T0 + 500 });
    expect(await tracking.endRun(run.id, 'FINISHED')).toMatchObject({ status: 'FINISHED' });
    await expect(tracking.endRun(run.id, 'FAILED')).rejects.toBeInstanceOf(InvalidState);
    await expect(tracking.logMetrics(run.id, [{ key: 'auc', value: 1 }])).rejects.toThrow(/has ended \(FINISHED\)/);
    await expect(tracking.endRun(run.id, 'DONE' as never)).rejects.toBeInstanceOf(InvalidInput);
  });

  it('records a file or a folder as a run artifact, storing it first', async () => {
    const { tracking, artifacts } = f.services;
    const run = await tracking.startRun({ experiment: 'churn' });
    await mkdir(join(f.dir, 'report'));
    await writeFile(join(f.dir, 'report', 'index.html'), '<h1>ok</h1>');
    await writeFile(join(f.dir, 'model.json'), '{}');
    const folder = await tracking.logArtifact(run.id, { name: 'report', path: join(f.dir, 'report') });
    const file = await tracking.logArtifact(run.id, { name: 'model', path: join(f.dir, 'model.json') });
    expect(folder).toMatchObject({ kind: 'folder', size: 11, role: 'output' });
    expect(await artifacts.read(file.sha256)).toEqual(Buffer.from('{}'));
    await expect(tracking.logArtifact(run.id, { name: 'x', sha256: 'b'.repeat(64) })).rejects.toBeInstanceOf(NotFound);
    await expect(tracking.logArtifact(run.id, { name: 'x', sha256: '../x' })).rejects.toThrow(/must be a sha256/);
  });
});

describe('search and compare', () => {
  async function threeRuns() {
    const { tracking } = f.services;
    const ids: string[] = [];
    for (const [depth, eta, aucs] of [
      [4, 0.3, [0.7, 0.8, 0.78]],
      [6, 0.3, [0.75, 0.85, 0.9]],
      [8, 0.1, [0.6, 0.65]],
    ] as const) {
      f.advance(1);
      const run = await tracking.startRun({ experiment: 'churn', params: { depth, eta, seed: 7 } });
      const points = aucs.flatMap((auc, step) => [
        { key: 'validation-auc', value: auc, step },
        { key: 'validation-logloss', value: 1 - auc, step },
      ]);
      await tracking.logMetrics(run.id, points);
      ids.push(run.id);
    }
    return ids;
  }

  it('filters with the search language and orders by a metric', async () => {
    const [a, b, c] = await threeRuns();
    const { tracking } = f.services;
    const ids = async (filter: string, orderBy?: string) =>
      (await tracking.searchRuns({ filter, ...(orderBy && { orderBy }) })).map((r) => r.id);
    expect(await ids("params.eta = '0.3'")).toEqual([b, a]);
    expect(await ids('params.depth = 8')).toEqual([c]);
    expect(await ids('metrics.`validation-auc` > 0.75 AND params.eta = "0.3"')).toEqual([b, a]);
    expect(await ids('', 'metrics.validation-logloss ASC')).toEqual([b, a, c]);
    expect(await ids('status = "RUNNING"', 'metrics.validation-auc DESC')).toEqual([b, a, c]);
    await expect(tracking.searchRuns({ experiments: ['nope'] })).rejects.toBeInstanceOf(NotFound);
    await expect(tracking.searchRuns({ filter: 'params.eta ~ 1' })).rejects.toThrow(
      /filter: unexpected "~" at position 12/,
    );
    await expect(tracking.searchRuns({ limit: 0 })).rejects.toBeInstanceOf(InvalidInput);
  });

  it('compares runs: params that differ, final and best value per metric, the best run by direction', async () => {
    const [a, b, c] = await threeRuns();
    const comparison = await f.services.tracking.compareRuns([a!, b!, c!]);
    expect(comparison.params).toEqual({
      differing: { depth: ['4', '6', '8'], eta: ['0.3', '0.3', '0.1'] },
      same: { seed: '7' },
    });
    expect(comparison.metrics['validation-auc']).toEqual({
      direction: 'higher',
      directionKnown: true,
      final: [0.78, 0.9, 0.65],
      best: [0.8, 0.9, 0.65],
      bestRunId: b,
    });
    const logloss = comparison.metrics['validation-logloss']!;
    expect(logloss).toMatchObject({ direction: 'lower', bestRunId: b });
    expect(logloss.best.map((v) => Number(v?.toFixed(2)))).toEqual([0.2, 0.1, 0.35]);
    await expect(f.services.tracking.compareRuns([a!, 'nope', 'gone'])).rejects.toThrow(
      'run nope, gone does not exist',
    );
  });
});
