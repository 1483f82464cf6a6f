import { describe, expect, it } from 'vitest';
import { StatesError } from './errors.js';
import { evaluateIntrinsic } from './intrinsics.js';
import type { Json } from './json.js';

const env = { random: () => 0.5, hash: () => 'unused' };
const run = (expression: string, input: Json = {}) => evaluateIntrinsic(expression, input, {}, env);

function failureOf(expression: string, input: Json = {}): { error: string; cause: string } {
  try {
    run(expression, input);
  } catch (error) {
    if (error instanceof StatesError) return error.toFailure();
    throw error;
  }
  throw new Error(`${expression} did not fail`);
}

describe('States.Array', () => {
  it('returns its arguments in order, whatever their types', () => {
    expect(run("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefg' } })).toEqual([
      'Foo',
      2020,
      { random: 'abcdefg' },
      null,
    ]);
  });

  it('returns an empty array for no arguments', () => {
    expect(run('States.Array()')).toEqual([]);
  });
});

describe('States.ArrayPartition', () => {
  it('chunks the array and leaves the remainder in a shorter last chunk', () => {
    expect(run('States.ArrayPartition($.inputArray, 4)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9],
    ]);
  });

  it('gives no chunks for an empty array and one chunk when the size exceeds the length', () => {
    expect(run('States.ArrayPartition($.a, 3)', { a: [] })).toEqual([]);
    expect(run('States.ArrayPartition($.a, 5)', { a: [0, 1, 2] })).toEqual([[0, 1, 2]]);
  });

  it('fails for a chunk size that is not a positive integer', () => {
    expect(failureOf('States.ArrayPartition($.a, 0)', { a: [1] })).toEqual({
      error: 'States.IntrinsicFailure',
      cause: 'States.ArrayPartition: the chunk size must be a positive integer (got 0)',
    });
    expect(failureOf('States.ArrayPartition($.a, 1.5)', { a: [1] }).cause).toBe(
      'States.ArrayPartition: argument 2 must be an integer (got number 1.5)',
    );
  });

  it('fails when the first argument is not an array', () => {
    expect(failureOf("States.ArrayPartition('abc', 2)").cause).toBe(
      'States.ArrayPartition: argument 1 must be an array (got string "abc")',
    );
  });
});

describe('States.ArrayContains', () => {
  it('finds a value by structural equality, objects regardless of key order', () => {
    expect(run('States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: [1, 2, 3], lookingFor: 2 })).toBe(
      true,
    );
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ x: 1, y: [2] }], v: { y: [2], x: 1 } })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a: [[1, 2, 3], 2], v: [1, 2, 3] })).toBe(true);
  });

  it('returns false when the value is absent, including null in an empty array', () => {
    expect(run('States.ArrayContains($.a, null)', { a: [] })).toBe(false);
    expect(run('States.ArrayContains($.a, false)', { a: [true, 0, ''] })).toBe(false);
  });
});

describe('States.ArrayRange', () => {
  it('counts from first to last by step, including last when the step lands on it', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(0, 10, 3)')).toEqual([0, 3, 6, 9]);
    expect(run('States.ArrayRange(1, 9, 9)')).toEqual([1]);
  });

  it('counts down with a negative step and gives [] when the step points away from last', () => {
    expect(run('States.ArrayRange(9, 1, -4)')).toEqual([9, 5, 1]);
    expect(run('States.ArrayRange(1, 9, -1)')).toEqual([]);
  });

  it('allows 1000 items and fails beyond', () => {
    expect(run('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    expect(failureOf('States.ArrayRange(0, 1000, 1)')).toEqual({
      error: 'States.IntrinsicFailure',
      cause: 'States.ArrayRange: the range would hold 1001 items, more than the 1000 an array may contain',
    });
  });

  it('fails for a zero step or a non-integer bound', () => {
    expect(failureOf('States.ArrayRange(1, 9, 0)').cause).toBe(
      'States.ArrayRange: the step (argument 3) must not be 0',
    );
    expect(failureOf('States.ArrayRange(1.5, 9, 1)').cause).toBe(
      'States.ArrayRange: argument 1 must be an integer (got number 1.5)',
    );
  });
});

describe('States.ArrayGetItem', () => {
  it('returns the item at a zero-based index', () => {
    expect(
      run('States.ArrayGetItem($.inputArray, $.index)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 }),
    ).toBe(6);
  });

  it('fails for an index outside the array', () => {
    expect(failureOf('States.ArrayGetItem($.a, 3)', { a: [1, 2, 3] })).toEqual({
      error: 'States.IntrinsicFailure',
      cause: 'States.ArrayGetItem: index 3 is out of bounds for an array of 3 items (valid indexes are 0 to 2)',
    });
    expect(failureOf('States.ArrayGetItem($.a, -1)', { a: [] }).cause).toBe(
      'States.ArrayGetItem: index -1 is out of bounds for an array of 0 items (the array is empty)',
    );
  });
});

describe('States.ArrayLength', () => {
  it('returns the number of items', () => {
    expect(run('States.ArrayLength($.inputArray)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(9);
  });

  it('fails for an object', () => {
    expect(failureOf('States.ArrayLength($)', { a: 1 }).cause).toBe(
      'States.ArrayLength: argument 1 must be an array (got an object)',
    );
  });
});

describe('States.ArrayUnique', () => {
  it('drops duplicates and keeps each value where it first appears', () => {
    expect(run('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
    expect(run('States.ArrayUnique($.a)', { a: [3, 1, 3, 2, 1] })).toEqual([3, 1, 2]);
  });

  it('compares structurally across types and key orders', () => {
    const a = [null, null, true, 1, 1.0, '1', [], [], [null], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 1 }];
    expect(run('States.ArrayUnique($.a)', { a })).toEqual([
      null,
      true,
      1,
      '1',
      [],
      [null],
      { a: 1, b: 2 },
      { a: 1, b: 1 },
    ]);
  });
});
