import { describe, expect, it } from 'vitest';
import { ConcurrencyConflict, type ExecutionOutcome, NotFound } from '../port.js';
import { type Harness, newEvents, newExecution, T0 } from './harness.js';

const succeeded: ExecutionOutcome = {
  status: 'SUCCEEDED',
  output: '{"ok":true}',
  error: null,
  cause: null,
  stoppedAt: T0 + 5,
};

export function describeHistory(t: Harness): void {
  describe('appendEvents and readHistory', () => {
    const started = async (events = 2) => {
      const execution = newExecution();
      await t.store.createExecution(execution, newEvents(events, 'start'));
      return execution;
    };
    const types = async (id: string) => (await t.store.readHistory(id)).map((e) => `${e.seq}:${e.type}`);

    it('appends events after the last one, with no gap, and advances lastSeq', async () => {
      const e = await started(2);
      await t.store.appendEvents(e.id, e.owner, 2, newEvents(3, 'next', T0 + 100));
      await t.store.appendEvents(e.id, e.owner, 5, newEvents(1, 'more'));
      expect(await types(e.id)).toEqual(['1:start1', '2:start2', '3:next1', '4:next2', '5:next3', '6:more1']);
      const history = await t.store.readHistory(e.id);
      expect(history[2]).toEqual({ seq: 3, ...newEvents(3, 'next', T0 + 100)[0] });
      expect(await t.store.getExecution(e.id)).toMatchObject({ lastSeq: 6, status: 'RUNNING', owner: e.owner });
    });

    it('appends a batch of 50 events at once', async () => {
      const e = await started(1);
      await t.store.appendEvents(e.id, e.owner, 1, newEvents(50, 'batch'));
      const history = await t.store.readHistory(e.id);
      expect(history.map((h) => h.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      expect(history[50]?.type).toBe('batch50');
    });

    it('reads only the events after afterSeq, in order', async () => {
      const e = await started(4);
      expect((await t.store.readHistory(e.id, 2)).map((h) => h.seq)).toEqual([3, 4]);
      expect(await t.store.readHistory(e.id, 4)).toEqual([]);
      expect(await t.store.readHistory('no-such-id')).toEqual([]);
    });

    it('refuses an append with a stale or future expectedLastSeq and writes nothing', async () => {
      const e = await started(2);
      for (const expected of [1, 3, 0]) {
        await expect(t.store.appendEvents(e.id, e.owner, expected, newEvents(1, 'x'))).rejects.toBeInstanceOf(
          ConcurrencyConflict,
        );
      }
      expect(await types(e.id)).toEqual(['1:start1', '2:start2']);
      expect(await t.store.getExecution(e.id)).toMatchObject({ lastSeq: 2 });
    });

    it('refuses an append by an owner that does not hold the lease and writes nothing', async () => {
      const e = await started(2);
      await expect(t.store.appendEvents(e.id, 'worker-b', 2, newEvents(1, 'x'), succeeded)).rejects.toBeInstanceOf(
        ConcurrencyConflict,
      );
      expect(await types(e.id)).toEqual(['1:start1', '2:start2']);
      expect(await t.store.getExecution(e.id)).toMatchObject({ status: 'RUNNING', owner: e.owner, lastSeq: 2 });
    });

    it('throws NotFound when appending to an unknown execution', async () => {
      await expect(t.store.appendEvents('no-such-id', 'worker-a', 0, newEvents(1))).rejects.toBeInstanceOf(NotFound);
    });

    it('ends the execution with an outcome and releases its lease', async () => {
      const e = await started(2);
      await t.store.appendEvents(e.id, e.owner, 2, newEvents(1, 'ExecutionSucceeded'), succeeded);
      expect(await t.store.getExecution(e.id)).toEqual({
        ...e,
        status: 'SUCCEEDED',
        output: '{"ok":true}',
        error: null,
        cause: null,
        stoppedAt: T0 + 5,
        owner: null,
        leaseUntil: null,
        lastSeq: 3,
      });
      expect(await types(e.id)).toEqual(['1:start1', '2:start2', '3:ExecutionSucceeded1']);
    });

    it('records the error and cause of a failed execution, even without a new event', async () => {
      const e = await started(1);
      const failed: ExecutionOutcome = {
        status: 'FAILED',
        output: null,
        error: 'States.TaskFailed',
        cause: 'exit 2',
        stoppedAt: T0 + 9,
      };
      await t.store.appendEvents(e.id, e.owner, 1, [], failed);
      expect(await t.store.getExecution(e.id)).toMatchObject({ ...failed, lastSeq: 1, owner: null, leaseUntil: null });
    });

    it('refuses appends after the end, even by the former owner', async () => {
      const e = await started(1);
      await t.store.appendEvents(e.id, e.owner, 1, newEvents(1, 'end'), { ...succeeded, status: 'ABORTED' });
      await expect(t.store.appendEvents(e.id, e.owner, 2, newEvents(1, 'late'))).rejects.toBeInstanceOf(
        ConcurrencyConflict,
      );
      await expect(t.store.appendEvents(e.id, e.owner, 2, [], succeeded)).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(await t.store.getExecution(e.id)).toMatchObject({ status: 'ABORTED', lastSeq: 2 });
      expect(await types(e.id)).toEqual(['1:start1', '2:end1']);
    });

    it('lets exactly one of two stores win an append at the same expectedLastSeq', async () => {
      const other = await t.open();
      const e = await started(1);
      let lastSeq = 1;
      for (let round = 0; round < 10; round++) {
        const results = await Promise.allSettled([
          t.store.appendEvents(e.id, e.owner, lastSeq, newEvents(2, `a${round}-`)),
          other.appendEvents(e.id, e.owner, lastSeq, newEvents(1, `b${round}-`)),
        ]);
        const [a, b] = results;
        expect([a?.status, b?.status].sort()).toEqual(['fulfilled', 'rejected']);
        const loser = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(loser?.reason).toBeInstanceOf(ConcurrencyConflict);
        lastSeq += a?.status === 'fulfilled' ? 2 : 1;
        expect(await t.store.getExecution(e.id)).toMatchObject({ lastSeq });
      }
      const history = await t.store.readHistory(e.id);
      expect(history.map((h) => h.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    });
  });
}
