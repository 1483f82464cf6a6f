import { describe, expect, it } from 'vitest';
import type { Json } from './json.js';
import { validateDefinition } from './validate.js';

/** `path message` lines for a Task T with the given Retry and Catch, next to a Recover state. */
function lines(retry: Json, catchers: Json = []): string[] {
  const definition = {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'r', End: true, Retry: retry, Catch: catchers },
      Recover: { Type: 'Succeed' },
    },
  };
  return validateDefinition(definition)
    .filter(({ path }) => path !== '$.States.Recover')
    .map(({ path, message }) => `${path} ${message}`);
}

describe('Retry', () => {
  it('accepts retriers within the bounds', () => {
    const retry = [
      { ErrorEquals: ['Flaky'], MaxAttempts: 0, IntervalSeconds: 1, BackoffRate: 1, MaxDelaySeconds: 1 },
      { ErrorEquals: ['States.ALL'], JitterStrategy: 'NONE' },
    ];
    expect(lines(retry)).toEqual([]);
  });

  it('enforces MaxAttempts >= 0, IntervalSeconds >= 1, BackoffRate >= 1, MaxDelaySeconds >= 1 and JitterStrategy', () => {
    const retry = [
      {
        ErrorEquals: ['Flaky'],
        MaxAttempts: -1,
        IntervalSeconds: 0,
        BackoffRate: 0.5,
        MaxDelaySeconds: 0,
        JitterStrategy: 'PARTIAL',
        Jitter: true,
      },
    ];
    expect(lines(retry)).toEqual([
      '$.States.T.Retry[0].Jitter state "T" Retry[0] has the field "Jitter", which is not supported by Step Functions',
      '$.States.T.Retry[0].MaxAttempts state "T" Retry[0] has MaxAttempts -1; it must be an integer >= 0',
      '$.States.T.Retry[0].IntervalSeconds state "T" Retry[0] has IntervalSeconds 0; it must be an integer >= 1',
      '$.States.T.Retry[0].BackoffRate state "T" Retry[0] has BackoffRate 0.5; it must be a number >= 1.0',
      '$.States.T.Retry[0].MaxDelaySeconds state "T" Retry[0] has MaxDelaySeconds 0; it must be an integer >= 1',
      '$.States.T.Retry[0].JitterStrategy state "T" Retry[0] has JitterStrategy "PARTIAL"; it must be "FULL" or "NONE"',
    ]);
  });

  it('requires States.ALL alone in ErrorEquals and in the last retrier', () => {
    expect(lines([{ ErrorEquals: ['States.ALL', 'Flaky'] }, { ErrorEquals: ['Other'] }])).toEqual([
      '$.States.T.Retry[0].ErrorEquals state "T" Retry[0] lists States.ALL with other errors; States.ALL must appear alone',
      '$.States.T.Retry[0].ErrorEquals state "T" Retry[0] uses States.ALL but is not the last in Retry; move it to the end',
    ]);
  });

  it('needs non-empty ErrorEquals and rejects made-up States. names', () => {
    expect(lines([{ ErrorEquals: [] }, { ErrorEquals: ['States.Oops', 'States.Timeout'] }])).toEqual([
      '$.States.T.Retry[0].ErrorEquals state "T" Retry[0] needs ErrorEquals: a non-empty array of error names (got [])',
      '$.States.T.Retry[1].ErrorEquals[0] state "T" Retry[1] names "States.Oops", which is not a predefined error; names starting with "States." are reserved',
    ]);
  });
});

describe('Catch', () => {
  it('accepts catchers whose Next exists and whose ResultPath is a Reference Path', () => {
    expect(lines([], [{ ErrorEquals: ['States.ALL'], Next: 'Recover', ResultPath: '$.error' }])).toEqual([]);
  });

  it('needs Next, checks ResultPath and puts States.ALL last', () => {
    const catchers = [
      { ErrorEquals: ['States.ALL'], Next: 'Recover' },
      { ErrorEquals: ['Flaky'], ResultPath: '$..error' },
    ];
    expect(lines([], catchers)).toEqual([
      '$.States.T.Catch[0].ErrorEquals state "T" Catch[0] uses States.ALL but is not the last in Catch; move it to the end',
      '$.States.T.Catch[1].Next state "T" Catch[1] needs Next: the name of the state to go to',
      '$.States.T.Catch[1].ResultPath state "T" Catch[1] ResultPath "$..error" must be a Reference Path naming one node (no *, .., filters, slices or unions)',
    ]);
  });

  it('must be an array', () => {
    expect(lines({ ErrorEquals: ['X'] }, {})).toEqual([
      '$.States.T.Retry state "T" has Retry {"ErrorEquals":["X"]}; Retry must be an array of retriers',
      '$.States.T.Catch state "T" has Catch {}; Catch must be an array of catchers',
    ]);
  });
});
