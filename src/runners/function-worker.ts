/**
 * The function runner's worker process (forked, long-lived): imports task modules and calls their functions, one
 * task at a time, and reports each outcome over IPC. Whatever user code does here, the engine's process is safe.
 * Self-contained on purpose: only node: modules and type imports, so this one file can be transpiled and run alone
 * (tests do that), and the ASL error names below are spelled out rather than imported.
 */
import { pathToFileURL } from 'node:url';
import type { RunTaskMessage, WorkerMessage } from './worker-protocol.js';

const INVALID_INPUT = 'Flywheel.InvalidTaskInput';
const INVALID_OUTPUT = 'Flywheel.InvalidTaskOutput';
const TASK_FAILED = 'States.TaskFailed';

type TaskFunction = (payload: unknown, context: unknown) => unknown;

/** A module that cannot be used: becomes Flywheel.InvalidTaskInput. */
class UnusableModule extends Error {}

process.title = 'flywheel-function-worker';
process.on('message', (message: RunTaskMessage) => {
  void runTask(message).then((reply) => process.send?.(reply));
});
// The runner closed or its process died: a worker never outlives it.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' } satisfies WorkerMessage);

async function runTask(task: RunTaskMessage): Promise<WorkerMessage> {
  const { id } = task;
  let fn: TaskFunction;
  try {
    fn = await loadFunction(task.modulePath, task.exportName);
    process.chdir(task.cwd);
  } catch (error) {
    const cause = error instanceof UnusableModule ? error.message : `cannot run in ${task.cwd}: ${describe(error)}`;
    return { type: 'failed', id, error: INVALID_INPUT, cause: `flywheel:function: ${cause}` };
  }
  let value: unknown;
  try {
    value = await fn(task.payload, task.context);
  } catch (error) {
    if (error instanceof Error && error.name !== '')
      return { type: 'failed', id, error: error.name, cause: error.message };
    return {
      type: 'failed',
      id,
      error: TASK_FAILED,
      cause: `the function threw a non-Error value: ${describe(error)}`,
    };
  }
  try {
    // undefined (no return value) is the JSON null, as a Lambda function returning nothing.
    return { type: 'done', id, json: JSON.stringify(value) ?? 'null' };
  } catch (error) {
    return {
      type: 'failed',
      id,
      error: INVALID_OUTPUT,
      cause: `the function's result is not JSON: ${describe(error)}`,
    };
  }
}

/** The function to call: the named export, or `default` then `handler` when none is named. */
async function loadFunction(modulePath: string, exportName: string | null): Promise<TaskFunction> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UnusableModule(`Module: importing ${modulePath} failed: ${describe(error)}`);
  }
  const names = exportName === null ? ['default', 'handler'] : [exportName];
  for (const name of names) {
    const candidate = exported(namespace, name);
    if (typeof candidate === 'function') return candidate as TaskFunction;
  }
  const available = `its exports: ${exportNames(namespace).join(', ') || 'none'}`;
  if (exportName === null) {
    throw new UnusableModule(
      `Function: ${modulePath} exports no default function and no function named "handler" (${available}); ` +
        'export one, or name the export in "Function"',
    );
  }
  const found = exported(namespace, exportName);
  if (found === undefined) {
    throw new UnusableModule(`Function: ${modulePath} has no export named "${exportName}" (${available})`);
  }
  throw new UnusableModule(`Function: export "${exportName}" of ${modulePath} is ${kind(found)}, not a function`);
}

/** An ES module's named export, or for a CommonJS module also a property of `module.exports`. */
function exported(namespace: Record<string, unknown>, name: string): unknown {
  const direct = namespace[name];
  if (direct !== undefined || name === 'default') return direct;
  const commonJs = namespace.default;
  return typeof commonJs === 'object' && commonJs !== null ? (commonJs as Record<string, unknown>)[name] : undefined;
}

function exportNames(namespace: Record<string, unknown>): string[] {
  const commonJs = namespace.default;
  const names = Object.keys(namespace);
  if (typeof commonJs === 'object' && commonJs !== null) names.push(...Object.keys(commonJs));
  return [...new Set(names)].filter((name) => name !== 'module.exports');
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' || typeof value === 'undefined' ? `an ${typeof value}` : `a ${typeof value}`;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
