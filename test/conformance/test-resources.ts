import type { Json, JsonObject } from '../../src/engine/asl/index.js';
import {
  type Engine,
  type FakeClock,
  InvalidTaskToken,
  TaskFailure,
  type TaskRequest,
  type TaskRunner,
} from '../../src/engine/runtime/index.js';
import type { TaskCall } from './case-files.js';

/**
 * The outside world a conformance case talks to: in-process task resources whose behaviour the Task's input chooses,
 * timed only by the fake clock. The engine under test is real; these stand for Lambda functions and callers.
 */
export interface TestResources {
  runners: Record<string, TaskRunner>;
  /** Every call, in the order the engine made them. */
  calls: TaskCall[];
  /** Resolves once no callback or stop request the resources started is still on its way into the engine. */
  idle(): Promise<void>;
  /** Runs `send` (a call into the engine) and keeps it in `idle` until it settles; a closed task's refusal is ignored. */
  track(send: () => Promise<unknown>): void;
}

function field(input: Json, name: string): Json | undefined {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? input[name] : undefined;
}

function text(input: Json, name: string, fallback: string): string {
  const value = field(input, name);
  return typeof value === 'string' ? value : fallback;
}

function seconds(input: Json, name: string, resource: string): number {
  const value = field(input, name);
  if (typeof value !== 'number' || value < 0) {
    throw new Error(
      `${resource}: input.${name} must be a non-negative number of seconds (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/**
 * Builds the test resources for one execution run:
 * - `test:echo` returns its input;
 * - `test:fail` fails with input {Error, Cause};
 * - `test:flaky` fails its first `failures` calls for the same state of the same execution (with `Errors[k-1]`, else
 *   `Error`), then returns `Result`, else `{ attempts: k }`;
 * - `test:sleep` returns `Result` (else its input) after `seconds` of fake time, and gives up when aborted;
 * - `test:callback` (for `.waitForTaskToken`) returns at once, then after `afterSeconds` of fake time answers the
 *   engine with the task token: `respond` is success, failure, heartbeat-then-success (`heartbeats` heartbeats
 *   `afterSeconds` apart, then success) or none.
 */
export function createTestResources(clock: FakeClock, engine: Engine, startedAt: () => number): TestResources {
  const calls: TaskCall[] = [];
  const pending = new Set<Promise<unknown>>();
  const attempts = new Map<string, number>();

  const track = (send: () => Promise<unknown>): void => {
    const promise = send().catch((error: unknown) => {
      if (!(error instanceof InvalidTaskToken)) throw error;
    });
    pending.add(promise);
    // An unexpected failure reaches the test through idle(); this handler only forgets the promise.
    const forget = (): boolean => pending.delete(promise);
    promise.then(forget, forget);
  };

  const record = (request: TaskRequest): void => {
    calls.push({ state: request.stateName, at: clock.now() - startedAt() });
  };

  const after = (delaySeconds: number, act: () => void): void => {
    clock.setTimer(clock.now() + delaySeconds * 1000, act);
  };

  const runners: Record<string, TaskRunner> = {
    'test:echo': {
      async run(request) {
        record(request);
        return request.input;
      },
    },
    'test:fail': {
      async run(request) {
        record(request);
        throw new TaskFailure(text(request.input, 'Error', 'States.TaskFailed'), text(request.input, 'Cause', ''));
      },
    },
    'test:flaky': {
      async run(request) {
        record(request);
        const key = `${request.executionId}/${request.stateName}`;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const failures = field(request.input, 'failures');
        if (typeof failures !== 'number') throw new Error(`test:flaky: input.failures must be a number`);
        if (attempt <= failures) {
          const errors = field(request.input, 'Errors');
          const named = Array.isArray(errors) ? errors[attempt - 1] : undefined;
          const error = typeof named === 'string' ? named : text(request.input, 'Error', 'Flaky.Failure');
          throw new TaskFailure(error, text(request.input, 'Cause', `attempt ${attempt} failed`));
        }
        return field(request.input, 'Result') ?? { attempts: attempt };
      },
    },
    'test:sleep': {
      async run(request, signal) {
        record(request);
        const delay = seconds(request.input, 'seconds', 'test:sleep');
        return new Promise<Json>((resolve, reject) => {
          const timer = clock.setTimer(clock.now() + delay * 1000, () => {
            signal.removeEventListener('abort', onAbort);
            resolve(field(request.input, 'Result') ?? request.input);
          });
          const onAbort = (): void => {
            clock.clearTimer(timer);
            reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          };
          signal.addEventListener('abort', onAbort, { once: true });
        });
      },
    },
    'test:callback': {
      async run(request) {
        record(request);
        const token = request.taskToken;
        if (token === undefined) throw new Error('test:callback must be called as a .waitForTaskToken resource');
        const input = request.input;
        const respond = text(input, 'respond', 'success');
        const wait = seconds(input, 'afterSeconds', 'test:callback');
        const output = (field(input, 'output') ?? {}) as JsonObject;
        switch (respond) {
          case 'success':
            after(wait, () => track(() => engine.sendTaskSuccess(token, output)));
            break;
          case 'failure':
            after(wait, () =>
              track(() =>
                engine.sendTaskFailure(token, text(input, 'error', 'States.TaskFailed'), text(input, 'cause', '')),
              ),
            );
            break;
          case 'heartbeat-then-success': {
            const count = field(input, 'heartbeats');
            const heartbeats = typeof count === 'number' ? count : 1;
            for (let i = 1; i <= heartbeats; i++) after(wait * i, () => track(() => engine.sendTaskHeartbeat(token)));
            after(wait * (heartbeats + 1), () => track(() => engine.sendTaskSuccess(token, output)));
            break;
          }
          case 'none':
            break;
          default:
            throw new Error(
              `test:callback: respond must be success, failure, heartbeat-then-success or none (got "${respond}")`,
            );
        }
        return {};
      },
    },
  };

  return {
    runners,
    calls,
    track,
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
