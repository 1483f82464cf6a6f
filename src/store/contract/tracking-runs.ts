import { describe, expect, it } from 'vitest';
import { AlreadyExists, InvalidState, NotFound } from '../port.js';
import { type Harness, T0 } from './harness.js';
import { artifact, experiment, LINEAGE, newRun, point, SHA_A, SHA_B, SHA_C } from './tracking-fixtures.js';

export function describeTrackingRuns(t: Harness): void {
  describe('experiments and runs', () => {
    it('creates experiments with unique names and ids, finds them and counts their runs', async () => {
      const tracking = t.store.tracking;
      const id = await experiment(tracking, 'churn');
      await expect(experiment(tracking, 'churn')).rejects.toBeInstanceOf(AlreadyExists);
      await expect(tracking.createExperiment({ id, name: 'other', createdAt: T0 })).rejects.toBeInstanceOf(
        AlreadyExists,
      );
      expect(await tracking.findExperimentByName('churn')).toEqual({ id, name: 'churn', createdAt: T0 });
      expect(await tracking.getExperiment(id)).toEqual({ id, name: 'churn', createdAt: T0 });
      expect(await tracking.findExperimentByName('nope')).toBeUndefined();
      const run = newRun(id);
      await tracking.createRun(run);
      await experiment(tracking, 'alpha');
      const list = await tracking.listExperiments();
      expect(list.map((e) => [e.name, e.runCount, e.lastRunAt])).toEqual([
        ['alpha', 0, null],
        ['churn', 1, run.startedAt],
      ]);
    });

    it('stores a run with its params, tags, lineage, workflow link and input artifacts in one go', async () => {
      const tracking = t.store.tracking;
      const exp = await experiment(tracking, 'churn');
      const parent = await tracking.createRun(newRun(exp));
      const run = newRun(exp, {
        name: 'train',
        executionId: 'ex-1',
        stateName: 'Train',
        parentRunId: parent.id,
        params: { max_depth: '6', eta: '0.3', quote: `it's "quoted" % _` },
        tags: { stage: 'dev' },
      });
      const inputs = [artifact('data/train', SHA_A, { role: 'input', kind: 'folder', size: 1234 })];
      const created = await tracking.createRun(run, inputs);
      expect(created).toEqual({
        ...run,
        experimentName: 'churn',
        status: 'RUNNING',
        endedAt: null,
        metrics: {},
      });
      expect(await tracking.getRun(run.id)).toEqual(created);
      expect(await tracking.listRunArtifacts(run.id)).toEqual(inputs);
      expect(created.lineage).toEqual(LINEAGE);
      expect(await tracking.getRun('nope')).toBeUndefined();
    });

    it('refuses a run of an unknown experiment and a taken run id, writing nothing', async () => {
      const tracking = t.store.tracking;
      const run = newRun('no-such-experiment', { params: { a: '1' } });
      await expect(tracking.createRun(run)).rejects.toBeInstanceOf(NotFound);
      expect(await tracking.getRun(run.id)).toBeUndefined();
      const exp = await experiment(tracking);
      const first = newRun(exp, { params: { a: '1' } });
      await tracking.createRun(first);
      await expect(tracking.createRun({ ...first, params: { b: '2' } })).rejects.toBeInstanceOf(AlreadyExists);
      expect((await tracking.getRun(first.id))?.params).toEqual({ a: '1' });
    });

    it('appends metric points and keeps each key summarised: newest by step then time, min, max, count', async () => {
      const tracking = t.store.tracking;
      const run = await tracking.createRun(newRun(await experiment(tracking)));
      await tracking.logMetrics(run.id, [point('auc', 0, 0.7), point('auc', 1, 0.8), point('logloss', 0, 0.6)]);
      // An older step arriving later does not replace the newest; the same step logged later does.
      await tracking.logMetrics(run.id, [point('auc', 0, 0.95, T0 + 99), point('logloss', 0, 0.5, T0 + 50)]);
      await tracking.logMetrics(run.id, []);
      const { metrics } = (await tracking.getRun(run.id))!;
      expect(metrics.auc).toEqual({ last: 0.8, lastStep: 1, lastTimestamp: T0 + 1, min: 0.7, max: 0.95, count: 3 });
      expect(metrics.logloss).toEqual({ last: 0.5, lastStep: 0, lastTimestamp: T0 + 50, min: 0.5, max: 0.6, count: 2 });
      expect(await tracking.readMetrics(run.id, 'auc')).toEqual([
        point('auc', 0, 0.7),
        point('auc', 0, 0.95, T0 + 99),
        point('auc', 1, 0.8),
      ]);
      expect((await tracking.readMetrics(run.id)).map((p) => p.key)).toEqual([
        'auc',
        'auc',
        'auc',
        'logloss',
        'logloss',
      ]);
    });

    it('stores a large batch in one call', async () => {
      const tracking = t.store.tracking;
      const run = await tracking.createRun(newRun(await experiment(tracking)));
      const points = Array.from({ length: 1000 }, (_, i) => point(i % 2 ? 'a' : 'b', Math.floor(i / 2), i / 1000));
      await tracking.logMetrics(run.id, points);
      expect(await tracking.readMetrics(run.id, 'a')).toHaveLength(500);
      expect((await tracking.getRun(run.id))!.metrics.a).toMatchObject({ last: 0.999, lastStep: 499, count: 500 });
    });

    it('refuses metrics for an unknown run and for an ended one, writing nothing', async () => {
      const tracking = t.store.tracking;
      await expect(tracking.logMetrics('nope', [point('auc', 0, 1)])).rejects.toBeInstanceOf(NotFound);
      const run = await tracking.createRun(newRun(await experiment(tracking)));
      await tracking.endRun(run.id, 'FINISHED', T0 + 5);
      const refused = await tracking.logMetrics(run.id, [point('auc', 0, 1)]).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidState);
      expect((refused as Error).message).toMatch(/has ended \(FINISHED\)/);
      expect(await tracking.readMetrics(run.id)).toEqual([]);
      expect((await tracking.getRun(run.id))!.metrics).toEqual({});
    });

    it('keeps the first value of a param and refuses a different one without writing any of the batch', async () => {
      const tracking = t.store.tracking;
      const run = await tracking.createRun(newRun(await experiment(tracking), { params: { eta: '0.3' } }));
      await tracking.addRunParams(run.id, { eta: '0.3', depth: '6' });
      const refused = await tracking.addRunParams(run.id, { eta: '0.1', rounds: '10' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidState);
      expect((refused as Error).message).toContain('"eta"');
      expect((await tracking.getRun(run.id))!.params).toEqual({ eta: '0.3', depth: '6' });
      await expect(tracking.addRunParams('nope', { a: '1' })).rejects.toBeInstanceOf(NotFound);
    });

    it('sets tags, replacing existing values', async () => {
      const tracking = t.store.tracking;
      const run = await tracking.createRun(newRun(await experiment(tracking), { tags: { stage: 'dev' } }));
      await tracking.setRunTags(run.id, { stage: 'prod', owner: 'ana' });
      expect((await tracking.getRun(run.id))!.tags).toEqual({ stage: 'prod', owner: 'ana' });
      await expect(tracking.setRunTags('nope', { a: '1' })).rejects.toBeInstanceOf(NotFound);
    });

    it('ends a RUNNING run once', async () => {
      const tracking = t.store.tracking;
      const run = await tracking.createRun(newRun(await experiment(tracking)));
      const ended = await tracking.endRun(run.id, 'FAILED', T0 + 10);
      expect(ended).toMatchObject({ status: 'FAILED', endedAt: T0 + 10 });
      await expect(tracking.endRun(run.id, 'FINISHED', T0 + 11)).rejects.toBeInstanceOf(InvalidState);
      expect((await tracking.getRun(run.id))!.status).toBe('FAILED');
      await expect(tracking.endRun('nope', 'FINISHED', T0)).rejects.toBeInstanceOf(NotFound);
    });

    it('records run artifacts by name and lists every referenced hash once', async () => {
      const tracking = t.store.tracking;
      const exp = await experiment(tracking);
      const one = await tracking.createRun(newRun(exp), [artifact('data/train', SHA_A, { role: 'input' })]);
      const two = await tracking.createRun(newRun(exp), [artifact('data/train', SHA_A, { role: 'input' })]);
      await tracking.addRunArtifacts(one.id, [artifact('model', SHA_B), artifact('report', SHA_C)]);
      await tracking.addRunArtifacts(one.id, [artifact('report', SHA_B, { size: 99 })]);
      expect((await tracking.listRunArtifacts(one.id)).map((a) => [a.name, a.sha256, a.size])).toEqual([
        ['data/train', SHA_A, 10],
        ['model', SHA_B, 10],
        ['report', SHA_B, 99],
      ]);
      expect(await tracking.listRunArtifacts(two.id)).toHaveLength(1);
      expect(await tracking.referencedArtifacts()).toEqual([SHA_A, SHA_B]);
      await expect(tracking.addRunArtifacts('nope', [artifact('x', SHA_A)])).rejects.toBeInstanceOf(NotFound);
    });
  });
}
