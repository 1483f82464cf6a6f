import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../asl/json.js';
import { formatProblems, type SchemaProblem, validateDefinition } from '../asl/validate.js';
import { aslValidatorCheck, validateWithAslValidator } from './asl-validator.js';

/** A machine whose StartAt is its first state. */
function machine(states: JsonObject, extra: JsonObject = {}): JsonObject {
  return { StartAt: Object.keys(states)[0] ?? 'Start', States: states, ...extra };
}

const done = { Type: 'Succeed' };

describe('validateDefinition', () => {
  it('accepts a valid machine with every state type', () => {
    const definition = machine({
      Prepare: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.prep', Next: 'Train' },
      Train: {
        Type: 'Task',
        Resource: 'flywheel:train',
        Parameters: { 'epochs.$': '$.epochs', 'run.$': "States.Format('run-{}', $$.Execution.Name)" },
        TimeoutSeconds: 60,
        HeartbeatSeconds: 10,
        Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 2, BackoffRate: 2, JitterStrategy: 'FULL' }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed', ResultPath: '$.error' }],
        Next: 'Evaluate',
      },
      Evaluate: {
        Type: 'Parallel',
        Branches: [machine({ Score: { Type: 'Pass', End: true } })],
        Next: 'Each',
      },
      Each: {
        Type: 'Map',
        ItemsPath: '$.models',
        MaxConcurrency: 2,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...machine({ One: { Type: 'Pass', End: true } }) },
        Next: 'Wait',
      },
      Wait: { Type: 'Wait', Timestamp: '2024-02-29T23:59:60.5+05:30', Next: 'Route' },
      Route: {
        Type: 'Choice',
        Choices: [{ Variable: '$.score', NumericGreaterThan: 0.9, Next: 'Deploy' }],
        Default: 'Failed',
      },
      Deploy: { Type: 'Succeed' },
      Failed: { Type: 'Fail', Error: 'ModelRejected', CausePath: "States.Format('score {}', $.score)" },
    });
    expect(validateDefinition(definition)).toEqual([]);
  });

  it('reports a definition that is not an object', () => {
    expect(validateDefinition([])).toEqual([
      {
        path: '$',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'the definition must be a JSON object with StartAt and States (got [])',
      },
    ]);
  });

  it('reports a Next that names no state, at the Next field', () => {
    const definition = machine({ Train: { Type: 'Pass', Next: 'Evaluate' } });
    expect(validateDefinition(definition)).toContainEqual({
      path: '$.States.Train.Next',
      code: 'MISSING_TRANSITION_TARGET',
      message: 'state "Train" names Next "Evaluate" which does not exist',
    });
  });

  it('reports a StartAt that names no state', () => {
    expect(validateDefinition({ StartAt: 'Nope', States: { A: { Type: 'Succeed' } } })).toEqual([
      { path: '$.StartAt', code: 'MISSING_TRANSITION_TARGET', message: 'StartAt names "Nope" which does not exist' },
    ]);
  });

  it('reports Default and Catch targets that name no state', () => {
    const definition = machine({
      Route: { Type: 'Choice', Choices: [{ Variable: '$.x', IsNull: true, Next: 'Gone' }], Default: 'Lost' },
      Train: { Type: 'Task', Resource: 'r', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Missing' }] },
    });
    const paths = validateDefinition(definition).map(({ path, message }) => `${path} ${message}`);
    expect(paths).toContain(
      '$.States.Route.Choices[0].Next state "Route" names Choices[0].Next "Gone" which does not exist',
    );
    expect(paths).toContain('$.States.Route.Default state "Route" names Default "Lost" which does not exist');
    expect(paths).toContain(
      '$.States.Train.Catch[0].Next state "Train" names Catch[0].Next "Missing" which does not exist',
    );
  });

  it('reports states not reachable from StartAt, following Next, Choices, Default and Catch', () => {
    const definition = machine({
      Start: { Type: 'Task', Resource: 'r', Next: 'End', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] },
      Caught: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'End' }], Default: 'End' },
      End: done,
      Orphan: { Type: 'Pass', Next: 'End' },
    });
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.States.Orphan',
        code: 'MISSING_TRANSITION_TARGET',
        message: 'state "Orphan" is not reachable: no transition from StartAt "Start" leads to it',
      },
    ]);
  });

  it('keeps each Parallel branch its own scope: a branch cannot name an outer state', () => {
    const definition = machine({
      Fan: { Type: 'Parallel', Branches: [machine({ Inner: { Type: 'Pass', Next: 'Done' } })], Next: 'Done' },
      Done: done,
    });
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.States.Fan.Branches[0].States.Inner.Next',
        code: 'MISSING_TRANSITION_TARGET',
        message:
          'state "Inner" names Next "Done" which does not exist in Parallel branch $.States.Fan.Branches[0], which may only name its own states',
      },
    ]);
  });

  it('checks Map processors recursively, including their ProcessorConfig', () => {
    const definition = machine({
      Each: {
        Type: 'Map',
        End: true,
        ItemProcessor: { ProcessorConfig: { Mode: 'SOMETIMES' }, StartAt: 'X', States: { X: { Type: 'Pass' } } },
      },
    });
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.States.Each.ItemProcessor.ProcessorConfig',
        code: 'SCHEMA_VALIDATION_FAILED',
        message:
          'Map processor $.States.Each.ItemProcessor has ProcessorConfig {"Mode":"SOMETIMES"}; it takes Mode INLINE or DISTRIBUTED and ExecutionType STANDARD or EXPRESS',
      },
      {
        path: '$.States.Each.ItemProcessor.States.X',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'state "X" needs Next (the state to go to) or End: true',
      },
    ]);
  });

  it('reports a scope where every state moves on, so no execution can end', () => {
    const definition = machine({
      Ping: { Type: 'Pass', Next: 'Pong' },
      Pong: { Type: 'Wait', Seconds: 1, Next: 'Ping' },
    });
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.States',
        code: 'MISSING_TERMINAL_STATE',
        message: 'the state machine has no terminal state: give a state End: true or add a Succeed or Fail state',
      },
    ]);
  });

  it('rejects state names over 80 characters', () => {
    const name = 'n'.repeat(81);
    expect(validateDefinition(machine({ [name]: done }))).toEqual([
      {
        path: `$.States.${name}`,
        code: 'SCHEMA_VALIDATION_FAILED',
        message: `state name "${name}" is 81 characters long; the limit is 80`,
      },
    ]);
    expect(validateDefinition(machine({ ['n'.repeat(80)]: done }))).toEqual([]);
  });

  it('reports unknown and unsupported top-level fields and a bad TimeoutSeconds', () => {
    const definition = machine({ A: done }, { Timeout: 5, TimeoutSeconds: 0, QueryLanguage: 'JSONata' });
    expect(validateDefinition(definition)).toEqual([
      {
        path: '$.Timeout',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'the state machine has the field "Timeout", which is not supported by Step Functions',
      },
      {
        path: '$.TimeoutSeconds',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: 'the state machine has TimeoutSeconds 0; it must be a positive integer',
      },
      {
        path: '$.QueryLanguage',
        code: 'UNSUPPORTED_FEATURE',
        message: 'the state machine has QueryLanguage "JSONata"; Flywheel runs JSONPath',
      },
    ]);
  });

  it('writes names that are not identifiers in bracket notation', () => {
    expect(validateDefinition(machine({ "Fit 'model'": { Type: 'Pass', Next: 'x' } }))[0]?.path).toBe(
      "$.States['Fit \\'model\\''].Next",
    );
  });
});

describe('validateDefinition with a schema check', () => {
  const definition = machine({ Train: { Type: 'Pass', Next: 'Evaluate' }, Orphan: done });

  it('drops schema problems that ours already report and keeps the rest, marked as asl-validator', () => {
    const theirs: SchemaProblem[] = [
      { code: 'MISSING_TRANSITION_TARGET', message: 'State Orphan is not reachable' },
      { code: 'MISSING_TRANSITION_TARGET', message: "Missing 'StartAt'|'Next'|'Default' target: Evaluate" },
      { code: 'SCHEMA_VALIDATION_FAILED', message: 'bad Next', pointer: '/States/Train/Next' },
      { code: 'DUPLICATE_STATE_NAMES', message: 'A state name is used twice', pointer: '/Comment' },
    ];
    const problems = validateDefinition(definition, { schemaCheck: () => theirs });
    expect(problems.map(({ code }) => code)).toEqual([
      'MISSING_TRANSITION_TARGET',
      'MISSING_TRANSITION_TARGET',
      'DUPLICATE_STATE_NAMES',
    ]);
    expect(problems[2]).toEqual({
      path: '$.Comment',
      code: 'DUPLICATE_STATE_NAMES',
      message: 'asl-validator: A state name is used twice',
    });
  });

  it('runs asl-validator on a copy and reports nothing extra for a machine ours already faults', () => {
    const copy = structuredClone(definition);
    expect(validateWithAslValidator(definition).map(({ path }) => path)).toEqual([
      '$.States.Train.Next',
      '$.States.Orphan',
    ]);
    expect(definition).toEqual(copy);
  });

  it('passes asl-validator findings through with their JSON Pointer', () => {
    const problems = aslValidatorCheck(machine({ A: { Type: 'Pass', End: true, Bogus: 1 } }));
    expect(problems).toEqual([
      {
        code: 'SCHEMA_VALIDATION_FAILED',
        message: '/States/A is invalid. must match exactly one schema in oneOf',
        pointer: '/States/A',
      },
    ]);
  });
});

describe('formatProblems', () => {
  it('prints one line per problem: path, message, code', () => {
    const problems = validateDefinition(machine({ Train: { Type: 'Pass', Next: 'Evaluate' } }));
    expect(formatProblems(problems)).toBe(
      '$.States.Train.Next: state "Train" names Next "Evaluate" which does not exist (MISSING_TRANSITION_TARGET)',
    );
    expect(formatProblems([])).toBe('');
  });
});
