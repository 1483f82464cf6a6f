import { describe, expect, it } from 'vitest';
import { AlreadyExists, type ExecutionRecord } from '../port.js';
import { type Harness, newEvents, newExecution, T0 } from './harness.js';

const ids = (records: ExecutionRecord[]) => records.map((r) => r.id);

export function describeExecutions(t: Harness): void {
  describe('executions', () => {
    it('creates a RUNNING execution held by its owner, with its first events numbered 1..n', async () => {
      const execution = newExecution({ parentId: 'parent-1', input: '{"ü":"🙂"}' });
      const events = newEvents(3);
      const created = await t.store.createExecution(execution, events);
      const expected: ExecutionRecord = {
        ...execution,
        status: 'RUNNING',
        output: null,
        error: null,
        cause: null,
        stoppedAt: null,
        lastSeq: 3,
      };
      expect(created).toEqual(expected);
      expect(await t.store.getExecution(execution.id)).toEqual(expected);
      expect(await t.store.readHistory(execution.id)).toEqual(events.map((e, i) => ({ seq: i + 1, ...e })));
    });

    it('creates an execution without events at lastSeq 0', async () => {
      const execution = newExecution();
      expect(await t.store.createExecution(execution, [])).toMatchObject({ lastSeq: 0 });
      expect(await t.store.getExecution(execution.id)).toMatchObject({ lastSeq: 0, status: 'RUNNING' });
      expect(await t.store.readHistory(execution.id)).toEqual([]);
    });

    it('refuses a second execution of the same name on one state machine and writes nothing', async () => {
      const first = newExecution({ name: 'nightly' });
      await t.store.createExecution(first, newEvents(2, 'first'));
      const second = newExecution({ name: 'nightly' });
      await expect(t.store.createExecution(second, newEvents(4, 'second'))).rejects.toBeInstanceOf(AlreadyExists);
      expect(await t.store.getExecution(second.id)).toBeUndefined();
      expect(await t.store.readHistory(second.id)).toEqual([]);
      expect((await t.store.readHistory(first.id)).map((e) => e.type)).toEqual(['first1', 'first2']);
    });

    it('allows the same execution name on another state machine', async () => {
      await t.store.createExecution(newExecution({ name: 'nightly' }), []);
      const other = newExecution({ name: 'nightly', stateMachineName: 'train' });
      await t.store.createExecution(other, newEvents(1));
      expect(await t.store.findExecutionByName('train', 'nightly')).toMatchObject({ id: other.id });
    });

    it('refuses a duplicate execution id with AlreadyExists', async () => {
      const first = newExecution();
      await t.store.createExecution(first, newEvents(1));
      const again = newExecution({ id: first.id, stateMachineName: 'other' });
      await expect(t.store.createExecution(again, newEvents(2))).rejects.toBeInstanceOf(AlreadyExists);
      expect(await t.store.getExecution(first.id)).toMatchObject({ stateMachineName: 'etl', lastSeq: 1 });
    });

    it('finds an execution by state machine and name, and nothing for unknown ones', async () => {
      const execution = newExecution({ name: 'weekly' });
      await t.store.createExecution(execution, []);
      expect(await t.store.findExecutionByName('etl', 'weekly')).toMatchObject({ id: execution.id });
      expect(await t.store.findExecutionByName('train', 'weekly')).toBeUndefined();
      expect(await t.store.findExecutionByName('etl', 'monthly')).toBeUndefined();
      expect(await t.store.getExecution('no-such-id')).toBeUndefined();
    });

    it('lists executions newest first, filtered by state machine and status', async () => {
      const a = newExecution({ startedAt: T0 + 1 });
      const b = newExecution({ startedAt: T0 + 2, stateMachineName: 'train' });
      const c = newExecution({ startedAt: T0 + 3 });
      for (const e of [b, c, a]) await t.store.createExecution(e, newEvents(1));
      const end = { status: 'SUCCEEDED', output: '{}', error: null, cause: null, stoppedAt: T0 + 9 } as const;
      await t.store.appendEvents(c.id, c.owner, 1, newEvents(1, 'end'), end);

      expect(ids(await t.store.listExecutions({}))).toEqual([c.id, b.id, a.id]);
      expect(ids(await t.store.listExecutions({ stateMachineName: 'etl' }))).toEqual([c.id, a.id]);
      expect(ids(await t.store.listExecutions({ status: 'RUNNING' }))).toEqual([b.id, a.id]);
      expect(ids(await t.store.listExecutions({ stateMachineName: 'etl', status: 'SUCCEEDED' }))).toEqual([c.id]);
      expect(await t.store.listExecutions({ stateMachineName: 'none' })).toEqual([]);
      expect((await t.store.listExecutions({ status: 'SUCCEEDED' }))[0]).toEqual(await t.store.getExecution(c.id));
    });

    it('lists at most `limit` executions, 100 by default', async () => {
      const created: string[] = [];
      for (let i = 0; i < 103; i++) {
        const execution = newExecution({ startedAt: T0 + i });
        await t.store.createExecution(execution, []);
        created.push(execution.id);
      }
      const newestFirst = created.reverse();
      expect(ids(await t.store.listExecutions({}))).toEqual(newestFirst.slice(0, 100));
      expect(ids(await t.store.listExecutions({ limit: 2 }))).toEqual(newestFirst.slice(0, 2));
      expect(ids(await t.store.listExecutions({ limit: 200 }))).toEqual(newestFirst);
    });

    it('pages newest first with startedBefore, which excludes its own instant', async () => {
      const all = [1, 2, 3, 4, 5].map((i) => newExecution({ startedAt: T0 + i * 10 }));
      for (const e of all) await t.store.createExecution(e, []);
      const first = await t.store.listExecutions({ limit: 2 });
      expect(ids(first)).toEqual([all[4]!.id, all[3]!.id]);
      const second = await t.store.listExecutions({ limit: 2, startedBefore: first.at(-1)!.startedAt });
      expect(ids(second)).toEqual([all[2]!.id, all[1]!.id]);
      const third = await t.store.listExecutions({ limit: 2, startedBefore: second.at(-1)!.startedAt });
      expect(ids(third)).toEqual([all[0]!.id]);
      expect(await t.store.listExecutions({ startedBefore: T0 + 10 })).toEqual([]);
    });
  });
}
