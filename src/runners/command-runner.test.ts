import { readFileSync } from 'node:fs';
import { mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest } from '../engine/runtime/task-runner.js';
import { taskRequest, writeFixtures } from './contract.js';
import { COMMAND_RESOURCE, type CommandRunnerOptions, createCommandRunner } from './index.js';

/** argv running `script` (CommonJS) in a fresh node. */
const node = (script: string): string[] => [process.execPath, '-e', script];

let dir: string;
beforeAll(async () => {
  dir = await realpath(await writeFixtures({}));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(input: Json, options: Partial<CommandRunnerOptions> = {}, request: Partial<TaskRequest> = {}) {
  const runner = createCommandRunner({ cwd: dir, ...options });
  return runner.run(taskRequest(COMMAND_RESOURCE, input, request), new AbortController().signal);
}

async function failure(promise: Promise<unknown>): Promise<TaskFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TaskFailure);
  return error as TaskFailure;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `pid` runs. A zombie counts as ended: orphans here are reparented to an init that may reap them late. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') !== true;
  } catch {
    return false;
  }
}

describe('the command runner', () => {
  it('sends Input as JSON on stdin, null when absent, and reads empty stdout as null', async () => {
    const echo = node('process.stdout.write(require("fs").readFileSync(0, "utf8"))');
    expect(await run({ Command: echo, Input: { rows: [1, 2] } })).toEqual({ rows: [1, 2] });
    expect(await run({ Command: echo })).toBeNull();
    expect(await run({ Command: node('') })).toBeNull();
  });

  it('takes the error name from a JSON object on the last line of stderr', async () => {
    const chosen = await failure(
      run({ Command: node('console.error(JSON.stringify({ error: "Data.Empty" })); process.exit(2)') }),
    );
    expect(chosen.error).toBe('Data.Empty');
    expect(chosen.causeText).toBe(`command ${process.execPath} exited with code 2`);
  });

  it('fails with States.TaskFailed naming the exit code and quoting the last 1 KB of stderr', async () => {
    const script = 'process.stderr.write("x".repeat(3000) + "\\nthe last words\\n"); process.exit(3)';
    const failed = await failure(run({ Command: node(script) }));
    expect(failed.error).toBe('States.TaskFailed');
    expect(failed.causeText).toMatch(/^command .+ exited with code 3: x+\nthe last words$/);
    expect(failed.causeText.length).toBeLessThan(1100 + process.execPath.length);
  });

  it('names the signal that killed the program', async () => {
    const failed = await failure(run({ Command: node('process.kill(process.pid, "SIGKILL")') }));
    expect(failed.error).toBe('States.TaskFailed');
    expect(failed.causeText).toContain('was killed by signal SIGKILL');
  });

  it('fails with Flywheel.InvalidTaskInput naming a program that does not exist', async () => {
    const failed = await failure(run({ Command: ['flywheel-no-such-program', '--help'] }));
    expect(failed.error).toBe('Flywheel.InvalidTaskInput');
    expect(failed.causeText).toContain('Command[0]: the program "flywheel-no-such-program" was not found');
  });

  it('rejects malformed input naming the field and what was expected', async () => {
    const cases: [Json, string][] = [
      [{}, 'Command must be a non-empty array of strings'],
      [{ Command: [] }, 'Command must be a non-empty array of strings'],
      [{ Command: ['node', 3] }, 'Command[1] must be a string (got 3)'],
      [{ Command: ['node'], Env: { A: 1 } }, 'Env.A must be a string (got 1)'],
      [{ Command: ['node'], Args: [] }, 'unknown field "Args"'],
      [{ Command: node(''), Cwd: 'missing-folder' }, 'Cwd must be an existing folder'],
      [{ Command: ['node', 'a\u0000b'] }, 'Command[0]: the program "node" could not start ('],
    ];
    for (const [input, cause] of cases) {
      const failed = await failure(run(input));
      expect(failed.error).toBe('Flywheel.InvalidTaskInput');
      expect(failed.causeText).toContain(`flywheel:command: ${cause}`);
    }
  });

  it('fails with Flywheel.InvalidTaskOutput quoting the start of stdout that is not JSON', async () => {
    const failed = await failure(run({ Command: node('console.log("training done, auc=0.9")') }));
    expect(failed.error).toBe('Flywheel.InvalidTaskOutput');
    expect(failed.causeText).toContain('printed invalid JSON on stdout');
    expect(failed.causeText).toContain('"training done, auc=0.9\\n"');
  });

  it('fails with States.DataLimitExceeded and stops a program printing more than the limit', async () => {
    const started = Date.now();
    const script = 'process.stdout.write("[" + "1,".repeat(200000)); setInterval(() => {}, 1000)';
    const failed = await failure(run({ Command: node(script) }, { maxOutputBytes: 256 * 1024 }));
    expect(failed.error).toBe('States.DataLimitExceeded');
    expect(failed.causeText).toContain('more than 262144 bytes');
    expect(Date.now() - started).toBeLessThan(5000); // Not left printing until the test times out.
  });

  it('gives the program the engine environment, options.env, Env and the FLYWHEEL_ variables', async () => {
    const names = [
      'A',
      'B',
      'PATH',
      'FLYWHEEL_EXECUTION_ID',
      'FLYWHEEL_STATE_NAME',
      'FLYWHEEL_ATTEMPT',
      'FLYWHEEL_TASK_TOKEN',
    ];
    const Command = node(`console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => process.env[n] ?? null)))`);
    const options = { env: { A: 'options', B: 'options', FLYWHEEL_TASK_TOKEN: 'inherited' } };
    const request = { executionId: 'exec-9', stateName: 'Train', attempt: 2, taskToken: 'tok-1' };
    const withToken = await run({ Command, Env: { B: 'task' } }, options, request);
    expect(withToken).toEqual(['options', 'task', process.env.PATH, 'exec-9', 'Train', '2', 'tok-1']);
    const withoutToken = await run({ Command }, options);
    expect(withoutToken).toEqual(['options', 'options', process.env.PATH, 'exec-1', 'S', '1', null]);
  });

  it('runs in Cwd, resolved from the request cwd, itself resolved from the runner cwd', async () => {
    await mkdir(join(dir, 'project', 'steps'), { recursive: true });
    const output = await run(
      { Command: node('console.log(JSON.stringify(process.cwd()))'), Cwd: 'steps' },
      {},
      { cwd: 'project' },
    );
    expect(output).toBe(join(dir, 'project', 'steps'));
  });

  it('stops the program and what it started when aborted', async () => {
    const pids = join(dir, 'pids.json');
    const script = `
      const { spawn } = require('child_process');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('fs').writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid, child.pid]));
      setInterval(() => {}, 1000);`;
    const controller = new AbortController();
    const runner = createCommandRunner({ cwd: dir });
    const pending = failure(runner.run(taskRequest(COMMAND_RESOURCE, { Command: node(script) }), controller.signal));
    let started: number[] | undefined;
    while (started === undefined) {
      await sleep(10);
      // The script may be between creating the file and writing it: an empty or partial file means not yet.
      started = await readFile(pids, 'utf8').then(
        (text) => {
          try {
            return JSON.parse(text) as number[];
          } catch {
            return undefined;
          }
        },
        () => undefined,
      );
    }
    controller.abort('stopped by the user');
    expect((await pending).causeText).toBe('aborted: stopped by the user');
    // The kernel ends signalled processes a moment after the command's own exit is reported.
    for (let waited = 0; waited < 1000 && started.some(alive); waited += 20) await sleep(20);
    expect(started.filter(alive)).toEqual([]);
  });

  it('kills a program that ignores SIGTERM once the grace period is over', async () => {
    const controller = new AbortController();
    const runner = createCommandRunner({ cwd: dir, killGraceMs: 300 });
    const script = 'process.on("SIGTERM", () => {}); console.error("ready"); setInterval(() => {}, 1000)';
    const pending = failure(runner.run(taskRequest(COMMAND_RESOURCE, { Command: node(script) }), controller.signal));
    setTimeout(() => controller.abort('timeout'), 300);
    const started = Date.now();
    expect((await pending).causeText).toBe('aborted: timeout');
    expect(Date.now() - started).toBeLessThan(5000); // SIGKILL came: SIGTERM alone would never end it.
  });

  it('finishes when the program exits even if a program it left behind holds stdout open', async () => {
    const script = `
      require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'inherit' }).unref();
      console.log('{"done": true}');`;
    expect(await run({ Command: node(script) })).toEqual({ done: true });
  });

  it('close() stops running commands', async () => {
    const runner = createCommandRunner({ cwd: dir });
    const never = new AbortController().signal;
    const pending = failure(
      runner.run(taskRequest(COMMAND_RESOURCE, { Command: node('setInterval(() => {}, 1000)') }), never),
    );
    await sleep(200);
    await runner.close?.();
    expect((await pending).causeText).toBe('the command runner was closed');
  });
});
