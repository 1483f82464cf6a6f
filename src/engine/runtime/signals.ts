import type { Command, Json } from '../asl/index.js';
import type { ExecutionActor } from './execution-actor.js';
import { parseTaskToken } from './task-token.js';

/** What any process may ask of an execution's owner: a task callback or a stop. Queued in the store when remote. */
export type Signal =
  | { kind: 'taskSuccess'; token: string; output: Json }
  | { kind: 'taskFailure'; token: string; error: string; cause: string }
  | { kind: 'taskHeartbeat'; token: string }
  | { kind: 'stop'; error: string; cause: string };

/** The interpreter command a signal becomes; a callback whose token names no open task becomes a no-op. */
export function toCommand(signal: Signal, actor: ExecutionActor): Command {
  switch (signal.kind) {
    case 'stop':
      return { kind: 'stop', error: signal.error, cause: signal.cause };
    case 'taskSuccess':
    case 'taskFailure':
    case 'taskHeartbeat': {
      const parsed = parseTaskToken(signal.token);
      const task = parsed ? actor.openTask(parsed.taskId) : undefined;
      if (!parsed || !task || task.token !== signal.token) return { kind: 'continue' };
      if (signal.kind === 'taskSuccess') return { kind: 'taskSucceeded', taskId: parsed.taskId, output: signal.output };
      if (signal.kind === 'taskFailure')
        return { kind: 'taskFailed', taskId: parsed.taskId, error: signal.error, cause: signal.cause };
      return { kind: 'taskHeartbeat', taskId: parsed.taskId };
    }
  }
}
