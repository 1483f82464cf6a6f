import type { IntrinsicEnv } from '../intrinsics.js';
import type { Json } from '../json.js';
import type { ExecutionIdentity } from './context-object.js';

/** What happened that the interpreter must react to. */
export type Command =
  | { kind: 'start'; input: Json }
  | { kind: 'continue' }
  | { kind: 'taskSucceeded'; taskId: number; output: Json }
  | { kind: 'taskFailed'; taskId: number; error: string; cause: string }
  | { kind: 'taskSubmitted'; taskId: number }
  | { kind: 'taskHeartbeat'; taskId: number }
  | { kind: 'timerFired'; timerId: number }
  | { kind: 'stop'; error: string; cause: string };

/** Everything the pure interpreter needs from outside: time, randomness, hashing, token minting, identity. */
export interface DecideEnv extends IntrinsicEnv {
  now: number;
  identity: ExecutionIdentity;
  newTaskToken(taskId: number): string;
  /** Most state transitions one call may make before it returns with `more: true` (default 500). */
  maxTransitions?: number;
}
