import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest, type TaskRunner } from '../engine/runtime/task-runner.js';

/**
 * What every task runner must do, as one suite each runner's tests run against it (as the store has describeStore).
 * Behaviours are asked for as data; each runner's test says how to express them as that resource's task input.
 */
export type ContractTask =
  /** Resolves with `value`, after `delayMs` if given. */
  | { kind: 'echo'; value: Json; delayMs?: number }
  /** Fails with the ASL error name and cause the task chose. */
  | { kind: 'fail'; error: string; cause: string }
  /** Never finishes by itself. */
  | { kind: 'hang' };

export interface RunnerUnderTest {
  runner: TaskRunner;
  resource: string;
  inputFor(task: ContractTask): Json;
}

/** Runs the task runner contract against the runner `makeRunner` builds (once for the suite; closed at the end). */
export function describeRunner(name: string, makeRunner: () => Promise<RunnerUnderTest>): void {
  describe(`${name} keeps the task runner contract`, () => {
    let subject: RunnerUnderTest;
    beforeAll(async () => {
      subject = await makeRunner();
    });
    afterAll(async () => {
      await subject.runner.close?.();
    });
    const run = (task: ContractTask | { input: Json }, signal = new AbortController().signal): Promise<Json> => {
      const input = 'input' in task ? task.input : subject.inputFor(task);
      return subject.runner.run(taskRequest(subject.resource, input), signal);
    };
    const failureOf = (promise: Promise<unknown>): Promise<TaskFailure> =>
      promise.then(
        (value) => expect.fail(`expected a TaskFailure, got the result ${JSON.stringify(value)}`),
        (error: unknown) => {
          expect(error).toBeInstanceOf(TaskFailure);
          return error as TaskFailure;
        },
      );

    it('resolves with the JSON result the task produced', async () => {
      const value = { model: 'gbdt', metrics: { auc: 0.91, rows: 1200 }, tags: ['a', 'ü ✓'], ok: true, none: null };
      expect(await run({ kind: 'echo', value })).toEqual(value);
    });

    it('resolves with scalar, array and null results', async () => {
      for (const value of [null, 0, -1.5, 'text', true, [1, 'two', null]] satisfies Json[]) {
        expect(await run({ kind: 'echo', value })).toEqual(value);
      }
    });

    it('rejects with the error name and cause the task chose', async () => {
      const failure = await failureOf(
        run({ kind: 'fail', error: 'Pipeline.DataMissing', cause: 'no rows in train.csv' }),
      );
      expect(failure.error).toBe('Pipeline.DataMissing');
      expect(failure.causeText).toBe('no rows in train.csv');
    });

    it('rejects task input that is not an object with Flywheel.InvalidTaskInput', async () => {
      const failure = await failureOf(run({ input: 'not an object' }));
      expect(failure.error).toBe('Flywheel.InvalidTaskInput');
      expect(failure.causeText).toContain(subject.resource);
    });

    it('ends the work promptly when aborted and rejects with States.TaskFailed naming the reason', async () => {
      const controller = new AbortController();
      const pending = failureOf(run({ kind: 'hang' }, controller.signal));
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = Date.now();
        controller.abort(new Error('timed out after 5 s'));
      }, 300);
      const failure = await pending;
      expect(failure.error).toBe('States.TaskFailed');
      expect(failure.causeText).toBe('aborted: timed out after 5 s');
      expect(Date.now() - abortedAt).toBeLessThan(1500); // Well inside a kill grace period: no lingering.
    });

    it('rejects at once when the signal is already aborted', async () => {
      const failure = await failureOf(run({ kind: 'echo', value: 1 }, AbortSignal.abort('engine shutting down')));
      expect(failure.causeText).toBe('aborted: engine shutting down');
    });

    it('runs concurrent requests and gives each its own result', async () => {
      const values = [0, 1, 2, 3, 4, 5].map((index) => ({ index, text: `task ${index}` }));
      const results = await Promise.all(
        values.map((value, index) => run({ kind: 'echo', value, delayMs: 50 * index })),
      );
      expect(results).toEqual(values);
    });

    it('keeps serving after failures and aborts', async () => {
      await failureOf(run({ kind: 'fail', error: 'E', cause: 'c' }));
      await failureOf(run({ kind: 'hang' }, AbortSignal.timeout(200)));
      expect(await run({ kind: 'echo', value: 'still here' })).toBe('still here');
    });
  });
}

/** A request for one first attempt of a task, as the engine would send it. */
export function taskRequest(resource: string, input: Json, overrides: Partial<TaskRequest> = {}): TaskRequest {
  const base: TaskRequest = {
    resource,
    pattern: 'request',
    taskId: 1,
    input,
    executionId: 'exec-1',
    stateName: 'S',
    attempt: 1,
  };
  return { ...base, ...overrides };
}

/**
 * Makes the function worker runnable from the TypeScript sources. Node 20 cannot fork a .ts file and tests must not
 * depend on the whole project building, so this transpiles the worker entry (self-contained by design) into `outDir`
 * and returns the path to pass as `workerPath`: tests fork the same code dist/runners/function-worker.js ships.
 */
export async function buildFunctionWorker(outDir: string): Promise<string> {
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  const source = await readFile(new URL('./function-worker.ts', import.meta.url), 'utf8');
  const compilerOptions = { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 };
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: 'function-worker.ts' });
  const workerPath = join(outDir, 'function-worker.mjs');
  await writeFile(workerPath, outputText);
  return workerPath;
}

/** Writes `files` (name -> text) into a new temporary folder and returns its path. */
export async function writeFixtures(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'flywheel-runners-'));
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  return dir;
}
