import { selectNext } from '../choice.js';
import type { State, TaskState, WaitState } from '../definition.js';
import { StatesError, StatesErrors } from '../errors.js';
import { evaluateIntrinsic, isIntrinsic } from '../intrinsics.js';
import type { Json } from '../json.js';
import { evaluatePath } from '../json-path.js';
import { continueChildren, finishChildren, mapItems, startChild, toleratedFailures } from './children.js';
import { contextObject } from './context-object.js';
import type { Decider } from './decider.js';
import type { Children, Cursor, Frame } from './execution-state.js';
import { guarded } from './failure-handling.js';
import { applyInputPath, applyOutputPath, applyResultPath } from './io.js';
import { positiveInteger, template } from './payload.js';
import { parseResource } from './resource.js';

type Acts = {
  [K in State['Type']]: (d: Decider, frame: Frame, cursor: Cursor, def: Extract<State, { Type: K }>) => void;
};

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
    if (timeoutSeconds !== undefined) d.startTaskTimer(frame, taskId, 'taskTimeout', timeoutSeconds);
    if (heartbeatSeconds !== undefined) d.startTaskTimer(frame, taskId, 'heartbeat', heartbeatSeconds);
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
