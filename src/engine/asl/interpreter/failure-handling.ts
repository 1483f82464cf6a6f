/** Retry and Catch: what happens when a state fails. */
import { StatesError } from '../errors.js';
import type { Decider } from './decider.js';
import type { Frame } from './execution-state.js';
import { applyResultPath } from './io.js';
import { decideFailure, isTerminalError } from './retry.js';

/** Runs a step of a state; a StatesError it throws becomes that state's failure. */
export function guarded(d: Decider, frame: Frame, step: () => void): void {
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
