import { describe, expect, it } from 'vitest';
import { NotFound } from '../port.js';
import { type Harness, MINUTE, newExecution, T0 } from './harness.js';

export function describeSignals(t: Harness): void {
  describe('signals', () => {
    const started = async (owner: string, leaseUntil = T0 + MINUTE) => {
      const execution = newExecution({ owner, leaseUntil });
      await t.store.createExecution(execution, []);
      return execution.id;
    };

    it('delivers the signals of the executions the owner holds, oldest first, exactly once', async () => {
      const one = await started('worker-a');
      const two = await started('worker-a');
      await t.store.addSignal(one, 'TaskSucceeded', '{"token":"t1","output":{}}', T0 + 3);
      await t.store.addSignal(two, 'StopExecution', '{"cause":"user"}', T0 + 1);
      await t.store.addSignal(one, 'TaskFailed', '{"token":"t2"}', T0 + 2);

      const signals = await t.store.takeSignals('worker-a', 10);
      expect(signals.map((s) => [s.executionId, s.kind, s.body, s.createdAt])).toEqual([
        [one, 'TaskSucceeded', '{"token":"t1","output":{}}', T0 + 3],
        [two, 'StopExecution', '{"cause":"user"}', T0 + 1],
        [one, 'TaskFailed', '{"token":"t2"}', T0 + 2],
      ]);
      const signalIds = signals.map((s) => s.id);
      expect(signalIds).toEqual([...signalIds].sort((a, b) => a - b));
      expect(new Set(signalIds).size).toBe(3);
      expect(await t.store.takeSignals('worker-a', 10)).toEqual([]);
    });

    it('takes at most `limit` signals, oldest first', async () => {
      const id = await started('worker-a');
      for (let i = 1; i <= 5; i++) await t.store.addSignal(id, 'Tick', `{"i":${i}}`, T0 + i);
      expect((await t.store.takeSignals('worker-a', 2)).map((s) => s.body)).toEqual(['{"i":1}', '{"i":2}']);
      expect((await t.store.takeSignals('worker-a', 2)).map((s) => s.body)).toEqual(['{"i":3}', '{"i":4}']);
      expect((await t.store.takeSignals('worker-a', 2)).map((s) => s.body)).toEqual(['{"i":5}']);
      expect(await t.store.takeSignals('worker-a', 0)).toEqual([]);
    });

    it('keeps the signals of executions another owner holds for that owner', async () => {
      const theirs = await started('worker-b', T0 + 1);
      await t.store.addSignal(theirs, 'StopExecution', '{}', T0);
      expect(await t.store.takeSignals('worker-a', 10)).toEqual([]);
      // When the lease moves, the signal goes with the execution.
      await t.store.claimExecutions('worker-a', T0 + 2, T0 + MINUTE, 10);
      expect((await t.store.takeSignals('worker-a', 10)).map((s) => s.executionId)).toEqual([theirs]);
      expect(await t.store.takeSignals('worker-b', 10)).toEqual([]);
    });

    it('does not deliver the signals of ended executions', async () => {
      const id = await started('worker-a');
      await t.store.addSignal(id, 'TaskSucceeded', '{}', T0);
      const end = { status: 'ABORTED', output: null, error: null, cause: null, stoppedAt: T0 } as const;
      await t.store.appendEvents(id, 'worker-a', 0, [], end);
      expect(await t.store.takeSignals('worker-a', 10)).toEqual([]);
    });

    it('refuses a signal for an unknown execution with NotFound', async () => {
      await expect(t.store.addSignal('no-such-id', 'StopExecution', '{}', T0)).rejects.toBeInstanceOf(NotFound);
    });
  });
}
