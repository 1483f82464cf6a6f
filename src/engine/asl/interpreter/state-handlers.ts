import { selectNext } from '../choice.js';
import type { MapState, ParallelState, State, TaskState, WaitState } from '../definition.js';
import { StatesError, StatesErrors } from '../errors.js';
import { evaluateIntrinsic, isIntrinsic } from '../intrinsics.js';
import type { Json, JsonObject } from '../json.js';
import { evaluatePath } from '../json-path.js';
import { applyPayloadTemplate } from '../payload-template.js';
import type { Command } from './commands.js';
import { contextObject } from './context-object.js';
import type { Decider } from './decider.js';
import type { Children, Cursor, Frame } from './execution-state.js';
import { applyInputPath, applyOutputPath, applyResultPath } from './io.js';
import { parseResource } from './resource.js';
import { decideFailure, isTerminalError } from './retry.js';

type Acts = {
  [K in State['Type']]: (d: Decider, frame: Frame, cursor: Cursor, def: Extract<State, { Type: K }>) => void;
};

function template(d: Decider, cursor: Cursor, tpl: JsonObject, input: Json, field: string, extra = {}): JsonObject {
  const context = contextObject(d.env.identity, d.state, cursor, extra);
  return applyPayloadTemplate(tpl, input, context, d.env, field);
}

function positiveInteger(value: Json, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StatesError(
      StatesErrors.Runtime,
      `The value of ${field} must be a non-negative integer (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

function waitUntil(d: Decider, def: WaitState, input: Json): number {
  if (def.Seconds !== undefined) return d.env.now + def.Seconds * 1000;
  if (def.SecondsPath !== undefined)
    return d.env.now + positiveInteger(evaluatePath(def.SecondsPath, input, 'SecondsPath'), 'SecondsPath') * 1000;
  const stamp =
    def.Timestamp ?? (def.TimestampPath !== undefined ? evaluatePath(def.TimestampPath, input, 'TimestampPath') : null);
  const at = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  if (Number.isNaN(at))
    throw new StatesError(
      StatesErrors.Runtime,
      `The TimestampPath value is not a valid timestamp: ${JSON.stringify(stamp)}`,
    );
  return at;
}

function secondsField(def: TaskState, input: Json, field: 'TimeoutSeconds' | 'HeartbeatSeconds'): number | undefined {
  const direct = def[field];
  if (direct !== undefined) return direct;
  const path = def[`${field}Path`];
  if (path === undefined) return undefined;
  const value = positiveInteger(evaluatePath(path, input, `${field}Path`), `${field}Path`);
  if (value === 0) throw new StatesError(StatesErrors.Runtime, `The value of ${field}Path must be positive (got 0)`);
  return value;
}

const acts: Acts = {
  Pass(d, frame, cursor, def) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    let result: Json = def.Parameters ? template(d, cursor, def.Parameters, input, 'Parameters') : input;
    if (def.Result !== undefined) result = def.Result;
    d.exit(frame, applyOutputPath(def.OutputPath, applyResultPath(def.ResultPath, cursor.rawInput, result)));
  },
  Succeed(d, frame, cursor, def) {
    d.exit(frame, applyOutputPath(def.OutputPath, applyInputPath(def.InputPath, cursor.rawInput)));
  },
  Fail(d, frame, cursor, def) {
    const text = (value: string | undefined, path: string | undefined, field: string): string | undefined => {
      if (value !== undefined) return value;
      if (path === undefined) return undefined;
      // AWS accepts an intrinsic function (e.g. States.Format) where ErrorPath/CausePath take a path.
      const found = isIntrinsic(path)
        ? evaluateIntrinsic(path, cursor.rawInput, contextObject(d.env.identity, d.state, cursor), d.env)
        : evaluatePath(path, cursor.rawInput, field);
      if (typeof found !== 'string')
        throw new StatesError(StatesErrors.Runtime, `The ${field} must select a string (got ${JSON.stringify(found)})`);
      return found;
    };
    const error = text(def.Error, def.ErrorPath, 'ErrorPath') ?? '';
    const cause = text(def.Cause, def.CausePath, 'CausePath') ?? '';
    d.failFrame(frame, error, cause);
  },
  Choice(d, frame, cursor, def) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    const next = selectNext(def, input, contextObject(d.env.identity, d.state, cursor));
    d.exit(frame, applyOutputPath(def.OutputPath, input), next);
  },
  Wait(d, frame, cursor, def) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    d.emit({
      type: 'TimerStarted',
      timerId: d.newId(),
      frame: frame.id,
      fireAt: waitUntil(d, def, input),
      purpose: 'wait',
    });
  },
  Task(d, frame, cursor, def) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    const { resource, pattern } = parseResource(def.Resource);
    const taskId = d.newId();
    const token = pattern === 'waitForTaskToken' ? d.env.newTaskToken(taskId) : undefined;
    const parameters = def.Parameters
      ? template(d, cursor, def.Parameters, input, 'Parameters', token === undefined ? {} : { taskToken: token })
      : input;
    const timeoutSeconds = secondsField(def, cursor.rawInput, 'TimeoutSeconds');
    const heartbeatSeconds = secondsField(def, cursor.rawInput, 'HeartbeatSeconds');
    const attempt = 1 + cursor.retryCounts.reduce((a, b) => a + (b ?? 0), 0);
    d.emit({
      type: 'TaskScheduled',
      frame: frame.id,
      state: cursor.state,
      taskId,
      resource,
      pattern,
      input: parameters,
      attempt,
      ...(token !== undefined && { token }),
      ...(timeoutSeconds !== undefined && { timeoutSeconds }),
      ...(heartbeatSeconds !== undefined && { heartbeatSeconds }),
    });
    if (timeoutSeconds !== undefined) {
      d.emit({
        type: 'TimerStarted',
        timerId: d.newId(),
        frame: frame.id,
        fireAt: d.env.now + timeoutSeconds * 1000,
        purpose: 'taskTimeout',
        taskId,
      });
    }
    if (heartbeatSeconds !== undefined) {
      d.emit({
        type: 'TimerStarted',
        timerId: d.newId(),
        frame: frame.id,
        fireAt: d.env.now + heartbeatSeconds * 1000,
        purpose: 'heartbeat',
        taskId,
      });
    }
  },
  Parallel(d, frame, cursor, def) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    const branchInput = def.Parameters ? template(d, cursor, def.Parameters, input, 'Parameters') : input;
    d.emit({ type: 'ParallelStarted', frame: frame.id, state: cursor.state, branches: def.Branches.length });
    def.Branches.forEach((branch, index) => {
      startChild(d, frame, index, branch.StartAt, branchInput);
    });
    if (def.Branches.length === 0) finishChildren(d, frame, cursor, def, []);
  },
  Map(d, frame, cursor, def) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    const items = mapItems(def, input);
    const maxConcurrency =
      def.MaxConcurrency ??
      (def.MaxConcurrencyPath !== undefined
        ? positiveInteger(evaluatePath(def.MaxConcurrencyPath, input, 'MaxConcurrencyPath'), 'MaxConcurrencyPath')
        : 0);
    const tolerated = toleratedFailures(def, input, items.length);
    d.emit({
      type: 'MapStarted',
      frame: frame.id,
      state: cursor.state,
      items: items.length,
      maxConcurrency,
      toleratedFailures: tolerated,
    });
    const phase = frame.cursor?.phase;
    if (phase?.kind === 'children') continueChildren(d, frame, phase.children);
  },
};

/** The Map's failure tolerance: the smaller of its count and percentage limits (AWS fails when either is exceeded). */
function toleratedFailures(def: MapState, input: Json, items: number): number | null {
  const read = (value: number | undefined, path: string | undefined, field: string): number | undefined => {
    if (value !== undefined) return value;
    if (path === undefined) return undefined;
    const found = evaluatePath(path, input, field);
    if (typeof found !== 'number' || found < 0) {
      throw new StatesError(
        StatesErrors.Runtime,
        `The value of ${field} must be a non-negative number (got ${JSON.stringify(found)})`,
      );
    }
    return found;
  };
  const limits: number[] = [];
  const count = read(def.ToleratedFailureCount, def.ToleratedFailureCountPath, 'ToleratedFailureCountPath');
  if (count !== undefined) limits.push(Math.floor(count));
  const percentage = read(
    def.ToleratedFailurePercentage,
    def.ToleratedFailurePercentagePath,
    'ToleratedFailurePercentagePath',
  );
  if (percentage !== undefined) limits.push(Math.floor((items * percentage) / 100));
  return limits.length > 0 ? Math.min(...limits) : null;
}

function mapItems(def: MapState, input: Json): Json[] {
  const items = evaluatePath(def.ItemsPath ?? '$', input, 'ItemsPath');
  if (!Array.isArray(items)) {
    throw new StatesError(
      StatesErrors.Runtime,
      `Map state input must be an array, but ItemsPath '${def.ItemsPath ?? '$'}' selected ${JSON.stringify(items)}`,
    );
  }
  return items;
}

function startChild(d: Decider, parent: Frame, index: number, startAt: string, input: Json): void {
  const id = d.newId();
  d.emit({ type: 'FrameStarted', frame: id, parent: parent.id, index, input });
  const child = d.frame(id);
  if (child) d.enter(child, startAt, input);
}

/** Starts Map items while concurrency allows; finishes the state once every child is done. */
function continueChildren(d: Decider, frame: Frame, children: Children): void {
  const cursor = frame.cursor;
  const def = cursor ? frame.scope.States[cursor.state] : undefined;
  if (!cursor || !def) return;
  if (def.Type === 'Map' && children.nextIndex < children.total) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    const items = mapItems(def, input);
    const processor = def.ItemProcessor ?? def.Iterator;
    const selector = def.ItemSelector ?? def.Parameters;
    while (
      children.nextIndex < children.total &&
      (children.maxConcurrency === 0 || children.running.size < children.maxConcurrency)
    ) {
      const index = children.nextIndex;
      const value = items[index] ?? null;
      const itemInput = selector
        ? template(d, cursor, selector, input, 'ItemSelector', { mapItem: { index, value } })
        : value;
      startChild(d, frame, index, processor?.StartAt ?? '', itemInput);
    }
  }
  if (children.done === children.total && children.running.size === 0) {
    finishChildren(d, frame, cursor, def as MapState | ParallelState, children.results);
  }
}

function finishChildren(
  d: Decider,
  frame: Frame,
  cursor: Cursor,
  def: MapState | ParallelState,
  results: Json[],
): void {
  guarded(d, frame, () => {
    const result = def.ResultSelector ? template(d, cursor, def.ResultSelector, results, 'ResultSelector') : results;
    d.exit(frame, applyOutputPath(def.OutputPath, applyResultPath(def.ResultPath, cursor.rawInput, result)));
  });
}

/** Runs a step of a state; a StatesError it throws becomes that state's failure. */
function guarded(d: Decider, frame: Frame, step: () => void): void {
  try {
    step();
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    handleFailure(d, frame, error.error, error.causeText);
  }
}

/** A state failed: retry it, follow a catcher, or fail its frame (States.Runtime fails the whole execution). */
export function handleFailure(d: Decider, frame: Frame, error: string, cause: string): void {
  const cursor = frame.cursor;
  if (!cursor) return;
  const def = frame.scope.States[cursor.state];
  d.emit({ type: 'StateFailed', frame: frame.id, state: cursor.state, error, cause });
  if (isTerminalError(error)) {
    d.failExecution(error, cause);
    return;
  }
  const handles = def && (def.Type === 'Task' || def.Type === 'Parallel' || def.Type === 'Map') ? def : undefined;
  const decision = decideFailure(handles?.Retry, handles?.Catch, cursor.retryCounts, error, d.env.random);
  switch (decision.kind) {
    case 'retry':
      d.emit({
        type: 'TimerStarted',
        timerId: d.newId(),
        frame: frame.id,
        fireAt: d.env.now + decision.delayMs,
        purpose: 'retry',
        retrier: decision.retrier,
      });
      return;
    case 'catch':
      guarded(d, frame, () => {
        const output = applyResultPath(decision.catcher.ResultPath, cursor.rawInput, { Error: error, Cause: cause });
        d.exit(frame, output, decision.catcher.Next);
      });
      return;
    case 'fail':
      d.failFrame(frame, error, cause);
      return;
  }
}

export const runState = {
  act(d: Decider, frame: Frame): void {
    const cursor = frame.cursor;
    const def = cursor ? frame.scope.States[cursor.state] : undefined;
    if (!cursor || !def) return;
    const act = acts[def.Type] as (d: Decider, f: Frame, c: Cursor, s: State) => void;
    guarded(d, frame, () => act(d, frame, cursor, def));
  },
  continueChildren(d: Decider, frame: Frame, children: Children): void {
    guarded(d, frame, () => continueChildren(d, frame, children));
  },
};

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
      if (task.heartbeatSeconds !== undefined) {
        d.emit({
          type: 'TimerStarted',
          timerId: d.newId(),
          frame: frame.id,
          fireAt: d.env.now + task.heartbeatSeconds * 1000,
          purpose: 'heartbeat',
          taskId: task.taskId,
        });
      }
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
