import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine, type TaskRequest } from '../engine/runtime/index.js';
import { configHash } from './lineage.js';
import { registerTrackingRunners } from './task-resources.js';
import { gitRepository, type TrackingFixture, trackingFixture } from './testing.js';

let f: TrackingFixture;
let engine: Engine;

beforeEach(async () => {
  f = await trackingFixture();
  engine = new Engine({ store: f.store, cwd: f.dir });
  registerTrackingRunners(engine, f.services);
  await engine.start();
});
afterEach(async () => {
  await engine.close();
  await f.close();
});

async function run(definition: object, input: object = {}) {
  const name = `m${Math.random().toString(36).slice(2)}`;
  await engine.createStateMachine(name, JSON.stringify(definition));
  const started = await engine.startExecution({ stateMachineName: name, input: input as never });
  const done = await engine.waitForExecution(started.id);
  return { ...done, output: done.output === null ? null : JSON.parse(done.output) };
}

const task = (resource: string, parameters: object, next: string | null, resultPath: string | null = null) => ({
  Type: 'Task',
  Resource: resource,
  Parameters: parameters,
  ResultPath: resultPath,
  ...(next === null ? { End: true } : { Next: next }),
});

describe('tracking task resources', () => {
  it('record a run with lineage, metrics and artifacts and register its model, with no glue code', async () => {
    const commit = await gitRepository(f.dir);
    await writeFile(join(f.dir, 'train.csv'), 'tenure,churn\n1,0\n');
    await writeFile(join(f.dir, 'model.json'), '{"learner":{}}');
    const definition = {
      StartAt: 'Train',
      States: {
        Train: task(
          'flywheel:tracking.startRun',
          {
            Experiment: 'churn',
            Params: { max_depth: 6 },
            Lineage: { Data: { train: 'train.csv' }, 'Config.$': '$.config' },
          },
          'Log',
          '$.run',
        ),
        Log: task(
          'flywheel:tracking.logMetrics',
          { 'RunId.$': '$.run.runId', Metrics: { 'validation-auc': 0.91 }, Step: 3 },
          'Keep',
        ),
        Keep: task(
          'flywheel:tracking.logArtifact',
          { 'RunId.$': '$.run.runId', Name: 'model', Path: 'model.json' },
          'Register',
        ),
        Register: task(
          'flywheel:registry.registerModel',
          {
            Group: 'churn',
            ModelPath: 'model.json',
            Signature: [{ Name: 'tenure', Type: 'float' }],
            'RunId.$': '$.run.runId',
          },
          'End',
          '$.model',
        ),
        End: task('flywheel:tracking.endRun', { 'RunId.$': '$.run.runId' }, null, '$.ended'),
      },
    };
    const done = await run(definition, { config: { eta: 0.3 } });
    expect(done.status, JSON.stringify(done)).toBe('SUCCEEDED');
    const { run: started, model, ended } = done.output;
    expect(model).toMatchObject({ group: 'churn', version: 1, status: 'PendingManualApproval' });
    expect(ended).toEqual({ runId: started.runId, status: 'FINISHED' });

    const stored = await f.services.tracking.describeRun(started.runId);
    expect(stored).toMatchObject({
      experimentName: 'churn',
      name: 'Train',
      executionId: done.id,
      stateName: 'Train',
      params: { max_depth: '6' },
      metrics: { 'validation-auc': { last: 0.91, lastStep: 3 } },
      lineage: { gitCommit: commit, gitDirty: false, configHash: configHash({ eta: 0.3 }) },
    });
    expect(stored.artifacts.map((a) => [a.name, a.role])).toEqual([
      ['data/train', 'input'],
      ['model', 'output'],
    ]);
    const version = await f.services.registry.getVersion('churn', 1);
    expect(version).toMatchObject({
      runId: started.runId,
      metrics: { 'validation-auc': 0.91 },
      lineage: { gitCommit: commit },
    });
    expect(version.statusChangedBy).toBe(`execution ${done.id}`);
  });

  it('fail with error names a Catch can match', async () => {
    const definition = {
      StartAt: 'Log',
      States: {
        Log: {
          ...task('flywheel:tracking.logMetrics', { RunId: 'nope', Metrics: { auc: 1 } }, 'Bad'),
          Catch: [{ ErrorEquals: ['Flywheel.NotFound'], ResultPath: '$.missing', Next: 'Bad' }],
        },
        Bad: {
          ...task(
            'flywheel:registry.registerModel',
            { Group: 'churn', ModelSha256: 'e'.repeat(64), Signature: [] },
            null,
          ),
          Catch: [{ ErrorEquals: ['Flywheel.NotFound'], ResultPath: '$.noModel', Next: 'Done' }],
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    const done = await run(definition);
    expect(done.output.missing).toEqual({ Error: 'Flywheel.NotFound', Cause: 'run nope does not exist' });
    expect(done.output.noModel.Cause).toMatch(/model artifact e{64} does not exist/);

    const invalid = await run({
      StartAt: 'S',
      States: { S: task('flywheel:tracking.startRun', { Experiment: 7 }, null) },
    });
    expect(invalid).toMatchObject({ status: 'FAILED', error: 'Flywheel.InvalidInput' });
  });

  it('start the same run again when a task is resumed after a crash, not a second one', async () => {
    const runners = registerTrackingRunners(engine, f.services);
    const request: TaskRequest = {
      resource: 'flywheel:tracking.startRun',
      pattern: 'request',
      taskId: 4,
      input: { Experiment: 'churn' },
      executionId: 'ex-1',
      stateName: 'Train',
      attempt: 1,
      cwd: f.dir,
    };
    const signal = new AbortController().signal;
    const first = await runners[0]!.run(request, signal);
    const again = await runners[0]!.run(request, signal);
    expect(again).toEqual(first);
    expect(await f.services.tracking.searchRuns()).toHaveLength(1);
    expect(runners.map((r) => r.resumable)).toEqual([true, false, true, true, true]);
  });
});
