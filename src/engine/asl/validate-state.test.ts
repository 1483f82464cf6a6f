import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { type Problem, validateDefinition } from './validate.js';
import { isRfc3339Timestamp } from './validate-support.js';

/** The problems of a one-state machine whose state is `state` (named S; add End/Next yourself). */
function problemsOf(state: JsonObject): Problem[] {
  return validateDefinition({ StartAt: 'S', States: { S: state } });
}

/** `path message` lines, easy to compare. */
function linesOf(state: JsonObject): string[] {
  return problemsOf(state).map(({ path, message }) => `${path} ${message}`);
}

describe('every state', () => {
  it('needs a known Type', () => {
    expect(problemsOf({ Type: 'Lambda', End: true })).toEqual([
      {
        path: '$.States.S.Type',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'state "S" has Type "Lambda"; expected one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map',
      },
    ]);
  });

  it('rejects fields its type does not have, and reports fields Flywheel does not support apart', () => {
    expect(problemsOf({ Type: 'Pass', End: true, Resource: 'x', Assign: { a: 1 } })).toEqual([
      {
        path: '$.States.S.Resource',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'state "S" has the field "Resource", which is not supported by Step Functions',
      },
      {
        path: '$.States.S.Assign',
        code: 'UNSUPPORTED_FEATURE',
        message: 'state "S" uses "Assign", which Flywheel does not support yet',
      },
    ]);
  });

  it('needs exactly one of Next and End, and End must be true', () => {
    expect(linesOf({ Type: 'Pass' })).toEqual(['$.States.S state "S" needs Next (the state to go to) or End: true']);
    expect(linesOf({ Type: 'Pass', End: true, Next: 'S' })).toEqual([
      '$.States.S state "S" has both Next and End; it either goes on (Next) or ends (End: true)',
    ]);
    expect(linesOf({ Type: 'Pass', End: false })).toEqual([
      '$.States.S.End state "S" has End false; End must be true (or use Next)',
    ]);
  });

  it('forbids Next and End on Succeed, Fail and Choice', () => {
    expect(linesOf({ Type: 'Succeed', End: true })).toEqual([
      '$.States.S.End state "S" is a Succeed state, which ends the execution: it cannot have End',
    ]);
    expect(linesOf({ Type: 'Fail', Next: 'S' })).toEqual([
      '$.States.S.Next state "S" is a Fail state, which ends the execution: it cannot have Next',
    ]);
    const choice = { Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, Next: 'S' }], Next: 'S' };
    expect(linesOf(choice)[0]).toBe(
      '$.States.S.Next state "S" is a Choice state, which moves on through Choices and Default: it cannot have Next',
    );
  });

  it('checks InputPath and OutputPath syntax and allows null', () => {
    expect(linesOf({ Type: 'Succeed', InputPath: null, OutputPath: '$.a[' })).toEqual([
      "$.States.S.OutputPath state \"S\" OutputPath must be a valid JSONPath: Invalid JSONPath '$.a[': expected an index, a slice, '*', '?(' or a quoted name at position 4, found the end",
    ]);
  });

  it('reports a JSONata QueryLanguage as unsupported', () => {
    expect(problemsOf({ Type: 'Succeed', QueryLanguage: 'JSONata' })[0]?.code).toBe('UNSUPPORTED_FEATURE');
  });
});

describe('ResultPath and payload templates', () => {
  it('requires ResultPath to be null or a Reference Path on the input', () => {
    expect(linesOf({ Type: 'Pass', End: true, ResultPath: null })).toEqual([]);
    expect(linesOf({ Type: 'Pass', End: true, ResultPath: '$.runs[*].score' })).toEqual([
      '$.States.S.ResultPath state "S" ResultPath "$.runs[*].score" must be a Reference Path naming one node (no *, .., filters, slices or unions)',
    ]);
    expect(linesOf({ Type: 'Pass', End: true, ResultPath: '$$.Execution' })).toEqual([
      '$.States.S.ResultPath state "S" ResultPath "$$.Execution" cannot name the context object ($$)',
    ]);
  });

  it('checks every .$ field of Parameters, ResultSelector and Credentials, at any depth and inside arrays', () => {
    const state = {
      Type: 'Task',
      Resource: 'r',
      End: true,
      Parameters: { env: [{ 'value.$': 'oops' }], 'ok.$': '$$.Execution.Id', 'n.$': 5 },
      ResultSelector: { 'x.$': 'States.ArrayLength()' },
      Credentials: { 'RoleArn.$': '$.role' },
    };
    expect(linesOf(state)).toEqual([
      `$.States.S.Parameters.env[0]['value.$'] The value for the field 'value.$' must be a valid JSONPath or a valid intrinsic function call: got "oops"`,
      `$.States.S.Parameters['n.$'] The value for the field 'n.$' must be a valid JSONPath or a valid intrinsic function call (got 5)`,
      `$.States.S.ResultSelector['x.$'] The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call: Invalid intrinsic function 'States.ArrayLength()': States.ArrayLength takes exactly 1 argument but is given 0`,
    ]);
  });
});

describe('Wait', () => {
  it('takes exactly one of Seconds, Timestamp, SecondsPath and TimestampPath', () => {
    expect(linesOf({ Type: 'Wait', End: true })).toEqual([
      '$.States.S state "S" needs one of Seconds, Timestamp, SecondsPath or TimestampPath',
    ]);
    expect(linesOf({ Type: 'Wait', End: true, Seconds: 5, SecondsPath: '$.s' })).toEqual([
      '$.States.S state "S" has Seconds and SecondsPath; it takes exactly one of Seconds, Timestamp, SecondsPath or TimestampPath',
    ]);
  });

  it('checks Seconds, Timestamp and the paths', () => {
    expect(linesOf({ Type: 'Wait', End: true, Seconds: -1 })).toEqual([
      '$.States.S.Seconds state "S" has Seconds -1; it must be an integer >= 0',
    ]);
    expect(linesOf({ Type: 'Wait', End: true, Timestamp: '2024-02-30T00:00:00Z' })).toEqual([
      '$.States.S.Timestamp state "S" has Timestamp "2024-02-30T00:00:00Z"; it must be an RFC 3339 timestamp',
    ]);
    expect(linesOf({ Type: 'Wait', End: true, TimestampPath: '$.at[0:1]' })[0]).toContain('must be a Reference Path');
  });

  it('accepts only RFC 3339 timestamps with uppercase T and Z', () => {
    expect(isRfc3339Timestamp('2016-03-14T01:59:00Z')).toBe(true);
    expect(isRfc3339Timestamp('2016-03-14T01:59:00.123-07:00')).toBe(true);
    expect(isRfc3339Timestamp('2016-03-14t01:59:00z')).toBe(false);
    expect(isRfc3339Timestamp('2016-03-14 01:59:00Z')).toBe(false);
    expect(isRfc3339Timestamp('2023-02-29T00:00:00Z')).toBe(false);
    expect(isRfc3339Timestamp('2016-03-14T24:00:00Z')).toBe(false);
  });
});

describe('Fail', () => {
  it('takes Error or ErrorPath and Cause or CausePath, not both, and checks the paths and intrinsics', () => {
    expect(
      linesOf({ Type: 'Fail', Error: 'E', ErrorPath: '$.e', Cause: 'c', CausePath: 'States.Format($.c)' }),
    ).toEqual([
      '$.States.S.ErrorPath state "S" has both Error and ErrorPath; keep one',
      '$.States.S.CausePath state "S" has both Cause and CausePath; keep one',
    ]);
    expect(linesOf({ Type: 'Fail', CausePath: 'States.Format(1)' })).toEqual([
      `$.States.S.CausePath state "S" CausePath holds an invalid intrinsic function: Invalid intrinsic function 'States.Format(1)': the first argument of States.Format must be a string template`,
    ]);
  });
});

describe('Task', () => {
  it('needs a Resource', () => {
    expect(linesOf({ Type: 'Task', End: true })).toEqual([
      '$.States.S.Resource state "S" needs Resource: the task to run (got undefined)',
    ]);
  });

  it('takes positive integer timeouts, not both a value and its Path, with HeartbeatSeconds below TimeoutSeconds', () => {
    const base = { Type: 'Task', Resource: 'r', End: true };
    expect(linesOf({ ...base, TimeoutSeconds: 0, HeartbeatSeconds: 1.5 })).toEqual([
      '$.States.S.TimeoutSeconds state "S" has TimeoutSeconds 0; it must be a positive integer',
      '$.States.S.HeartbeatSeconds state "S" has HeartbeatSeconds 1.5; it must be a positive integer',
    ]);
    expect(linesOf({ ...base, TimeoutSeconds: 60, TimeoutSecondsPath: '$.t' })).toEqual([
      '$.States.S.TimeoutSecondsPath state "S" has both TimeoutSeconds and TimeoutSecondsPath; keep one',
    ]);
    expect(linesOf({ ...base, TimeoutSeconds: 30, HeartbeatSeconds: 30 })).toEqual([
      '$.States.S.HeartbeatSeconds state "S" has HeartbeatSeconds 30, which must be less than TimeoutSeconds 30',
    ]);
  });
});

describe('Parallel and Map', () => {
  it('needs at least one Parallel branch', () => {
    expect(linesOf({ Type: 'Parallel', End: true, Branches: [] })).toEqual([
      '$.States.S.Branches state "S" needs Branches: a non-empty array of branches',
    ]);
  });

  it('needs exactly one of ItemProcessor and Iterator, and not both Parameters and ItemSelector', () => {
    const processor = { StartAt: 'P', States: { P: { Type: 'Succeed' } } };
    expect(linesOf({ Type: 'Map', End: true })).toEqual([
      '$.States.S state "S" needs ItemProcessor: the states run for each item',
    ]);
    expect(
      linesOf({
        Type: 'Map',
        End: true,
        ItemProcessor: processor,
        Iterator: processor,
        Parameters: {},
        ItemSelector: {},
      }),
    ).toEqual([
      '$.States.S.Iterator state "S" has both ItemProcessor and Iterator; keep one',
      '$.States.S.Parameters state "S" has both ItemSelector and Parameters; keep one',
    ]);
  });

  it('takes MaxConcurrency as an integer >= 0 and tolerated failures in range', () => {
    const base = { Type: 'Map', End: true, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Succeed' } } } };
    expect(
      linesOf({ ...base, MaxConcurrency: -1, ToleratedFailurePercentage: 101, ToleratedFailureCount: 0.5 }),
    ).toEqual([
      '$.States.S.MaxConcurrency state "S" has MaxConcurrency -1; it must be an integer >= 0 (0 means no limit)',
      '$.States.S.ToleratedFailureCount state "S" has ToleratedFailureCount 0.5; it must be an integer >= 0',
      '$.States.S.ToleratedFailurePercentage state "S" has ToleratedFailurePercentage 101; it must be a number from 0 to 100',
    ]);
    expect(linesOf({ ...base, MaxConcurrency: 0, MaxConcurrencyPath: '$.m' })).toEqual([
      '$.States.S.MaxConcurrencyPath state "S" has both MaxConcurrency and MaxConcurrencyPath; keep one',
    ]);
  });
});
