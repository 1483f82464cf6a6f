import { StatesError, StatesErrors } from '../errors.js';
import type { Json } from '../json.js';
import type { Command, DecideEnv } from './commands.js';
import type { ExecutionEvent, TimedEvent } from './events.js';
import { evolve } from './evolve.js';
import type { ExecutionState, Frame } from './execution-state.js';
import { handleFailure } from './failure-handling.js';
import { runState } from './state-handlers.js';
import { taskFinished, timerFired } from './task-events.js';

export interface DecideResult {
  /** Events to append, in order; the state already reflects them. */
  events: TimedEvent[];
  /** True when work is left that a `continue` command should pick up. */
  more: boolean;
}

/** Collects events, folding each into the state as it is emitted so later decisions see it. */
export class Decider {
  readonly events: TimedEvent[] = [];
  transitions = 0;
  constructor(
    readonly state: ExecutionState,
    readonly env: DecideEnv,
  ) {}

  emit(event: ExecutionEvent): void {
    const timed = { ...event, timestamp: this.env.now } as TimedEvent;
    evolve(this.state, timed);
    this.events.push(timed);
  }

  /** Arms a task's timeout or heartbeat timer `seconds` from now. */
  startTaskTimer(frame: Frame, taskId: number, purpose: 'taskTimeout' | 'heartbeat', seconds: number): void {
    this.emit({
      type: 'TimerStarted',
      timerId: this.newId(),
      frame: frame.id,
      fireAt: this.env.now + seconds * 1000,
      purpose,
      taskId,
    });
  }

  newId(): number {
    return this.state.nextId;
  }

  frame(id: number): Frame | undefined {
    return this.state.frames.get(id);
  }

  /** Leaves the frame's current state with `output` and follows Next, or ends the frame on End. */
  exit(frame: Frame, output: Json, next?: string): void {
    const cursor = frame.cursor;
    if (!cursor) return;
    const def = frame.scope.States[cursor.state];
    this.emit({ type: 'StateExited', frame: frame.id, state: cursor.state, output });
    const target = next ?? (def && 'Next' in def ? def.Next : undefined);
    if (target !== undefined && !(next === undefined && def && 'End' in def && def.End === true)) {
      this.enter(frame, target, output);
    } else {
      this.completeFrame(frame, output);
    }
  }

  enter(frame: Frame, state: string, input: Json): void {
    if (!frame.scope.States[state]) {
      this.failExecution(StatesErrors.Runtime, `state "${state}" does not exist`);
      return;
    }
    this.transitions += 1;
    this.emit({ type: 'StateEntered', frame: frame.id, state, input });
  }

  completeFrame(frame: Frame, output: Json): void {
    if (frame.parent === null) {
      this.emit({ type: 'ExecutionSucceeded', output });
      return;
    }
    const parent = this.frame(frame.parent);
    this.emit({ type: 'FrameSucceeded', frame: frame.id, output });
    if (parent) this.childFinished(parent);
  }

  /** A frame failed with an error its own states did not handle: the parent state handles it, or the execution fails. */
  failFrame(frame: Frame, error: string, cause: string): void {
    if (frame.parent === null) {
      this.emit({ type: 'ExecutionFailed', error, cause });
      return;
    }
    const parent = this.frame(frame.parent);
    this.emit({ type: 'FrameFailed', frame: frame.id, error, cause });
    if (!parent) return;
    const phase = parent.cursor?.phase;
    const limit = phase?.kind === 'children' ? phase.children.toleratedFailures : null;
    if (phase?.kind === 'children' && limit !== null && phase.children.failures <= limit) {
      this.childFinished(parent);
      return;
    }
    this.abortChildren(parent);
    if (limit !== null) {
      handleFailure(
        this,
        parent,
        StatesErrors.ExceedToleratedFailureThreshold,
        `The specified tolerated failure threshold was exceeded: ${error}: ${cause}`,
      );
    } else {
      handleFailure(this, parent, error, cause);
    }
  }

  abortChildren(frame: Frame): void {
    const phase = frame.cursor?.phase;
    if (phase?.kind !== 'children') return;
    for (const childId of [...phase.children.running]) {
      const child = this.frame(childId);
      if (child) this.abortFrame(child);
    }
  }

  abortFrame(frame: Frame): void {
    this.abortChildren(frame);
    this.emit({ type: 'FrameAborted', frame: frame.id });
  }

  failExecution(error: string, cause: string): void {
    if (this.state.status === 'RUNNING') this.emit({ type: 'ExecutionFailed', error, cause });
  }

  /** Called after a child frame ended: start the next Map item or finish the Parallel/Map state. */
  childFinished(parent: Frame): void {
    const phase = parent.cursor?.phase;
    if (phase?.kind !== 'children') return;
    runState.continueChildren(this, parent, phase.children);
  }

  handle(command: Command): void {
    switch (command.kind) {
      case 'start':
        this.start(command.input);
        return;
      case 'continue':
        return;
      case 'taskSucceeded':
      case 'taskFailed':
      case 'taskSubmitted':
      case 'taskHeartbeat':
        taskFinished(this, command);
        return;
      case 'timerFired':
        timerFired(this, command.timerId);
        return;
      case 'stop':
        if (this.state.status === 'RUNNING')
          this.emit({ type: 'ExecutionAborted', error: command.error, cause: command.cause });
        return;
      default:
        assertNever(command);
    }
  }

  private start(input: Json): void {
    this.emit({ type: 'ExecutionStarted', input });
    const root = this.frame(0);
    const timeout = this.state.definition.TimeoutSeconds;
    if (timeout !== undefined) {
      this.emit({
        type: 'TimerStarted',
        timerId: this.newId(),
        frame: 0,
        fireAt: this.env.now + timeout * 1000,
        purpose: 'executionTimeout',
      });
    }
    if (root) this.enter(root, this.state.definition.StartAt, input);
  }

  /** Acts on ready frames until none is left or the transition budget is spent. */
  runReady(): boolean {
    const budget = this.env.maxTransitions ?? 500;
    while (this.state.status === 'RUNNING' && this.state.ready.size > 0) {
      if (this.transitions >= budget) return true;
      const id = this.state.ready.values().next().value as number;
      const frame = this.frame(id);
      this.state.ready.delete(id);
      if (frame?.cursor?.phase.kind === 'ready') runState.act(this, frame);
    }
    return false;
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/**
 * The interpreter's step function: given the execution's state (folded from its history) and what happened, returns
 * the events that follow. Mutates `state` to reflect those events; if they cannot be stored, rebuild the state from
 * the stored history. Pure: no I/O, no clock, no randomness except through `env`.
 */
export function decide(state: ExecutionState, command: Command, env: DecideEnv): DecideResult {
  const decider = new Decider(state, env);
  if (command.kind !== 'start' && state.status !== 'RUNNING') return { events: [], more: false };
  // Anything thrown here would otherwise leave the execution RUNNING forever (every retry of the decision throws
  // again): a StatesError fails it with its own name, any other error (a definition the validator let through, an
  // engine defect) with States.Runtime and the message.
  const failOn = (error: unknown): void => {
    if (error instanceof StatesError) decider.failExecution(error.error, error.causeText);
    else
      decider.failExecution(
        StatesErrors.Runtime,
        `internal error: ${error instanceof Error ? error.message : String(error)}`,
      );
  };
  try {
    decider.handle(command);
  } catch (error) {
    failOn(error);
  }
  if (command.kind === 'start') return { events: decider.events, more: state.ready.size > 0 };
  let more = false;
  try {
    more = decider.runReady();
  } catch (error) {
    failOn(error);
  }
  return { events: decider.events, more };
}
