import { describe, expect, it } from 'vitest';
import { ConcurrencyConflict, type ExecutionRecord } from '../port.js';
import { expiredExecutions, type Harness, MINUTE, newEvents, newExecution, T0 } from './harness.js';

const ids = (records: ExecutionRecord[]) => records.map((r) => r.id).sort();
const LATER = T0 + 10 * MINUTE;

export function describeLeases(t: Harness): void {
  describe('leases', () => {
    it('claims executions whose lease expired and returns them held by the new owner', async () => {
      const [id] = await expiredExecutions(t.store, 1);
      const claimed = await t.store.claimExecutions('worker-b', T0 + 1, LATER, 10);
      expect(claimed).toEqual([{ ...(await t.store.getExecution(id!)), owner: 'worker-b', leaseUntil: LATER }]);
      expect(await t.store.getExecution(id!)).toMatchObject({ owner: 'worker-b', leaseUntil: LATER, lastSeq: 1 });
      // The new owner may append; the old one may not.
      await t.store.appendEvents(id!, 'worker-b', 1, newEvents(1));
      await expect(t.store.appendEvents(id!, 'dead-worker', 2, newEvents(1))).rejects.toBeInstanceOf(
        ConcurrencyConflict,
      );
    });

    it('does not take a live lease of another owner', async () => {
      const live = newExecution({ owner: 'worker-a', leaseUntil: T0 + MINUTE });
      await t.store.createExecution(live, []);
      expect(await t.store.claimExecutions('worker-b', T0 + MINUTE - 1, LATER, 10)).toEqual([]);
      expect(await t.store.getExecution(live.id)).toMatchObject({ owner: 'worker-a', leaseUntil: T0 + MINUTE });
      expect(ids(await t.store.claimExecutions('worker-b', T0 + MINUTE + 1, LATER, 10))).toEqual([live.id]);
    });

    it('does not return executions the owner already holds', async () => {
      const held = newExecution({ owner: 'worker-a', leaseUntil: T0 + MINUTE });
      await t.store.createExecution(held, []);
      expect(await t.store.claimExecutions('worker-a', T0, LATER, 10)).toEqual([]);
      expect(await t.store.getExecution(held.id)).toMatchObject({ owner: 'worker-a' });
    });

    it('never claims finished executions', async () => {
      const [id] = await expiredExecutions(t.store, 1);
      const claimed = await t.store.claimExecutions('worker-b', T0 + 1, LATER, 10);
      expect(ids(claimed)).toEqual([id]);
      const end = {
        status: 'TIMED_OUT',
        output: null,
        error: 'States.Timeout',
        cause: null,
        stoppedAt: T0 + 2,
      } as const;
      await t.store.appendEvents(id!, 'worker-b', 1, [], end);
      expect(await t.store.claimExecutions('worker-c', LATER + 1, LATER + MINUTE, 10)).toEqual([]);
      expect(await t.store.getExecution(id!)).toMatchObject({ status: 'TIMED_OUT', owner: null });
    });

    it('claims at most `limit` executions per call', async () => {
      const all = await expiredExecutions(t.store, 5);
      const first = await t.store.claimExecutions('worker-b', T0 + 1, LATER, 2);
      const second = await t.store.claimExecutions('worker-c', T0 + 1, LATER, 2);
      const third = await t.store.claimExecutions('worker-d', T0 + 1, LATER, 2);
      expect([first.length, second.length, third.length]).toEqual([2, 2, 1]);
      expect(ids([...first, ...second, ...third])).toEqual([...all].sort());
      expect(await t.store.claimExecutions('worker-e', T0 + 1, LATER, 0)).toEqual([]);
    });

    it('never gives the same execution to two stores claiming at once', async () => {
      const stores = [t.store, await t.open(), await t.open()];
      const all = await expiredExecutions(t.store, 30);
      const claimUntilEmpty = async (index: number) => {
        const mine: ExecutionRecord[] = [];
        for (;;) {
          const batch = await stores[index]!.claimExecutions(`worker-${index}`, T0 + 1, LATER, 3);
          if (batch.length === 0) return mine;
          for (const e of batch) expect(e.owner).toBe(`worker-${index}`);
          mine.push(...batch);
        }
      };
      const results = await Promise.all(stores.map((_, i) => claimUntilEmpty(i)));
      const claimed = results.flatMap(ids);
      expect(claimed.sort()).toEqual([...all].sort());
      expect(new Set(claimed).size).toBe(all.length);
      for (const [i, mine] of results.entries()) {
        for (const e of mine) expect(await t.store.getExecution(e.id)).toMatchObject({ owner: `worker-${i}` });
      }
    });

    it('renews every lease the owner holds on running executions and counts them', async () => {
      const mine = [newExecution({ owner: 'worker-a' }), newExecution({ owner: 'worker-a' })];
      const theirs = newExecution({ owner: 'worker-b' });
      for (const e of [...mine, theirs]) await t.store.createExecution(e, newEvents(1));
      const end = { status: 'SUCCEEDED', output: '1', error: null, cause: null, stoppedAt: T0 } as const;
      const done = newExecution({ owner: 'worker-a' });
      await t.store.createExecution(done, newEvents(1));
      await t.store.appendEvents(done.id, 'worker-a', 1, [], end);

      expect(await t.store.renewLeases('worker-a', LATER)).toBe(2);
      for (const e of mine) expect(await t.store.getExecution(e.id)).toMatchObject({ leaseUntil: LATER });
      expect(await t.store.getExecution(theirs.id)).toMatchObject({ owner: 'worker-b', leaseUntil: T0 + MINUTE });
      expect(await t.store.getExecution(done.id)).toMatchObject({ owner: null, leaseUntil: null });
      // A renewed lease is no longer claimable once the old one would have expired.
      expect(await t.store.claimExecutions('worker-c', T0 + 2 * MINUTE, LATER + MINUTE, 10)).toEqual([
        expect.objectContaining({ id: theirs.id }),
      ]);
      expect(await t.store.renewLeases('nobody', LATER)).toBe(0);
    });

    it('releases the owner’s leases so that anyone may claim them at once', async () => {
      const mine = newExecution({ owner: 'worker-a', leaseUntil: LATER });
      const theirs = newExecution({ owner: 'worker-b', leaseUntil: LATER });
      for (const e of [mine, theirs]) await t.store.createExecution(e, []);
      await t.store.releaseLeases('worker-a');
      expect(await t.store.getExecution(mine.id)).toMatchObject({ owner: null, leaseUntil: null, status: 'RUNNING' });
      expect(await t.store.getExecution(theirs.id)).toMatchObject({ owner: 'worker-b', leaseUntil: LATER });
      const claimed = await t.store.claimExecutions('worker-c', T0, T0 + MINUTE, 10);
      expect(ids(claimed)).toEqual([mine.id]);
      // Once released, the former owner can no longer append.
      await expect(t.store.appendEvents(mine.id, 'worker-a', 0, newEvents(1))).rejects.toBeInstanceOf(
        ConcurrencyConflict,
      );
    });
  });
}
