import { it } from 'vitest';
import { Engine, FakeClock } from '/work/main/src/engine/runtime/index.js';
import { openSqliteStore } from '/work/main/src/store/index.js';
it('probe', async () => {
  const store = await openSqliteStore(':memory:');
  const logs: string[] = [];
  const engine = new Engine({ store, clock: new FakeClock(), log: (m) => logs.push(m) });
  await engine.createStateMachine('m', JSON.stringify({ StartAt: 'Reject', States: { Reject: { Type: 'Fail', ErrorPath: "States.Format('Order.{}', $.kind)", CausePath: '$.c' } } }));
  const ex = await engine.startExecution({ stateMachineName: 'm', input: { kind: 'X', c: 'y' } });
  await engine.settled();
  await new Promise((r) => setTimeout(r, 2500));
  console.log(logs, (await engine.describeExecution(ex.id)).status);
  await engine.close();
});
