import { describe, expect, it } from 'vitest';
import { DEFINITION, type Harness, newEvents, newExecution, T0 } from './harness.js';

/** Several stores on one database, as several processes (or restarts) would open it. */
export function describeSharing(t: Harness): void {
  describe('one database, several stores', () => {
    it('opens an existing database again without migrating twice, and both stores see the same data', async () => {
      await t.store.createStateMachine('etl', DEFINITION, T0);
      const execution = newExecution();
      await t.store.createExecution(execution, newEvents(2));

      const again = await t.open();
      expect(again.kind).toBe(t.store.kind);
      expect(await again.getStateMachine('etl')).toMatchObject({ version: 1 });
      await again.appendEvents(execution.id, execution.owner, 2, newEvents(1, 'from-second'));
      expect((await t.store.readHistory(execution.id, 2)).map((e) => e.type)).toEqual(['from-second1']);
    });

    it('lets several stores open the same database at once', async () => {
      const opened = await Promise.all([t.open(), t.open(), t.open()]);
      await opened[0]!.createStateMachine('shared', DEFINITION, T0);
      for (const store of opened) expect(await store.getStateMachine('shared')).toMatchObject({ version: 1 });
    });

    it('closes without error, twice', async () => {
      const other = await t.open();
      await other.close();
      await other.close();
      expect(await t.store.listStateMachines()).toEqual([]);
    });
  });
}
