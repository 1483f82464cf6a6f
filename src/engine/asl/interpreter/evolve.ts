import type { ExecutionEvent, TimedEvent } from './events.js';
import { type Children, childScope, type ExecutionState, type Frame } from './execution-state.js';

type Handlers = { [K in ExecutionEvent['type']]: (s: ExecutionState, e: Extract<TimedEvent, { type: K }>) => void };

function frameOf(s: ExecutionState, id: number): Frame {
  const frame = s.frames.get(id);
  if (!frame) throw new Error(`history is inconsistent: frame ${id} is not running`);
  return frame;
}

function childrenOf(s: ExecutionState, frame: Frame): Children | undefined {
  if (frame.parent === null) return undefined;
  const parent = s.frames.get(frame.parent);
  const phase = parent?.cursor?.phase;
  return phase?.kind === 'children' ? phase.children : undefined;
}

function bumpId(s: ExecutionState, id: number): void {
  if (id >= s.nextId) s.nextId = id + 1;
}

/** Closes a frame: its open tasks and timers go with it, and it leaves its parent's running set. */
function closeFrame(s: ExecutionState, frame: Frame): Children | undefined {
  for (const [id, task] of s.tasks) if (task.frame === frame.id) s.tasks.delete(id);
  for (const [id, timer] of s.timers) if (timer.frame === frame.id) s.timers.delete(id);
  s.ready.delete(frame.id);
  const children = childrenOf(s, frame);
  children?.running.delete(frame.id);
  if (frame.parent !== null) s.frames.delete(frame.id);
  return children;
}

function endExecution(s: ExecutionState): void {
  s.tasks.clear();
  s.timers.clear();
  s.ready.clear();
}

const handlers: Handlers = {
  ExecutionStarted(s, e) {
    s.input = e.input;
    s.startedAt = e.timestamp;
    s.frames.set(0, { id: 0, parent: null, index: 0, scope: s.definition, cursor: null });
  },
  StateEntered(s, e) {
    const frame = frameOf(s, e.frame);
    frame.cursor = {
      state: e.state,
      rawInput: e.input,
      enteredAt: e.timestamp,
      retryCounts: [],
      phase: { kind: 'ready' },
    };
    s.ready.add(e.frame);
  },
  StateExited(s, e) {
    frameOf(s, e.frame).cursor = null;
    s.ready.delete(e.frame);
  },
  TaskScheduled(s, e) {
    bumpId(s, e.taskId);
    const cursor = frameOf(s, e.frame).cursor;
    if (cursor) cursor.phase = { kind: 'task', taskId: e.taskId };
    s.ready.delete(e.frame);
    s.tasks.set(e.taskId, {
      taskId: e.taskId,
      frame: e.frame,
      state: e.state,
      resource: e.resource,
      pattern: e.pattern,
      input: e.input,
      attempt: e.attempt,
      submitted: false,
      ...(e.token !== undefined && { token: e.token }),
      ...(e.heartbeatSeconds !== undefined && { heartbeatSeconds: e.heartbeatSeconds }),
      ...(e.timeoutSeconds !== undefined && { timeoutSeconds: e.timeoutSeconds }),
    });
  },
  TaskSubmitted(s, e) {
    const task = s.tasks.get(e.taskId);
    if (task) task.submitted = true;
  },
  TaskSucceeded(s, e) {
    closeTask(s, e.taskId);
  },
  TaskFailed(s, e) {
    closeTask(s, e.taskId);
  },
  TaskHeartbeat() {},
  TimerStarted(s, e) {
    bumpId(s, e.timerId);
    if (e.purpose === 'heartbeat') {
      for (const [id, timer] of s.timers)
        if (timer.purpose === 'heartbeat' && timer.taskId === e.taskId) s.timers.delete(id);
    }
    s.timers.set(e.timerId, {
      timerId: e.timerId,
      frame: e.frame,
      fireAt: e.fireAt,
      purpose: e.purpose,
      ...(e.taskId !== undefined && { taskId: e.taskId }),
      ...(e.retrier !== undefined && { retrier: e.retrier }),
    });
    const cursor = s.frames.get(e.frame)?.cursor;
    if (!cursor) return;
    if (e.purpose === 'wait') {
      cursor.phase = { kind: 'waiting', timerId: e.timerId };
      s.ready.delete(e.frame);
    } else if (e.purpose === 'retry') {
      const retrier = e.retrier ?? 0;
      cursor.retryCounts[retrier] = (cursor.retryCounts[retrier] ?? 0) + 1;
      cursor.phase = { kind: 'retrying', timerId: e.timerId };
      s.ready.delete(e.frame);
    }
  },
  TimerFired(s, e) {
    const timer = s.timers.get(e.timerId);
    s.timers.delete(e.timerId);
    if (timer?.purpose !== 'retry') return;
    const cursor = s.frames.get(timer.frame)?.cursor;
    if (cursor) {
      cursor.phase = { kind: 'ready' };
      s.ready.add(timer.frame);
    }
  },
  FrameStarted(s, e) {
    bumpId(s, e.frame);
    const parent = frameOf(s, e.parent);
    s.frames.set(e.frame, {
      id: e.frame,
      parent: e.parent,
      index: e.index,
      scope: childScope(parent, e.index),
      cursor: null,
    });
    const phase = parent.cursor?.phase;
    if (phase?.kind === 'children') {
      phase.children.running.add(e.frame);
      if (e.index >= phase.children.nextIndex) phase.children.nextIndex = e.index + 1;
    }
  },
  FrameSucceeded(s, e) {
    const frame = frameOf(s, e.frame);
    const children = closeFrame(s, frame);
    if (children) {
      children.results[frame.index] = e.output;
      children.done += 1;
    }
  },
  FrameFailed(s, e) {
    const frame = frameOf(s, e.frame);
    const children = closeFrame(s, frame);
    if (children) {
      children.results[frame.index] = { Error: e.error, Cause: e.cause };
      children.failures += 1;
      children.done += 1;
    }
  },
  FrameAborted(s, e) {
    const frame = s.frames.get(e.frame);
    if (frame) closeFrame(s, frame);
  },
  MapStarted(s, e) {
    startChildren(s, e.frame, {
      kind: 'map',
      total: e.items,
      maxConcurrency: e.maxConcurrency,
      toleratedFailures: e.toleratedFailures,
    });
  },
  ParallelStarted(s, e) {
    startChildren(s, e.frame, { kind: 'parallel', total: e.branches, maxConcurrency: 0, toleratedFailures: null });
  },
  StateFailed() {},
  ExecutionSucceeded(s, e) {
    s.status = 'SUCCEEDED';
    s.output = e.output;
    endExecution(s);
  },
  ExecutionFailed(s, e) {
    s.status = 'FAILED';
    s.error = e.error;
    s.cause = e.cause;
    endExecution(s);
  },
  ExecutionAborted(s, e) {
    s.status = 'ABORTED';
    s.error = e.error;
    s.cause = e.cause;
    endExecution(s);
  },
  ExecutionTimedOut(s, e) {
    s.status = 'TIMED_OUT';
    s.error = e.error;
    s.cause = e.cause;
    endExecution(s);
  },
};

function closeTask(s: ExecutionState, taskId: number): void {
  s.tasks.delete(taskId);
  for (const [id, timer] of s.timers) if (timer.taskId === taskId) s.timers.delete(id);
}

function startChildren(
  s: ExecutionState,
  frameId: number,
  init: Pick<Children, 'kind' | 'total' | 'maxConcurrency' | 'toleratedFailures'>,
): void {
  const cursor = frameOf(s, frameId).cursor;
  if (!cursor) throw new Error(`history is inconsistent: frame ${frameId} starts children outside a state`);
  cursor.phase = {
    kind: 'children',
    children: {
      ...init,
      results: new Array(init.total).fill(null),
      done: 0,
      failures: 0,
      running: new Set(),
      nextIndex: 0,
    },
  };
  s.ready.delete(frameId);
}

/** Folds one event into the state (mutating it): the only way an ExecutionState changes. */
export function evolve(state: ExecutionState, event: TimedEvent): void {
  const handler = handlers[event.type] as (s: ExecutionState, e: TimedEvent) => void;
  handler(state, event);
  state.eventCount += 1;
}
