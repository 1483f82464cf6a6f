import { describe, expect, it } from 'vitest';
import { evaluateChoiceRule } from './choice.js';
import type { Json } from './json.js';
import { statesError } from './testing.js';

// Every comparison operator, run through evaluateChoiceRule the way a definition uses it.

/** Evaluates `{ Variable: '$.v', [operator]: operand }` against `{ v: variable, o: other }`. */
const holds = (operator: string, variable: Json, operand: Json, other: Json = null): boolean =>
  evaluateChoiceRule({ Variable: '$.v', [operator]: operand }, { v: variable, o: other });
/** The same with the `...Path` form of the operator reading its operand from `$.o`. */
const holdsPath = (operator: string, variable: Json, other: Json): boolean =>
  holds(`${operator}Path`, variable, '$.o', other);

// The variables of LocalStack's test_is_operators, whose snapshot records AWS's answers (2023-06-22).
const VALUES: Json[] = [
  null,
  0,
  0.0,
  1,
  1.1,
  '',
  ' ',
  'HelloWorld',
  '2012-10-09T19:00:55',
  [],
  [''],
  {},
  { A: 0 },
  true,
  false,
];

describe('type tests (IsNull, IsNumeric, IsString, IsBoolean, IsPresent), as recorded against AWS', () => {
  const kinds: [string, (value: Json) => boolean][] = [
    ['IsNull', (value) => value === null],
    ['IsNumeric', (value) => typeof value === 'number'],
    ['IsString', (value) => typeof value === 'string'],
    ['IsBoolean', (value) => typeof value === 'boolean'],
    ['IsPresent', () => true],
  ];
  it.each(kinds)('%s: true only for its type, and IsX: false inverts it', (operator, isType) => {
    for (const value of VALUES) {
      expect(holds(operator, value, true), `${operator} ${JSON.stringify(value)}`).toBe(isType(value));
      expect(holds(operator, value, false), `${operator}: false ${JSON.stringify(value)}`).toBe(!isType(value));
    }
  });

  it('IsPresent is false, not an error, for a missing Variable', () => {
    expect(evaluateChoiceRule({ Variable: '$.missing', IsPresent: true }, {})).toBe(false);
    expect(evaluateChoiceRule({ Variable: '$.missing', IsPresent: false }, {})).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$.a[5]', IsPresent: true }, { a: [] })).toBe(false);
  });

  it.each([
    ['2016-03-14T01:59:00Z', true],
    ['2016-03-14T01:59:00.123Z', true],
    ['2016-03-14T01:59:00.123456789Z', true],
    ['2016-03-14T01:59:00+05:30', true],
    ['2016-03-14T01:59:00-08:00', true],
    ['2024-02-29T00:00:00Z', true],
    ['2016-03-14T01:59:00', false],
    ['2016-03-14t01:59:00Z', false],
    ['2016-03-14T01:59:00z', false],
    ['2016-03-14 01:59:00Z', false],
    ['2023-02-24', false],
    ['2023-02-29T00:00:00Z', false],
    ['2016-13-01T00:00:00Z', false],
    ['2016-03-14T24:00:00Z', false],
    ['2016-03-14T01:59:00.Z', false],
    ['2016-03-14T01:59:00+0100', false],
    [1457920740, false],
  ])('IsTimestamp %j is %s', (value, expected) => {
    expect(holds('IsTimestamp', value, true)).toBe(expected);
    expect(holds('IsTimestamp', value, false)).toBe(!expected);
  });
});

describe('string comparisons', () => {
  const cases: [string, [string, string], boolean][] = [
    ['StringEquals', ['Hello', 'Hello'], true],
    ['StringEquals', [' ', '     '], false],
    ['StringEquals', ['\t\n', '\t\r\n'], false],
    ['StringEquals', ['a', 'A'], false],
    ['StringLessThan', ['', ''], false],
    ['StringLessThan', ['A', 'AB'], true],
    ['StringLessThan', ['AB', 'A'], false],
    ['StringGreaterThan', ['', ''], false],
    ['StringGreaterThan', ['A', 'A '], false],
    ['StringGreaterThan', ['AB', 'A'], true],
    ['StringLessThanEquals', ['', ''], true],
    ['StringLessThanEquals', ['A', 'AB'], true],
    ['StringLessThanEquals', ['AB', 'A'], false],
    ['StringGreaterThanEquals', ['', ''], true],
    ['StringGreaterThanEquals', ['A', 'AB'], false],
    ['StringGreaterThanEquals', ['AB', 'A'], true],
    // By code point: U+FFFF sorts before U+1F600, though its UTF-16 unit 0xFFFF is above the surrogate 0xD83D.
    ['StringLessThan', ['\uffff', '\u{1f600}'], true],
    ['StringGreaterThan', ['\u{1f600}', '\uffff'], true],
  ];
  it.each(cases)('%s %j is %s, with a literal and with a Path', (operator, [left, right], expected) => {
    expect(holds(operator, left, right)).toBe(expected);
    expect(holdsPath(operator, left, right)).toBe(expected);
  });

  it.each(['StringEquals', 'StringLessThan', 'StringGreaterThanEquals'])(
    '%s is false when a side is not a string',
    (op) => {
      for (const value of [null, 0, 1.1, true, [], ['a'], { A: 'a' }]) {
        expect(holds(op, value, 'a')).toBe(false);
        expect(holdsPath(op, 'a', value)).toBe(false);
      }
    },
  );
});

describe('StringMatches', () => {
  it.each([
    ['foo*.log', 'foo23.log', true],
    ['*.log', 'zebra.log', true],
    ['foo*.*', 'foobar.zebra', true],
    ['*', '', true],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['log-*-2024', 'log--2024', true],
    ['a?c', 'abc', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'aXb', false],
    ['a\\\\b', 'a\\b', true],
    ['a\\\\*', 'a\\anything', true],
  ])('pattern %j against %j is %s', (pattern, value, expected) => {
    expect(holds('StringMatches', value, pattern)).toBe(expected);
  });

  it('is false for a non-string Variable', () => {
    expect(holds('StringMatches', 12, '*')).toBe(false);
  });

  it('fails with States.Runtime on an open escape', () => {
    const error = statesError(() => holds('StringMatches', 'ab', 'a\\b'));
    expect(error.toFailure()).toEqual({
      error: 'States.Runtime',
      cause: "StringMatches pattern 'a\\b' has an open escape at position 1: only \\* and \\\\ are escapes",
    });
  });
});

describe('numeric comparisons', () => {
  const cases: [string, [number, number], boolean][] = [
    ['NumericEquals', [-0, 0], true],
    ['NumericEquals', [1, 1.0], true],
    ['NumericEquals', [2.22, 2.22], true],
    ['NumericEquals', [1.1, 1], false],
    ['NumericLessThan', [0, 1], true],
    ['NumericLessThan', [1, 1], false],
    ['NumericGreaterThan', [1, 0], true],
    ['NumericGreaterThan', [1, 1], false],
    ['NumericLessThanEquals', [1, 1], true],
    ['NumericLessThanEquals', [1, 0], false],
    ['NumericGreaterThanEquals', [1, 1], true],
    ['NumericGreaterThanEquals', [0, 1], false],
  ];
  it.each(cases)('%s %j is %s, with a literal and with a Path', (operator, [left, right], expected) => {
    expect(holds(operator, left, right)).toBe(expected);
    expect(holdsPath(operator, left, right)).toBe(expected);
  });

  it('is false, as on AWS, when either side is not a number', () => {
    for (const value of [null, '', ' ', '1', [], [''], {}, { A: 0 }, false, true]) {
      expect(holds('NumericEquals', value, 1)).toBe(false);
      expect(holds('NumericEquals', value, 0)).toBe(false);
      expect(holdsPath('NumericLessThan', 0, value)).toBe(false);
    }
  });
});

describe('BooleanEquals', () => {
  it('matches booleans by value, with a literal and with a Path', () => {
    expect(holds('BooleanEquals', true, true)).toBe(true);
    expect(holds('BooleanEquals', false, true)).toBe(false);
    expect(holdsPath('BooleanEquals', false, false)).toBe(true);
    expect(holdsPath('BooleanEquals', true, false)).toBe(false);
  });

  it('is false when either side is not a boolean', () => {
    for (const value of [null, 0, 1, 'true', [], {}]) {
      expect(holds('BooleanEquals', value, true)).toBe(false);
      expect(holdsPath('BooleanEquals', true, value)).toBe(false);
    }
  });
});

describe('timestamp comparisons', () => {
  const T0 = '2012-10-09T19:00:55Z';
  const T1 = '2012-10-09T19:00:56Z';
  const cases: [string, [string, string], boolean][] = [
    ['TimestampEquals', [T0, T0], true],
    ['TimestampEquals', [T0, T1], false],
    ['TimestampLessThan', [T0, T1], true],
    ['TimestampLessThan', [T1, T0], false],
    ['TimestampGreaterThan', [T1, T0], true],
    ['TimestampGreaterThan', [T0, T0], false],
    ['TimestampLessThanEquals', [T0, T0], true],
    ['TimestampLessThanEquals', [T1, T0], false],
    ['TimestampGreaterThanEquals', [T0, T0], true],
    ['TimestampGreaterThanEquals', [T0, T1], false],
    // Compared as instants: offsets and fractional seconds count.
    ['TimestampEquals', ['2012-10-09T20:00:55+01:00', T0], true],
    ['TimestampEquals', ['2012-10-09T19:00:55.100Z', '2012-10-09T19:00:55.1Z'], true],
    ['TimestampGreaterThan', ['2012-10-09T19:00:55.000000001Z', T0], true],
    ['TimestampLessThan', ['2012-10-09T22:59:59-05:00', '2012-10-10T04:00:00Z'], true],
    ['TimestampGreaterThan', ['2012-10-09T23:00:00-05:00', '2012-10-10T03:59:59Z'], true],
    ['TimestampLessThan', ['0099-12-31T23:59:59Z', '0100-01-01T00:00:00Z'], true],
  ];
  it.each(cases)('%s %j is %s, with a literal and with a Path', (operator, [left, right], expected) => {
    expect(holds(operator, left, right)).toBe(expected);
    expect(holdsPath(operator, left, right)).toBe(expected);
  });

  it('is false, as on AWS, when the Variable is not a timestamp', () => {
    for (const value of [
      null,
      0,
      0.0,
      1,
      1.1,
      '',
      ' ',
      '2023-02-24 12:15:56.832957',
      [],
      [''],
      {},
      { A: 0 },
      false,
      true,
    ]) {
      expect(holds('TimestampEquals', value, T0)).toBe(false);
    }
    expect(holdsPath('TimestampEquals', T0, 'not a time')).toBe(false);
  });
});
