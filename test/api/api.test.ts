import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, FlywheelClient } from '../../src/client/index.js';
import type { RunningServer } from '../../src/server/index.js';

// The server runs from the build (npm test builds first): its function runner forks dist/runners/function-worker.js.
const { startServer } = (await import(
  '../../dist/server/index.js' as string
)) as typeof import('../../src/server/index.js');

const dir = mkdtempSync(join(tmpdir(), 'flywheel-api-'));
let server: RunningServer;
let client: FlywheelClient;

beforeAll(async () => {
  writeFileSync(
    join(dir, 'noop.mjs'),
    'process.stdin.resume(); process.stdin.on("end", () => process.stdout.write("{}"));',
  );
  server = await startServer({ dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, cwd: dir, log: () => {} });
  client = new FlywheelClient(server.url, server.token);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const callbackMachine = {
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task',
      Resource: 'flywheel:command.waitForTaskToken',
      Parameters: { Command: ['node', 'noop.mjs'], Input: { 'token.$': '$$.Task.Token' } },
      HeartbeatSeconds: 30,
      Catch: [{ ErrorEquals: ['Review.Rejected'], ResultPath: '$.rejection', Next: 'Rejected' }],
      ResultPath: '$.approval',
      End: true,
    },
    Rejected: { Type: 'Pass', End: true },
  },
};

async function openToken(executionId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const history = await client.history(executionId);
    const submitted = history.some((e) => e.type === 'TaskSubmitted');
    const token = history.find((e) => e.type === 'TaskScheduled')?.token;
    if (submitted && typeof token === 'string') return token;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the task never waited for its token');
}

describe('REST API', () => {
  it('answers /health without a token and refuses every /v1 route without the right one', async () => {
    const anonymous = new FlywheelClient(server.url, undefined);
    expect((await anonymous.health()).status).toBe('ok');
    await expect(anonymous.listStateMachines()).rejects.toMatchObject({ status: 401, code: 'Unauthorized' });
    await expect(new FlywheelClient(server.url, 'wrong').listStateMachines()).rejects.toMatchObject({ status: 401 });
  });

  it('rejects an invalid definition with 400 and every problem with its JSON path, storing nothing', async () => {
    const bad = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } };
    const error = (await client.createStateMachine('bad', bad).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    const problems = (error.body as { problems: { path: string; message: string }[] }).problems;
    expect(problems.some((p) => p.path === '$.States.A.Next' && p.message.includes('Missing'))).toBe(true);
    await expect(client.describeStateMachine('bad')).rejects.toMatchObject({ status: 404 });
  });

  it('rejects a Task naming an unregistered resource', async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'flywheel:nope', End: true } } };
    await expect(client.createStateMachine('unknown-resource', def)).rejects.toMatchObject({
      status: 400,
      code: 'InvalidDefinition',
    });
  });

  it('refuses malformed JSON bodies and duplicate names with 4xx', async () => {
    const res = await fetch(`${server.url}/v1/executions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: '{"stateMachineName":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/not valid JSON/);
    const def = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    await client.createStateMachine('dup', def);
    await expect(client.createStateMachine('dup', def)).rejects.toMatchObject({ status: 409 });
    await expect(client.startExecution('no-such-machine', {})).rejects.toMatchObject({ status: 404 });
  });

  it('runs an execution, versions updates and keeps the history', async () => {
    await client.createStateMachine('hello', {
      StartAt: 'Hi',
      States: { Hi: { Type: 'Pass', Result: 'v1', End: true } },
    });
    const updated = await client.updateStateMachine('hello', {
      StartAt: 'Hi',
      States: { Hi: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, End: true } },
    });
    expect(updated.version).toBe(2);
    const started = await client.startExecution('hello', { who: 'flywheel' }, 'first');
    const done = await client.waitForExecution(started.executionId);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      output: { greeting: 'hello flywheel' },
      stateMachineVersion: 2,
      name: 'first',
    });
    const types = (await client.history(started.executionId)).map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'StateEntered', 'StateExited', 'ExecutionSucceeded']);
    await expect(client.startExecution('hello', {}, 'first')).rejects.toMatchObject({ status: 409 });
    const listed = await client.listExecutions({ stateMachine: 'hello' });
    expect(listed.map((e) => e.executionId)).toContain(started.executionId);
  });

  it('completes a .waitForTaskToken task through send-task-success, and a heartbeat keeps it alive', async () => {
    await client.createStateMachine('callback', callbackMachine);
    const started = await client.startExecution('callback', { order: 7 });
    const token = await openToken(started.executionId);
    await client.sendTaskHeartbeat(token);
    await client.sendTaskSuccess(token, { approvedBy: 'ana' });
    const done = await client.waitForExecution(started.executionId);
    expect(done.output).toEqual({ order: 7, approval: { approvedBy: 'ana' } });
    await expect(client.sendTaskSuccess(token, {})).rejects.toMatchObject({ status: 400, code: 'TaskTimedOut' });
    await expect(client.sendTaskSuccess('garbage', {})).rejects.toMatchObject({ status: 400, code: 'InvalidToken' });
  });

  it('routes send-task-failure to the Catch that matches its error name', async () => {
    const started = await client.startExecution('callback', { order: 8 });
    const token = await openToken(started.executionId);
    await client.sendTaskFailure(token, 'Review.Rejected', 'too risky');
    const done = await client.waitForExecution(started.executionId);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ order: 8, rejection: { Error: 'Review.Rejected', Cause: 'too risky' } });
  });

  it('stops a running execution as ABORTED and cancels its task', async () => {
    const started = await client.startExecution('callback', { order: 9 });
    await openToken(started.executionId);
    const stopped = await client.stopExecution(started.executionId, 'Ops.Cancelled', 'no longer needed');
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Ops.Cancelled', cause: 'no longer needed' });
  });

  it('runs a nested execution with startExecution.sync:2 and returns its output', async () => {
    await client.createStateMachine('child', {
      StartAt: 'Double',
      States: { Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)' }, End: true } },
    });
    await client.createStateMachine('parent', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'flywheel:startExecution.sync:2',
          Parameters: { StateMachineName: 'child', 'Input.$': '$' },
          ResultSelector: { 'child.$': '$.Output' },
          End: true,
        },
      },
    });
    const started = await client.startExecution('parent', { n: 21 });
    const done = await client.waitForExecution(started.executionId);
    expect(done.output).toEqual({ child: { n: 42 } });
    const children = await client.listExecutions({ stateMachine: 'child' });
    expect(children[0]?.parentExecutionId).toBe(started.executionId);
  });
});
