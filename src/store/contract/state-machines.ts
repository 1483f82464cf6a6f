import { describe, expect, it } from 'vitest';
import { AlreadyExists, NotFound } from '../port.js';
import { DEFINITION, type Harness, MINUTE, newEvents, newExecution, T0 } from './harness.js';

export function describeStateMachines(t: Harness): void {
  describe('state machines', () => {
    it('creates a state machine at version 1 and reads it back', async () => {
      const created = await t.store.createStateMachine('etl', DEFINITION, T0);
      expect(created).toEqual({ name: 'etl', definition: DEFINITION, version: 1, createdAt: T0, updatedAt: T0 });
      expect(await t.store.getStateMachine('etl')).toEqual(created);
      expect(await t.store.listStateMachines()).toEqual([created]);
    });

    it('keeps the definition text exactly as given', async () => {
      const text = '{\n  "Comment": "naïve 🙂 \\"quoted\\"",\n\t"StartAt": "A"  }\n';
      await t.store.createStateMachine('exact', text, T0);
      expect((await t.store.getStateMachine('exact'))?.definition).toBe(text);
    });

    it('refuses a second state machine of the same name with AlreadyExists and keeps the first', async () => {
      await t.store.createStateMachine('etl', DEFINITION, T0);
      await expect(t.store.createStateMachine('etl', '{}', T0 + 1)).rejects.toBeInstanceOf(AlreadyExists);
      expect(await t.store.getStateMachine('etl')).toMatchObject({ definition: DEFINITION, version: 1 });
    });

    it('update replaces the definition and adds one to the version, keeping createdAt', async () => {
      await t.store.createStateMachine('etl', DEFINITION, T0);
      const second = await t.store.updateStateMachine('etl', '{"v":2}', T0 + MINUTE);
      expect(second).toEqual({ name: 'etl', definition: '{"v":2}', version: 2, createdAt: T0, updatedAt: T0 + MINUTE });
      const third = await t.store.updateStateMachine('etl', '{"v":3}', T0 + 2 * MINUTE);
      expect(third).toMatchObject({ version: 3, definition: '{"v":3}', updatedAt: T0 + 2 * MINUTE });
      expect(await t.store.getStateMachine('etl')).toEqual(third);
    });

    it('update of an unknown state machine throws NotFound and creates nothing', async () => {
      await expect(t.store.updateStateMachine('nope', DEFINITION, T0)).rejects.toBeInstanceOf(NotFound);
      expect(await t.store.getStateMachine('nope')).toBeUndefined();
    });

    it('returns undefined for an unknown name and lists every state machine', async () => {
      expect(await t.store.getStateMachine('nope')).toBeUndefined();
      expect(await t.store.listStateMachines()).toEqual([]);
      for (const name of ['b', 'c', 'a']) await t.store.createStateMachine(name, DEFINITION, T0);
      const names = (await t.store.listStateMachines()).map((m) => m.name);
      expect(names.sort()).toEqual(['a', 'b', 'c']);
    });

    it('deletes a state machine, whose executions stay readable, and lets the name start over at version 1', async () => {
      await t.store.createStateMachine('etl', DEFINITION, T0);
      await t.store.updateStateMachine('etl', '{"v":2}', T0);
      const execution = newExecution({ stateMachineVersion: 2 });
      await t.store.createExecution(execution, newEvents(2));

      await t.store.deleteStateMachine('etl');
      expect(await t.store.getStateMachine('etl')).toBeUndefined();
      expect(await t.store.listStateMachines()).toEqual([]);
      expect(await t.store.getExecution(execution.id)).toMatchObject({
        stateMachineName: 'etl',
        definition: DEFINITION,
      });
      expect(await t.store.readHistory(execution.id)).toHaveLength(2);

      expect(await t.store.createStateMachine('etl', '{"new":true}', T0 + 1)).toMatchObject({ version: 1 });
    });

    it('delete of an unknown state machine throws NotFound', async () => {
      await expect(t.store.deleteStateMachine('nope')).rejects.toBeInstanceOf(NotFound);
    });
  });
}
