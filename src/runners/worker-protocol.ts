import type { Json } from '../engine/asl/index.js';

/**
 * The messages between the function runner and its worker processes (over the fork IPC channel, JSON-serialised).
 * Types only: the worker entry must stay free of runtime imports so it can run on its own.
 */

/** The second argument a task function receives. */
export interface FunctionContext {
  executionId: string;
  stateName: string;
  attempt: number;
  taskToken?: string;
}

/** Runner -> worker: run one task. */
export interface RunTaskMessage {
  type: 'run';
  id: number;
  /** Absolute path of the module file. */
  modulePath: string;
  /** The export to call; null means `default`, falling back to `handler`. */
  exportName: string | null;
  payload: Json;
  context: FunctionContext;
  /** The folder the worker switches to before calling the function. */
  cwd: string;
}

/** Worker -> runner. `done.json` is the result already serialised, so the runner can measure it before parsing. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; id: number; json: string }
  | { type: 'failed'; id: number; error: string; cause: string };
