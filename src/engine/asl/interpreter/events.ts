import type { Json } from '../json.js';

/** How a Task state talks to its resource: the ASL service integration patterns. */
export type IntegrationPattern = 'request' | 'sync' | 'sync2' | 'waitForTaskToken';

/** Why a timer runs. Every timer is an event so a restarted engine fires it at its original time. */
export type TimerPurpose = 'wait' | 'retry' | 'taskTimeout' | 'heartbeat' | 'executionTimeout';

/**
 * The execution history: every transition, attempt, timer and result, written before it takes effect. The fold
 * (`evolve`) turns a history into the execution's state; nothing else decides control flow.
 * Frames are the running scopes: frame 0 is the state machine itself, Parallel branches and Map iterations get their own.
 */
export type ExecutionEvent =
  | { type: 'ExecutionStarted'; input: Json }
  | { type: 'StateEntered'; frame: number; state: string; input: Json }
  | { type: 'StateExited'; frame: number; state: string; output: Json }
  | {
      type: 'TaskScheduled';
      frame: number;
      state: string;
      taskId: number;
      resource: string;
      pattern: IntegrationPattern;
      input: Json;
      attempt: number;
      token?: string;
      timeoutSeconds?: number;
      heartbeatSeconds?: number;
    }
  /** A `.waitForTaskToken` task's resource accepted the work; the task now waits for its callback. */
  | { type: 'TaskSubmitted'; taskId: number }
  | { type: 'TaskSucceeded'; taskId: number; output: Json }
  | { type: 'TaskFailed'; taskId: number; error: string; cause: string }
  | { type: 'TaskHeartbeat'; taskId: number }
  | {
      type: 'TimerStarted';
      timerId: number;
      frame: number;
      fireAt: number;
      purpose: TimerPurpose;
      taskId?: number;
      /** For retry timers: which retrier's count this retry uses. */
      retrier?: number;
    }
  | { type: 'TimerFired'; timerId: number }
  /** A Parallel branch or Map iteration begins in a new frame. */
  | { type: 'FrameStarted'; frame: number; parent: number; index: number; input: Json }
  | { type: 'FrameSucceeded'; frame: number; output: Json }
  | { type: 'FrameFailed'; frame: number; error: string; cause: string }
  /** A running frame is cancelled: a sibling failed, or the execution stopped. Its open tasks and timers close. */
  | { type: 'FrameAborted'; frame: number }
  | {
      type: 'MapStarted';
      frame: number;
      state: string;
      items: number;
      maxConcurrency: number;
      /** How many failed items the Map tolerates; null when it sets no tolerance (any failure fails it). */
      toleratedFailures: number | null;
    }
  | { type: 'ParallelStarted'; frame: number; state: string; branches: number }
  | { type: 'StateFailed'; frame: number; state: string; error: string; cause: string }
  | { type: 'ExecutionSucceeded'; output: Json }
  | { type: 'ExecutionFailed'; error: string; cause: string }
  | { type: 'ExecutionAborted'; error: string; cause: string }
  | { type: 'ExecutionTimedOut'; error: string; cause: string };

export type ExecutionEventType = ExecutionEvent['type'];

/** An event as the fold sees it: the body plus when it happened. */
export type TimedEvent = ExecutionEvent & { timestamp: number };
