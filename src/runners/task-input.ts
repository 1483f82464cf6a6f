import { isJsonObject, type Json, type JsonObject, StatesErrors } from '../engine/asl/index.js';
import { TaskFailure } from '../engine/runtime/task-runner.js';

/** The ASL error names the runners raise themselves (a task's own error names pass through as it chose them). */
export const RunnerErrors = {
  /** The task's input (the state's Parameters) does not fit the resource, or names a program that cannot run. */
  InvalidTaskInput: 'Flywheel.InvalidTaskInput',
  /** The task ran but its result is not JSON. */
  InvalidTaskOutput: 'Flywheel.InvalidTaskOutput',
  TaskFailed: StatesErrors.TaskFailed,
  DataLimitExceeded: StatesErrors.DataLimitExceeded,
} as const;

/** AWS Step Functions' payload limit: a task result larger than 256 KiB of UTF-8 fails the task. */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;

/** How long a stopped process gets between SIGTERM and SIGKILL. */
export const DEFAULT_KILL_GRACE_MS = 2000;

/** A TaskFailure saying which input field is wrong and what was expected. */
export function invalidInput(resource: string, field: string, expected: string, got: unknown): TaskFailure {
  return new TaskFailure(
    RunnerErrors.InvalidTaskInput,
    `${resource}: ${field} must be ${expected} (got ${shown(got)})`,
  );
}

/** Checks that the task input is an object holding only the fields the resource knows. */
export function readFields(resource: string, input: Json, known: readonly string[]): JsonObject {
  if (!isJsonObject(input)) {
    throw invalidInput(resource, 'the task input', `an object with the fields ${known.join(', ')}`, input);
  }
  const unknown = Object.keys(input).filter((field) => !known.includes(field));
  if (unknown.length > 0) {
    throw new TaskFailure(
      RunnerErrors.InvalidTaskInput,
      `${resource}: unknown field ${unknown.map((f) => `"${f}"`).join(', ')} in the task input (known fields: ${known.join(', ')})`,
    );
  }
  return input;
}

/** Reads an optional string field; `undefined` when absent. */
export function optionalString(resource: string, input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw invalidInput(resource, field, 'a non-empty string', value);
  return value;
}

/** The failure an aborted task rejects with; the engine decides what the abort means (timeout, stop, shutdown). */
export function abortFailure(signal: AbortSignal): TaskFailure {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : shown(reason);
  return new TaskFailure(RunnerErrors.TaskFailed, `aborted: ${text}`);
}

/** A short JSON rendering of a value for messages. */
export function shown(value: unknown, max = 80): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
