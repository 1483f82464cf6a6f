/** Task results, callbacks, heartbeats and timers coming back into the interpreter. */
import { StatesErrors } from '../errors.js';
import type { Command } from './commands.js';
import type { Decider } from './decider.js';
import { guarded, handleFailure } from './failure-handling.js';
import { applyInputPath, applyOutputPath, applyResultPath } from './io.js';
import { template } from './payload.js';

type TaskCommand = Extract<Command, { kind: 'taskSucceeded' | 'taskFailed' | 'taskSubmitted' | 'taskHeartbeat' }>;

/** A task resource reported back. Reports for tasks that are no longer open (timed out, aborted) are ignored. */
export function taskFinished(d: Decider, command: TaskCommand): void {
  const task = d.state.tasks.get(command.taskId);
  const frame = task ? d.frame(task.frame) : undefined;
  const cursor = frame?.cursor;
  if (!task || !frame || !cursor) return;
  const def = frame.scope.States[cursor.state];
  if (def?.Type !== 'Task') return;
  switch (command.kind) {
    case 'taskSubmitted':
      if (!task.submitted) d.emit({ type: 'TaskSubmitted', taskId: task.taskId });
      return;
    case 'taskHeartbeat':
      d.emit({ type: 'TaskHeartbeat', taskId: task.taskId });
      if (task.heartbeatSeconds !== undefined) d.startTaskTimer(frame, task.taskId, 'heartbeat', task.heartbeatSeconds);
      return;
    case 'taskFailed':
      d.emit({ type: 'TaskFailed', taskId: task.taskId, error: command.error, cause: command.cause });
      handleFailure(d, frame, command.error, command.cause);
      return;
    case 'taskSucceeded':
      d.emit({ type: 'TaskSucceeded', taskId: task.taskId, output: command.output });
      guarded(d, frame, () => {
        const result = def.ResultSelector
          ? template(d, cursor, def.ResultSelector, command.output, 'ResultSelector')
          : command.output;
        d.exit(frame, applyOutputPath(def.OutputPath, applyResultPath(def.ResultPath, cursor.rawInput, result)));
      });
      return;
  }
}

/** A timer reached its time. Timers of closed tasks or frames are no longer open and are ignored. */
export function timerFired(d: Decider, timerId: number): void {
  const timer = d.state.timers.get(timerId);
  if (!timer) return;
  d.emit({ type: 'TimerFired', timerId });
  const frame = d.frame(timer.frame);
  switch (timer.purpose) {
    case 'executionTimeout':
      d.emit({
        type: 'ExecutionTimedOut',
        error: StatesErrors.Timeout,
        cause: 'The execution ran longer than its TimeoutSeconds',
      });
      return;
    case 'retry':
      return;
    case 'wait': {
      const cursor = frame?.cursor;
      const def = cursor ? frame.scope.States[cursor.state] : undefined;
      if (frame && cursor && def?.Type === 'Wait') {
        guarded(d, frame, () =>
          d.exit(frame, applyOutputPath(def.OutputPath, applyInputPath(def.InputPath, cursor.rawInput))),
        );
      }
      return;
    }
    case 'taskTimeout':
    case 'heartbeat': {
      const task = timer.taskId === undefined ? undefined : d.state.tasks.get(timer.taskId);
      if (!task) return;
      const error = timer.purpose === 'taskTimeout' ? StatesErrors.Timeout : StatesErrors.HeartbeatTimeout;
      const cause =
        timer.purpose === 'taskTimeout'
          ? `The task ran longer than its TimeoutSeconds (${task.timeoutSeconds ?? '?'} s)`
          : `The task sent no heartbeat for ${task.heartbeatSeconds ?? '?'} s`;
      taskFinished(d, { kind: 'taskFailed', taskId: task.taskId, error, cause });
      return;
    }
  }
}
