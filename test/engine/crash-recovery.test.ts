import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killHard, type ServerProcess, startServerProcess, stopGracefully } from '../support/server-process.js';

const ITEMS = 5;
const EXECUTIONS = 3;

function workflow(logFile: string): unknown {
  const work = (state: string) => ({
    Type: 'Task',
    Resource: 'flywheel:command',
    Parameters: {
      Command: ['node', 'work.mjs'],
      Input: { 'item.$': '$.item', 'execution.$': '$.execution', state, 'retry.$': '$$.State.RetryCount' },
      Env: { WORK_LOG: logFile },
    },
    Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 20 }],
  });
  return {
    StartAt: 'Items',
    States: {
      Items: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 2,
        ItemSelector: { 'item.$': '$$.Map.Item.Value', 'execution.$': '$$.Execution.Name' },
        ItemProcessor: {
          StartAt: 'First',
          States: {
            First: { ...work('First'), ResultPath: '$.first', Next: 'Pause' },
            Pause: { Type: 'Wait', Seconds: 1, Next: 'Second' },
            Second: { ...work('Second'), ResultSelector: { 'item.$': '$.item', 'done.$': '$.state' }, End: true },
          },
        },
        Next: 'Total',
      },
      Total: { Type: 'Pass', Parameters: { 'count.$': 'States.ArrayLength($)', 'results.$': '$' }, End: true },
    },
  };
}

describe('crash recovery (SIGKILL of the server process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-crash-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'work.log');
  let server: ServerProcess | undefined;

  afterAll(async () => {
    if (server) await stopGracefully(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes every execution with the right output after repeated kill -9, never re-running a completed task', async () => {
    // A task that records each attempt it starts, then works for a while (so kills land mid-task).
    writeFileSync(
      join(dir, 'work.mjs'),
      `import { appendFileSync } from 'node:fs';
let text = ''; for await (const c of process.stdin) text += c;
const input = JSON.parse(text);
appendFileSync(process.env.WORK_LOG, JSON.stringify({ e: input.execution, i: input.item, s: input.state, r: input.retry }) + '\\n');
await new Promise((r) => setTimeout(r, 250));
process.stdout.write(JSON.stringify({ item: input.item, state: input.state }));
`,
    );
    writeFileSync(join(dir, 'workflow.json'), JSON.stringify(workflow(logFile)));

    server = await startServerProcess(dataDir, [], dir);
    await server.client.createStateMachine('crashy', workflow(logFile));
    const ids: string[] = [];
    for (let e = 0; e < EXECUTIONS; e++) {
      const items = Array.from({ length: ITEMS }, (_, i) => `e${e}-item${i}`);
      ids.push((await server.client.startExecution('crashy', { items }, `run-${e}`)).executionId);
    }

    for (const delay of [600, 900, 1300, 700]) {
      await new Promise((r) => setTimeout(r, delay));
      await killHard(server);
      server = await startServerProcess(dataDir, [], dir);
    }

    let interrupted = 0;
    for (const [e, id] of ids.entries()) {
      const done = await server.client.waitForExecution(id);
      expect(done.status, `${id}: ${done.error} ${done.cause}`).toBe('SUCCEEDED');
      expect(done.output).toEqual({
        count: ITEMS,
        results: Array.from({ length: ITEMS }, (_, i) => ({ item: `e${e}-item${i}`, done: 'Second' })),
      });

      const history = await server.client.history(id);
      // Every attempt the history scheduled ran at most once; attempts recorded as succeeded never ran again.
      const scheduled = history.filter((h) => h.type === 'TaskScheduled');
      interrupted += history.filter(
        (h) => h.type === 'TaskFailed' && String(h.cause).includes('engine stopped'),
      ).length;
      const succeeded = new Set(history.filter((h) => h.type === 'TaskSucceeded').map((h) => h.taskId));
      expect(succeeded.size).toBe(ITEMS * 2);
      const log = readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { e: string; i: string; s: string; r: number })
        .filter((l) => l.e === `run-${e}`);
      const keys = log.map((l) => `${l.i}/${l.s}/${l.r}`);
      expect(new Set(keys).size, 'an attempt ran twice').toBe(keys.length);
      for (const task of scheduled.filter((t) => succeeded.has(t.taskId))) {
        const input = task.input as { item: string; state: string; retry: number };
        const later = log.filter((l) => l.i === input.item && l.s === input.state && l.r > input.retry);
        expect(later, `a completed task of ${input.item}/${input.state} ran again`).toEqual([]);
      }

      // Durable timers: every Wait lasted at least its Seconds, across restarts.
      const entered = new Map<unknown, number>();
      for (const h of history) {
        if (h.type === 'StateEntered' && h.state === 'Pause') entered.set(h.frame, Date.parse(h.timestamp));
        if (h.type === 'StateExited' && h.state === 'Pause') {
          expect(Date.parse(h.timestamp) - (entered.get(h.frame) ?? 0)).toBeGreaterThanOrEqual(1000);
        }
      }
    }
    // The kills really landed while tasks were running (else this test would prove nothing).
    expect(interrupted).toBeGreaterThan(0);
  }, 120_000);
});
