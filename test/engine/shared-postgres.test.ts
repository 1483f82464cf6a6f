import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { killHard, type ServerProcess, startServerProcess, stopGracefully } from '../support/server-process.js';

const PG_URL = process.env.FLYWHEEL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `fw_shared_${process.pid}_${Date.now() % 100000}`;
const storeUrl = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
const dir = mkdtempSync(join(tmpdir(), 'flywheel-shared-'));
const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const s of servers) await stopGracefully(s);
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

async function start(name: string): Promise<ServerProcess> {
  const server = await startServerProcess(join(dir, name), ['--store', storeUrl, '--lease-seconds', '2'], dir);
  servers.push(server);
  return server;
}

describe('several servers sharing one PostgreSQL database', () => {
  it('lets any server answer a callback, and another server finish what a killed one was running', async () => {
    writeFileSync(
      join(dir, 'accept.mjs'),
      'process.stdin.resume(); process.stdin.on("end", () => process.stdout.write("{}"));',
    );
    const a = await start('a');
    const b = await start('b');
    await a.client.createStateMachine('approval', {
      StartAt: 'Wait',
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'flywheel:command.waitForTaskToken',
          Parameters: { Command: ['node', 'accept.mjs'] },
          ResultPath: '$.answer',
          Next: 'Pause',
        },
        Pause: { Type: 'Wait', Seconds: 1, Next: 'Done' },
        Done: { Type: 'Pass', Result: 'done', ResultPath: '$.finished', End: true },
      },
    });
    // B sees what A stored: one database.
    expect((await b.client.listStateMachines()).map((m) => m.name)).toContain('approval');

    const first = await a.client.startExecution('approval', { n: 1 });
    const token = await waitForToken(a, first.executionId);
    // The callback goes to B; A runs the execution, and gets it through the store's signal queue.
    await b.client.sendTaskSuccess(token, { by: 'b' });
    const done = await b.client.waitForExecution(first.executionId);
    expect(done.output).toEqual({ n: 1, answer: { by: 'b' }, finished: 'done' });

    // A dies holding a waiting execution; once its lease lapses B takes it over and finishes it.
    const second = await a.client.startExecution('approval', { n: 2 });
    const secondToken = await waitForToken(a, second.executionId);
    await killHard(a);
    await b.client.sendTaskSuccess(secondToken, { by: 'b-after-crash' });
    const recovered = await b.client.waitForExecution(second.executionId);
    expect(recovered.status).toBe('SUCCEEDED');
    expect(recovered.output).toEqual({ n: 2, answer: { by: 'b-after-crash' }, finished: 'done' });
    const history = await b.client.history(second.executionId);
    expect(history.filter((e) => e.type === 'TaskScheduled')).toHaveLength(1);
  }, 60_000);
});

async function waitForToken(server: ServerProcess, id: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const history = await server.client.history(id);
    const token = history.find((e) => e.type === 'TaskScheduled')?.token;
    if (history.some((e) => e.type === 'TaskSubmitted') && typeof token === 'string') return token;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no task token');
}
