import { describe, expect, it } from 'vitest';
import { evaluateChoiceRule, NO_CHOICE_MATCHED_CAUSE, selectNext } from './choice.js';
import type { ChoiceRule, ChoiceState } from './definition.js';
import { StatesError } from './errors.js';
import { statesError } from './testing.js';

describe('And, Or, Not', () => {
  const positive: ChoiceRule = { Variable: '$.n', NumericGreaterThan: 0 };
  const small: ChoiceRule = { Variable: '$.n', NumericLessThan: 10 };

  it('combines nested rules', () => {
    const rule: ChoiceRule = { And: [positive, { Not: { Or: [small, { Variable: '$.n', NumericEquals: 42 }] } }] };
    expect(evaluateChoiceRule(rule, { n: 5 })).toBe(false);
    expect(evaluateChoiceRule(rule, { n: 42 })).toBe(false);
    expect(evaluateChoiceRule(rule, { n: 50 })).toBe(true);
    expect(evaluateChoiceRule(rule, { n: -1 })).toBe(false);
  });

  it('stops as soon as the answer is known, so later rules may name missing fields', () => {
    const missing: ChoiceRule = { Variable: '$.missing', IsNull: true };
    expect(evaluateChoiceRule({ Or: [positive, missing] }, { n: 1 })).toBe(true);
    expect(evaluateChoiceRule({ And: [positive, missing] }, { n: -1 })).toBe(false);
    expect(() => evaluateChoiceRule({ And: [positive, missing] }, { n: 1 })).toThrow(StatesError);
  });
});

describe('paths and failures', () => {
  it('reads $$ paths from the context object', () => {
    const rule: ChoiceRule = { Variable: '$$.Execution.Name', StringEqualsPath: '$$.Expected' };
    expect(evaluateChoiceRule(rule, {}, { Execution: { Name: 'run-1' }, Expected: 'run-1' })).toBe(true);
  });

  it('compares the whole input with $ and an indefinite path as an array', () => {
    expect(evaluateChoiceRule({ Variable: '$', StringEquals: 'No messages' }, 'No messages')).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$.a[*]', IsPresent: true }, {})).toBe(true);
  });

  const missing: [ChoiceRule, string][] = [
    [{ Variable: '$.missing', StringEquals: 'x' }, "Invalid path '$.missing'"],
    [{ Variable: '$.missing', IsNull: true }, "Invalid path '$.missing'"],
    [{ Variable: '$.missing', StringMatches: '*' }, "Invalid path '$.missing'"],
    [{ Variable: '$.n', NumericEqualsPath: '$.other' }, "Invalid path '$.other'"],
  ];
  for (const [rule, start] of missing) {
    it(`fails ${JSON.stringify(rule)} with States.Runtime in AWS words`, () => {
      const error = statesError(() => evaluateChoiceRule(rule, { n: 1 }));
      expect(error.toFailure()).toEqual({
        error: 'States.Runtime',
        cause: `${start}: The choice state's condition path references an invalid value.`,
      });
    });
  }

  const malformed: [ChoiceRule, RegExp][] = [
    [{ Variable: '$.n' }, /must have exactly one comparison operator/],
    [{ Variable: '$.n', NumericEquals: 1, NumericLessThan: 2 }, /must have exactly one comparison operator/],
    [{ Variable: '$.n', NumericEqualz: 1 }, /must have exactly one comparison operator/],
    [{ Variable: '$.n', IsNull: 'yes' }, /IsNull must be true or false/],
    [{ Variable: '$.n', NumericEqualsPath: 3 }, /NumericEqualsPath must be a path string/],
    [{ Variable: '$.n', StringMatches: 3 }, /StringMatches must be a string pattern/],
    [{ Foo: 1 } as unknown as ChoiceRule, /needs And, Or, Not, or a Variable/],
  ];
  for (const [rule, message] of malformed) {
    it(`rejects the malformed rule ${JSON.stringify(rule)}`, () => {
      expect(() => evaluateChoiceRule(rule, { n: 1 })).toThrow(message);
    });
  }
});

describe('selectNext', () => {
  const state: ChoiceState = {
    Type: 'Choice',
    Choices: [
      { Variable: '$.n', NumericLessThan: 0, Next: 'Negative' },
      { Variable: '$.n', NumericLessThan: 10, Next: 'Small' },
      { Variable: '$.n', NumericLessThan: 100, Next: 'Medium' },
    ],
    Default: 'Large',
  };

  it('takes the first matching rule in order', () => {
    expect(selectNext(state, { n: -5 })).toBe('Negative');
    expect(selectNext(state, { n: 5 })).toBe('Small');
    expect(selectNext(state, { n: 50 })).toBe('Medium');
  });

  it('falls back to Default', () => {
    expect(selectNext(state, { n: 500 })).toBe('Large');
  });

  it('fails with States.Runtime, as AWS does, when nothing matches and there is no Default', () => {
    const { Default: _, ...noDefault } = state;
    const error = statesError(() => selectNext(noDefault, { n: 500 }));
    expect(error.toFailure()).toEqual({ error: 'States.Runtime', cause: NO_CHOICE_MATCHED_CAUSE });
    expect(NO_CHOICE_MATCHED_CAUSE).toBe(
      'Failed to transition out of the state. The state does not point to a next state.',
    );
  });

  it('evaluates the same compiled rules against fresh input every time', () => {
    expect([1, -1, 1].map((n) => selectNext(state, { n }))).toEqual(['Small', 'Negative', 'Small']);
  });
});
