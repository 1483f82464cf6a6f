import { describe, expect, it } from 'vitest';
import type { RunQuery, TrackingStore } from '../tracking-port.js';
import type { Harness } from './harness.js';
import { experiment, newRun, point } from './tracking-fixtures.js';

/** Four runs of 'churn' (a..d, oldest first) and one of 'other' (e). */
async function fixture(tracking: TrackingStore) {
  const churn = await experiment(tracking, 'churn');
  const other = await experiment(tracking, 'other');
  const make = async (
    exp: string,
    name: string,
    params: Record<string, string>,
    tags: Record<string, string>,
    auc?: number,
  ) => {
    const run = await tracking.createRun(newRun(exp, { name, params, tags }));
    if (auc !== undefined) await tracking.logMetrics(run.id, [point('auc', 0, 0.5), point('auc', 9, auc)]);
    return run.id;
  };
  const ids = {
    a: await make(churn, 'a', { depth: '4', eta: '0.3' }, { stage: 'dev' }, 0.81),
    b: await make(churn, 'b', { depth: '6', eta: '0.3' }, { stage: 'prod' }, 0.9),
    c: await make(churn, 'c', { depth: '6', eta: "it's 50%" }, {}, 0.7),
    d: await make(churn, 'd', { depth: '8' }, { stage: 'dev' }),
    e: await make(other, 'e', { depth: '6' }, { stage: 'dev' }, 0.99),
  };
  await tracking.endRun(ids.a, 'FINISHED', 1);
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  const search = async (query: RunQuery) => (await tracking.searchRuns(query)).map((r) => names[r.id]);
  return { churn, other, ids, search };
}

export function describeTrackingSearch(t: Harness): void {
  describe('run search', () => {
    it('lists newest first by default, within experiments, within ids, up to the limit', async () => {
      const { churn, other, ids, search } = await fixture(t.store.tracking);
      expect(await search({})).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(await search({ experimentIds: [churn] })).toEqual(['d', 'c', 'b', 'a']);
      expect(await search({ experimentIds: [churn, other], limit: 2 })).toEqual(['e', 'd']);
      expect(await search({ runIds: [ids.a, ids.c, 'nope'] })).toEqual(['c', 'a']);
      expect(await search({ orderBy: { by: 'startedAt', descending: false }, limit: 1 })).toEqual(['a']);
      expect(await search({ experimentIds: [] })).toEqual([]);
    });

    it('filters by params, tags, metrics (newest value) and attributes, all conditions together', async () => {
      const { search } = await fixture(t.store.tracking);
      expect(await search({ filters: [{ on: 'param', key: 'depth', op: '=', value: '6' }] })).toEqual(['e', 'c', 'b']);
      expect(await search({ filters: [{ on: 'param', key: 'eta', op: '!=', value: '0.3' }] })).toEqual(['c']);
      expect(await search({ filters: [{ on: 'param', key: 'eta', op: '=', value: "it's 50%" }] })).toEqual(['c']);
      expect(await search({ filters: [{ on: 'tag', key: 'stage', op: '=', value: 'dev' }] })).toEqual(['e', 'd', 'a']);
      expect(await search({ filters: [{ on: 'metric', key: 'auc', op: '>', value: 0.8 }] })).toEqual(['e', 'b', 'a']);
      expect(await search({ filters: [{ on: 'metric', key: 'auc', op: '<=', value: 0.81 }] })).toEqual(['c', 'a']);
      expect(await search({ filters: [{ on: 'metric', key: 'auc', op: '=', value: 0.9 }] })).toEqual(['b']);
      expect(await search({ filters: [{ on: 'attribute', key: 'status', op: '=', value: 'FINISHED' }] })).toEqual([
        'a',
      ]);
      expect(await search({ filters: [{ on: 'attribute', key: 'name', op: '!=', value: 'a' }] })).toHaveLength(4);
      expect(
        await search({
          filters: [
            { on: 'param', key: 'depth', op: '=', value: '6' },
            { on: 'tag', key: 'stage', op: '=', value: 'prod' },
            { on: 'metric', key: 'auc', op: '>=', value: 0.9 },
          ],
        }),
      ).toEqual(['b']);
    });

    it('orders by a metric either way with runs lacking it last, and returns their summaries', async () => {
      const { churn, search } = await fixture(t.store.tracking);
      const desc = { by: 'metric', key: 'auc', descending: true } as const;
      expect(await search({ orderBy: desc })).toEqual(['e', 'b', 'a', 'c', 'd']);
      expect(await search({ orderBy: { ...desc, descending: false } })).toEqual(['c', 'a', 'b', 'e', 'd']);
      const [best] = await t.store.tracking.searchRuns({ experimentIds: [churn], orderBy: desc, limit: 1 });
      expect(best).toMatchObject({
        name: 'b',
        params: { depth: '6', eta: '0.3' },
        tags: { stage: 'prod' },
        metrics: { auc: { last: 0.9, lastStep: 9, min: 0.5, max: 0.9, count: 2 } },
      });
    });
  });
}
