import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from './json.js';
import { validateDefinition } from './validate.js';

/** `path message` lines for a machine whose Choice state C has the given rules and goes to Done. */
function choiceLines(choices: Json, extra: JsonObject = {}): string[] {
  const definition = {
    StartAt: 'C',
    States: { C: { Type: 'Choice', Choices: choices, Default: 'Done', ...extra }, Done: { Type: 'Succeed' } },
  };
  return validateDefinition(definition).map(({ path, message }) => `${path} ${message}`);
}

const rule = (test: JsonObject): JsonObject => ({ Variable: '$.x', ...test, Next: 'Done' });

describe('Choice state rules', () => {
  it('needs at least one rule', () => {
    expect(choiceLines([])).toEqual(['$.States.C.Choices state "C" needs Choices: a non-empty array of choice rules']);
  });

  it('needs Next on each top-level rule and forbids it on nested rules', () => {
    expect(choiceLines([{ Variable: '$.x', IsNull: true }])).toEqual([
      '$.States.C.Choices[0].Next state "C" Choices[0] needs Next: the state to go to when the rule matches',
    ]);
    expect(choiceLines([{ Not: { Variable: '$.x', IsNull: true, Next: 'Done' }, Next: 'Done' }])).toEqual([
      '$.States.C.Choices[0].Not.Next state "C" Choices[0].Not is nested in And, Or or Not and must not have Next',
    ]);
  });

  it('takes exactly one comparison operator per data-test rule', () => {
    expect(choiceLines([rule({})])).toEqual([
      '$.States.C.Choices[0] state "C" Choices[0] has no comparison operator such as StringEquals or NumericGreaterThan',
    ]);
    expect(choiceLines([rule({ NumericEquals: 1, StringEquals: 'a' })])).toEqual([
      '$.States.C.Choices[0] state "C" Choices[0] has 2 comparison operators (NumericEquals, StringEquals); a rule tests exactly one, combine rules with And or Or',
    ]);
  });

  it('checks each operand type: numbers, strings, booleans, timestamps and paths', () => {
    const lines = choiceLines([
      rule({ NumericEquals: '1' }),
      rule({ StringLessThan: 1 }),
      rule({ BooleanEquals: 'true' }),
      rule({ TimestampGreaterThan: '2024-01-01' }),
      rule({ NumericGreaterThanPath: 'x' }),
      rule({ IsNull: 'yes' }),
      rule({ StringMatches: 'log-*.txt' }),
    ]);
    expect(lines).toEqual([
      '$.States.C.Choices[0].NumericEquals state "C" Choices[0] has NumericEquals "1"; it must be a number',
      '$.States.C.Choices[1].StringLessThan state "C" Choices[1] has StringLessThan 1; it must be a string',
      '$.States.C.Choices[2].BooleanEquals state "C" Choices[2] has BooleanEquals "true"; it must be true or false',
      '$.States.C.Choices[3].TimestampGreaterThan state "C" Choices[3] has TimestampGreaterThan "2024-01-01"; it must be an RFC 3339 timestamp such as "2016-03-14T01:59:00Z"',
      "$.States.C.Choices[4].NumericGreaterThanPath state \"C\" Choices[4] NumericGreaterThanPath must be a valid JSONPath: Invalid JSONPath 'x': expected '$' to start the path at position 0, found 'x'",
      '$.States.C.Choices[5].IsNull state "C" Choices[5] has IsNull "yes"; it must be true or false',
    ]);
  });

  it('needs a valid Variable path on a data-test rule', () => {
    expect(choiceLines([{ NumericEquals: 1, Next: 'Done' }])).toEqual([
      '$.States.C.Choices[0] state "C" Choices[0] needs And, Or, Not, or a Variable with a comparison operator',
    ]);
    expect(choiceLines([rule({ Variable: '$.a..', IsPresent: true })])[0]).toMatch(
      /^\$\.States\.C\.Choices\[0\]\.Variable state "C" Choices\[0\] Variable must be a valid JSONPath: Invalid JSONPath '\$\.a\.\.'/,
    );
  });

  it('checks And, Or and Not recursively and rejects a rule that mixes them with a test', () => {
    const lines = choiceLines([
      { And: [], Next: 'Done' },
      { Or: [{ Variable: '$.a', IsNull: true }, { Not: { Variable: '$.b' } }], Next: 'Done' },
      { And: [{ Variable: '$.a', IsNull: true }], Variable: '$.b', IsNull: true, Next: 'Done' },
    ]);
    expect(lines).toEqual([
      '$.States.C.Choices[0].And state "C" Choices[0] has And []; it must be a non-empty array of rules',
      '$.States.C.Choices[1].Or[1].Not state "C" Choices[1].Or[1].Not has no comparison operator such as StringEquals or NumericGreaterThan',
      '$.States.C.Choices[2] state "C" Choices[2] mixes And, Variable, IsNull; a rule is exactly one of And, Or, Not or a Variable test',
    ]);
  });

  it('rejects unknown rule fields and reports Assign as unsupported', () => {
    expect(choiceLines([rule({ IsNull: true, Nxt: 'Done', Assign: {} })])).toEqual([
      '$.States.C.Choices[0].Nxt state "C" Choices[0] has the field "Nxt", which is not a choice rule field',
      '$.States.C.Choices[0].Assign state "C" Choices[0] has the field "Assign", which Flywheel does not support yet',
    ]);
  });

  it('needs Default to be a state name', () => {
    expect(choiceLines([rule({ IsNull: true })], { Default: 3 })).toEqual([
      '$.States.C.Default state "C" has Default 3; it must be a state name',
    ]);
  });
});
