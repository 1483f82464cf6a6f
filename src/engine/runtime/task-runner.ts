import type { Json } from '../asl/index.js';

/**
 * The task contract between the engine and a task resource. The engine calls `run` once per attempt; the runner
 * resolves with the task's JSON result or rejects with a TaskFailure whose `error` becomes the ASL error name that
 * Retry and Catch match. A runner never runs user code inside the engine's process.
 */
export interface TaskRequest {
  /** The resource as written in the definition, without an integration-pattern suffix. */
  resource: string;
  /** The integration pattern the definition asked for (`.sync`, `.sync:2`, `.waitForTaskToken` or none). */
  pattern: 'request' | 'sync' | 'sync2' | 'waitForTaskToken';
  /** Unique within the execution; the same on a resumed attempt. */
  taskId: number;
  /** The task's input: the state's effective Parameters. */
  input: Json;
  executionId: string;
  stateName: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Set for `.waitForTaskToken` tasks: the token a callback must present. */
  taskToken?: string;
  /** Working directory user code should run in (the definition's project folder). */
  cwd?: string;
}

export interface TaskRunner {
  /** Runs one attempt. `signal` aborts it (timeout, stop, shutdown): the runner must then end its work promptly. */
  run(request: TaskRequest, signal: AbortSignal): Promise<Json>;
  /**
   * True when running the same request again after an engine restart re-attaches to the work already started
   * (e.g. a nested execution found by its name) instead of starting it twice. Other runners' attempts that were
   * running during a crash fail with States.TaskFailed and go through the state's Retry policy.
   */
  readonly resumable?: boolean;
  /** Frees processes and handles. */
  close?(): Promise<void>;
}

/** A task failed: `error` is the ASL error name (e.g. 'States.TaskFailed' or a name the task chose). */
export class TaskFailure extends Error {
  readonly error: string;
  readonly causeText: string;
  constructor(error: string, cause: string) {
    super(`${error}: ${cause}`);
    this.name = 'TaskFailure';
    this.error = error;
    this.causeText = cause;
  }
}
