import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest, type TaskRunner } from '../engine/runtime/task-runner.js';
import {
  DEFAULT_KILL_GRACE_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  invalidInput,
  optionalString,
  RunnerErrors,
  readFields,
} from './task-input.js';
import { type PoolTask, WorkerPool } from './worker-pool.js';
import type { FunctionContext } from './worker-protocol.js';

export const FUNCTION_RESOURCE = 'flywheel:function';

export interface FunctionRunnerOptions {
  /** The folder a request's cwd and a relative `Module` resolve against. */
  cwd: string;
  /** Worker processes kept warm, each running one task at a time; default 2. */
  poolSize?: number;
  /** A worker is replaced after this many tasks, bounding leaks and how long edits to imported files go unseen; default 1000. */
  maxTasksPerWorker?: number;
  /** The worker entry to fork; default function-worker.js beside this file, i.e. dist/runners/ once built. */
  workerPath?: string;
  /** Largest serialised result accepted; default 256 KiB, AWS's payload limit. */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when a worker is stopped; default 2000 ms. */
  killGraceMs?: number;
}

/**
 * The `flywheel:function` resource: calls `await fn(Payload, context)` exported by a JavaScript module, in a pool of
 * long-lived worker processes, so a task costs an IPC round trip rather than a fork and user code never runs (or
 * crashes) inside the engine's process. Call `close()` when done: live workers keep the process running.
 * @example createFunctionRunner({ cwd: projectDir }).run({ ...request, input: { Module: 'steps/train.mjs', Payload: {} } }, signal)
 */
export function createFunctionRunner(options: FunctionRunnerOptions): TaskRunner {
  const workerPath = options.workerPath ?? fileURLToPath(new URL('./function-worker.js', import.meta.url));
  if (!existsSync(workerPath)) {
    throw new Error(
      `createFunctionRunner: the worker entry ${workerPath} does not exist. Run the runner from the build ` +
        '(npm run build, then dist/runners/), or pass workerPath (tests: buildFunctionWorker in src/runners/contract.ts)',
    );
  }
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const pool = new WorkerPool({
    workerPath,
    size: positiveInteger('poolSize', options.poolSize ?? 2),
    maxTasksPerWorker: positiveInteger('maxTasksPerWorker', options.maxTasksPerWorker ?? 1000),
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
  });
  return {
    async run(request, signal) {
      const reply = await pool.run(await readTask(request, options.cwd), signal);
      if (reply.type === 'failed') throw new TaskFailure(reply.error, reply.cause);
      const bytes = Buffer.byteLength(reply.json);
      if (bytes > maxOutputBytes) {
        const sizes = `${bytes} bytes of JSON, more than the limit of ${maxOutputBytes}`;
        throw new TaskFailure(RunnerErrors.DataLimitExceeded, `the function's result is ${sizes}`);
      }
      return JSON.parse(reply.json) as Json;
    },
    close: () => pool.close(),
  };
}

async function readTask(request: TaskRequest, baseCwd: string): Promise<PoolTask> {
  const input = readFields(FUNCTION_RESOURCE, request.input, ['Module', 'Function', 'Payload']);
  const module = input.Module;
  if (typeof module !== 'string' || !/\.(c|m)?js$/.test(module)) {
    throw invalidInput(FUNCTION_RESOURCE, 'Module', 'the path of a .js, .mjs or .cjs file', module);
  }
  const exportName = optionalString(FUNCTION_RESOURCE, input, 'Function') ?? null;
  const cwd = resolve(baseCwd, request.cwd ?? '.');
  const modulePath = resolve(cwd, module);
  const version = await stat(modulePath).then(
    (found) => (found.isFile() ? found.mtimeMs : undefined),
    () => undefined,
  );
  if (version === undefined) {
    const from = isAbsolute(module) ? '' : ` (resolved from ${cwd})`;
    throw invalidInput(FUNCTION_RESOURCE, 'Module', `an existing file, but ${modulePath}${from} is not one`, module);
  }
  const context: FunctionContext = {
    executionId: request.executionId,
    stateName: request.stateName,
    attempt: request.attempt,
    ...(request.taskToken === undefined ? {} : { taskToken: request.taskToken }),
  };
  const message = { modulePath, exportName, payload: input.Payload ?? null, context, cwd };
  return { message, moduleVersion: version, label: exportName === null ? module : `${module}#${exportName}` };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`createFunctionRunner: ${name} must be a positive integer (got ${value})`);
  }
  return value;
}
