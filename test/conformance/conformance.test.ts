import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/engine/asl/index.js';
import { type Expected, listCases, loadCase, type TaskCall, type TerminalStatus } from './case-files.js';
import { type CaseRun, runCase } from './run-case.js';

const CASES = fileURLToPath(new URL('./cases/', import.meta.url));

const TERMINAL_EVENT: Record<TerminalStatus, string> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
};

/** Calls made at the same instant may be dispatched in any order; compare them sorted by time, then state name. */
function byTime(calls: readonly TaskCall[]): TaskCall[] {
  return [...calls].sort((a, b) => a.at - b.at || (a.state < b.state ? -1 : a.state > b.state ? 1 : 0));
}

function parsed(text: string | null): Json | undefined {
  return text === null ? undefined : (JSON.parse(text) as Json);
}

function checkExpected(run: CaseRun, expected: Expected): void {
  const { record } = run;
  const outcome = { status: record.status, error: record.error, cause: record.cause, output: parsed(record.output) };
  expect(outcome.status, `status (the execution ended with ${JSON.stringify(outcome)})`).toBe(expected.status);
  if ('output' in expected) expect(outcome.output, 'output').toStrictEqual(expected.output);
  if (expected.error !== undefined) expect(record.error, 'error').toBe(expected.error);
  if (expected.cause !== undefined) expect(record.cause, 'cause').toBe(expected.cause);
  if (expected.causeContains !== undefined) expect(record.cause ?? '', 'cause').toContain(expected.causeContains);
  if (expected.taskCalls !== undefined)
    expect(byTime(run.calls), 'taskCalls').toStrictEqual(byTime(expected.taskCalls));
  if (expected.eventTypes !== undefined) {
    expect(
      run.history.map((event) => event.type),
      'eventTypes',
    ).toStrictEqual(expected.eventTypes);
  }
}

/** The history is the truth: it opens with ExecutionStarted, ends with the one terminal event, and folds to the record. */
function checkHistory(run: CaseRun): void {
  const { record, history, refolded } = run;
  const types = history.map((event) => event.type);
  const terminal = TERMINAL_EVENT[record.status as TerminalStatus];
  expect(types[0], 'first history event').toBe('ExecutionStarted');
  expect(types.at(-1), 'last history event').toBe(terminal);
  expect(
    types.filter((type) => Object.values(TERMINAL_EVENT).includes(type)),
    'terminal events in the history',
  ).toStrictEqual([terminal]);
  expect(refolded.status, 'status folded from the stored history').toBe(record.status);
  expect(refolded.eventCount, 'events folded').toBe(history.length);
  if (record.status === 'SUCCEEDED') {
    expect(refolded.output, 'output folded from the stored history').toStrictEqual(parsed(record.output));
  } else {
    expect({ error: refolded.error, cause: refolded.cause }, 'failure folded from the stored history').toStrictEqual({
      error: record.error,
      cause: record.cause,
    });
  }
}

describe('ASL conformance (test/conformance/cases)', () => {
  for (const name of listCases(CASES)) {
    it(name, async () => {
      const testCase = loadCase(CASES, name);
      const run = await runCase(testCase);
      checkExpected(run, testCase.expected);
      checkHistory(run);
    });
  }
});
