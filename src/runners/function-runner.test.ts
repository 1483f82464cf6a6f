import { rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest, type TaskRunner } from '../engine/runtime/task-runner.js';
import { buildFunctionWorker, taskRequest, writeFixtures } from './contract.js';
import { createFunctionRunner, FUNCTION_RESOURCE, type FunctionRunnerOptions } from './index.js';

const fixtures = {
  'steps.mjs': `
    export default (payload) => ({ doubled: payload * 2 });
    export const pid = () => process.pid;
    export const context = (payload, context) => ({ context, cwd: process.cwd() });
    export const exit = () => process.exit(7);
    export const kill = () => process.kill(process.pid, 'SIGKILL');
    export const throwString = () => { throw 'plain string'; };
    export const bigint = () => 10n;
    export const big = (size) => 'x'.repeat(size);
    export const slow = (ms) => new Promise((resolve) => setTimeout(() => resolve(process.pid), ms));
    export const notAFunction = 42;`,
  'legacy.cjs': 'exports.handler = async (payload) => ({ from: "cjs", payload });',
  'broken.mjs': 'export default () => { return ; ) }',
  'version.mjs': 'export default () => 1;',
};

let dir: string;
let workerPath: string;
const runners: TaskRunner[] = [];
beforeAll(async () => {
  dir = await writeFixtures(fixtures);
  workerPath = await buildFunctionWorker(dir);
});
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.close?.()));
  await rm(dir, { recursive: true, force: true });
});

/** A runner over the fixtures, closed after the suite. */
function functionRunner(options: Partial<FunctionRunnerOptions> = {}) {
  const runner = createFunctionRunner({ cwd: dir, workerPath, ...options });
  runners.push(runner);
  return (input: Json, request: Partial<TaskRequest> = {}, signal = new AbortController().signal) =>
    runner.run(taskRequest(FUNCTION_RESOURCE, input, request), signal);
}

async function failure(promise: Promise<unknown>): Promise<TaskFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TaskFailure);
  return error as TaskFailure;
}

describe('the function runner', () => {
  const call = (exportName: string, Payload: Json = null): Json => ({
    Module: 'steps.mjs',
    Function: exportName,
    Payload,
  });

  it('calls the default export of an ES module and the handler of a CommonJS one', async () => {
    const run = functionRunner();
    expect(await run({ Module: 'steps.mjs', Payload: 21 })).toEqual({ doubled: 42 });
    expect(await run({ Module: join(dir, 'legacy.cjs'), Payload: [1] })).toEqual({ from: 'cjs', payload: [1] });
    expect(await run({ Module: 'legacy.cjs', Function: 'handler' })).toEqual({ from: 'cjs', payload: null });
  });

  it('passes the context and runs the function in the request cwd', async () => {
    const run = functionRunner();
    const result = await run(call('context'), {
      executionId: 'exec-7',
      stateName: 'Train',
      attempt: 3,
      taskToken: 't',
    });
    expect(result).toEqual({
      context: { executionId: 'exec-7', stateName: 'Train', attempt: 3, taskToken: 't' },
      cwd: dir,
    });
  });

  it('reuses its workers: two calls in a row run in the same process', async () => {
    const run = functionRunner({ poolSize: 1 });
    const first = await run(call('pid'));
    expect(first).not.toBe(process.pid);
    expect(await run(call('pid'))).toBe(first);
  });

  it('queues tasks while every worker is busy', async () => {
    const run = functionRunner({ poolSize: 1 });
    const pids = await Promise.all([run(call('slow', 100)), run(call('slow', 100)), run(call('slow', 0))]);
    expect(new Set(pids).size).toBe(1);
  });

  it('fails the task when the worker exits mid-task, and the next task on the pool succeeds', async () => {
    const run = functionRunner({ poolSize: 1 });
    const before = await run(call('pid'));
    const exited = await failure(run(call('exit')));
    expect(exited.error).toBe('States.TaskFailed');
    expect(exited.causeText).toBe(
      `the function worker (pid ${before}) exited with code 7 while running steps.mjs#exit`,
    );
    const killed = await failure(run(call('kill')));
    expect(killed.causeText).toContain('was killed by signal SIGKILL while running steps.mjs#kill');
    const after = await run(call('pid'));
    expect(after).not.toBe(before);
    expect(await run(call('default', 2))).toEqual({ doubled: 4 });
  });

  it('kills and replaces the worker running an aborted task', async () => {
    const run = functionRunner({ poolSize: 1 });
    const before = await run(call('pid'));
    const aborted = await failure(run(call('slow', 60_000), {}, AbortSignal.timeout(200)));
    expect(aborted.causeText).toContain('aborted: ');
    expect(() => process.kill(Number(before), 0)).toThrow();
    expect(await run(call('pid'))).not.toBe(before);
  });

  it('reports a non-Error throw as States.TaskFailed and a non-JSON result as Flywheel.InvalidTaskOutput', async () => {
    const run = functionRunner();
    const thrown = await failure(run(call('throwString')));
    expect([thrown.error, thrown.causeText]).toEqual([
      'States.TaskFailed',
      'the function threw a non-Error value: "plain string"',
    ]);
    const bigint = await failure(run(call('bigint')));
    expect(bigint.error).toBe('Flywheel.InvalidTaskOutput');
    expect(bigint.causeText).toContain('BigInt');
  });

  it('fails with States.DataLimitExceeded for a result over the limit', async () => {
    const run = functionRunner({ maxOutputBytes: 1000 });
    expect(await run(call('big', 900))).toHaveLength(900);
    const failed = await failure(run(call('big', 2000)));
    expect([failed.error, failed.causeText]).toEqual([
      'States.DataLimitExceeded',
      "the function's result is 2002 bytes of JSON, more than the limit of 1000",
    ]);
  });

  it('fails with Flywheel.InvalidTaskInput naming what is wrong with the module or the export', async () => {
    const run = functionRunner();
    const cases: [Json, string][] = [
      [
        { Module: 'missing.mjs' },
        `Module must be an existing file, but ${join(dir, 'missing.mjs')} (resolved from ${dir})`,
      ],
      [{ Module: 'steps.ts' }, 'Module must be the path of a .js, .mjs or .cjs file (got "steps.ts")'],
      [{ Module: 'steps.mjs', Extra: 1 }, 'unknown field "Extra"'],
      [call('train'), `Function: ${join(dir, 'steps.mjs')} has no export named "train" (its exports: big, bigint,`],
      [
        call('notAFunction'),
        `Function: export "notAFunction" of ${join(dir, 'steps.mjs')} is a number, not a function`,
      ],
      [{ Module: 'broken.mjs' }, `Module: importing ${join(dir, 'broken.mjs')} failed: SyntaxError`],
      [{ Module: 'legacy.cjs', Function: '' }, 'Function must be a non-empty string (got "")'],
    ];
    for (const [input, cause] of cases) {
      const failed = await failure(run(input));
      expect(failed.error).toBe('Flywheel.InvalidTaskInput');
      expect(failed.causeText).toContain(`flywheel:function: ${cause}`);
    }
  });

  it('picks up an edited module on the next task', async () => {
    const run = functionRunner({ poolSize: 1 });
    const file = join(dir, 'version.mjs');
    expect(await run({ Module: 'version.mjs' })).toBe(1);
    await writeFile(file, 'export default () => 2;');
    await utimes(file, new Date(), new Date(Date.now() + 5000)); // A distinct mtime even on a coarse clock.
    expect(await run({ Module: 'version.mjs' })).toBe(2);
  });

  it('replaces a worker after maxTasksPerWorker tasks', async () => {
    const run = functionRunner({ poolSize: 1, maxTasksPerWorker: 2 });
    const pids = [await run(call('pid')), await run(call('pid')), await run(call('pid'))];
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).not.toBe(pids[1]);
  });

  it('close() ends its workers and fails the task they were running', async () => {
    const runner = createFunctionRunner({ cwd: dir, workerPath, poolSize: 1 });
    const never = new AbortController().signal;
    const pid = await runner.run(taskRequest(FUNCTION_RESOURCE, call('pid')), never);
    const pending = failure(runner.run(taskRequest(FUNCTION_RESOURCE, call('slow', 60_000)), never));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await runner.close?.();
    expect((await pending).causeText).toBe('the function runner was closed');
    expect(() => process.kill(Number(pid), 0)).toThrow();
  });

  it('refuses to start without its worker entry, saying how to provide one', () => {
    expect(() => createFunctionRunner({ cwd: dir, workerPath: join(dir, 'nope.js') })).toThrow(/npm run build/);
  });
});
