import { AlreadyExists, type ExecutionRecord } from '../../store/index.js';
import type { Json, JsonObject } from '../asl/index.js';
import type { Engine } from './engine.js';
import { TaskFailure, type TaskRequest, type TaskRunner } from './task-runner.js';

function describe(record: ExecutionRecord, parse: boolean): JsonObject {
  const json = (text: string | null): Json => (text === null ? null : parse ? (JSON.parse(text) as Json) : text);
  return {
    ExecutionArn: record.id,
    Name: record.name,
    StateMachineArn: record.stateMachineName,
    Status: record.status,
    StartDate: record.startedAt,
    StopDate: record.stoppedAt,
    Input: json(record.input),
    Output: json(record.output),
    ...(record.error !== null && { Error: record.error }),
    ...(record.cause !== null && { Cause: record.cause }),
  };
}

function field(input: Json, name: string): Json | undefined {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? input[name] : undefined;
}

/**
 * `flywheel:startExecution` (also `arn:aws:states:::states:startExecution`): starts another state machine's
 * execution. Plain: returns {ExecutionArn, StartDate}. `.sync`: waits and returns the described execution with Output
 * as JSON text; `.sync:2`: with Output parsed. A failed child fails the task with States.TaskFailed and the child's
 * description as the Cause. Resumable: the child's name derives from the parent task, so after a restart the same
 * attempt re-attaches to the child it already started.
 */
export function createNestedExecutionRunner(engine: Engine): TaskRunner {
  async function startOrAttach(request: TaskRequest): Promise<ExecutionRecord> {
    const machine = field(request.input, 'StateMachineName') ?? field(request.input, 'StateMachineArn');
    if (typeof machine !== 'string') {
      throw new TaskFailure('Flywheel.InvalidTaskInput', 'startExecution needs "StateMachineName" (a string)');
    }
    const given = field(request.input, 'Name');
    const name = typeof given === 'string' ? given : `${request.executionId}-task-${request.taskId}`;
    const rawInput = field(request.input, 'Input') ?? {};
    const input = typeof rawInput === 'string' ? (JSON.parse(rawInput) as Json) : rawInput;
    try {
      return await engine.startExecution({ stateMachineName: machine, input, name, parentId: request.executionId });
    } catch (error) {
      if (!(error instanceof AlreadyExists)) throw new TaskFailure('States.TaskFailed', (error as Error).message);
      const existing = await engine.store.findExecutionByName(machine, name);
      if (!existing || existing.parentId !== request.executionId) {
        throw new TaskFailure(
          'StepFunctions.ExecutionAlreadyExistsException',
          `an execution named "${name}" already exists`,
        );
      }
      return existing;
    }
  }

  return {
    resumable: true,
    async run(request, signal) {
      const child = await startOrAttach(request);
      if (request.pattern === 'request' || request.pattern === 'waitForTaskToken') {
        return { ExecutionArn: child.id, StartDate: child.startedAt };
      }
      const onAbort = (): void =>
        void engine.stopExecution(child.id, 'States.Aborted', 'the parent task was stopped').catch(() => {});
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const done = await engine.waitForExecution(child.id);
        if (done.status !== 'SUCCEEDED') {
          throw new TaskFailure('States.TaskFailed', JSON.stringify(describe(done, false)));
        }
        return describe(done, request.pattern === 'sync2');
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
