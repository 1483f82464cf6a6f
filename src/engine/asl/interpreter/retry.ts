import type { Catcher, Retrier } from '../definition.js';
import { StatesErrors } from '../errors.js';

/** Errors no Retry or Catch can handle: they end the execution (AWS: "States.Runtime ... isn't retriable"). */
export function isTerminalError(error: string): boolean {
  return error === StatesErrors.Runtime || error === StatesErrors.DataLimitExceeded;
}

function isTimeout(error: string): boolean {
  return error === StatesErrors.Timeout || error === StatesErrors.HeartbeatTimeout;
}

/**
 * Does an ErrorEquals list match an error name? `States.ALL` matches every catchable error; `States.TaskFailed`
 * matches every catchable error except timeouts; `States.Timeout` also matches a heartbeat timeout.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (isTerminalError(error)) return false;
  for (const name of errorEquals) {
    if (name === error || name === StatesErrors.ALL) return true;
    if (name === StatesErrors.TaskFailed && !isTimeout(error)) return true;
    if (name === StatesErrors.Timeout && error === StatesErrors.HeartbeatTimeout) return true;
  }
  return false;
}

/** What to do with a failure: retry after a delay, go to a catcher, or fail the frame. */
export type FailureDecision =
  | { kind: 'retry'; retrier: number; delayMs: number }
  | { kind: 'catch'; catcher: Catcher }
  | { kind: 'fail' };

/**
 * Applies the spec's precedence: the FIRST retrier whose ErrorEquals matches decides whether to retry; once its
 * MaxAttempts are used up, later retriers are not consulted and the catchers are tried in order.
 */
export function decideFailure(
  retriers: readonly Retrier[] | undefined,
  catchers: readonly Catcher[] | undefined,
  retryCounts: readonly number[],
  error: string,
  random: () => number,
): FailureDecision {
  const index = (retriers ?? []).findIndex((r) => errorMatches(r.ErrorEquals, error));
  const retrier = index >= 0 ? retriers?.[index] : undefined;
  if (retrier) {
    const used = retryCounts[index] ?? 0;
    if (used < (retrier.MaxAttempts ?? 3))
      return { kind: 'retry', retrier: index, delayMs: retryDelayMs(retrier, used, random) };
  }
  const catcher = (catchers ?? []).find((c) => errorMatches(c.ErrorEquals, error));
  return catcher ? { kind: 'catch', catcher } : { kind: 'fail' };
}

/** IntervalSeconds × BackoffRate^used, capped by MaxDelaySeconds, with FULL jitter drawn from [0, delay). */
export function retryDelayMs(retrier: Retrier, used: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  let seconds = interval * backoff ** used;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}
