// biome-ignore lint/correctness/noNodejsModules: the test plays the runtime, which injects crypto-backed hashing.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StatesError } from './errors.js';
import { evaluateIntrinsic, type HashAlgorithm, type IntrinsicEnv, isIntrinsic, parseIntrinsic } from './intrinsics.js';
import { JavaRandom } from './intrinsics-math.js';
import type { Json } from './json.js';

const NODE_HASHES: Record<HashAlgorithm, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function envWith(randoms: readonly number[] = [0.5]): IntrinsicEnv {
  let next = 0;
  return {
    random: () => randoms[next++ % randoms.length]!,
    hash: (algorithm, data) => createHash(NODE_HASHES[algorithm]).update(data, 'utf8').digest('hex'),
  };
}

const run = (expression: string, input: Json = {}, context: Json = {}, env = envWith()) =>
  evaluateIntrinsic(expression, input, context, env);

function failureOf(expression: string, input: Json = {}): { error: string; cause: string } {
  try {
    run(expression, input);
  } catch (error) {
    if (error instanceof StatesError) return error.toFailure();
    throw error;
  }
  throw new Error(`${expression} did not fail`);
}

describe('parseIntrinsic', () => {
  it('reads nested calls, escaped strings, numbers, keywords and input and context paths', () => {
    const call = parseIntrinsic("States.Array('it\\'s \\{\\} {}', States.MathAdd(-1, 2.5e1), null, true, $.a, $$.b)");
    expect(call.name).toBe('States.Array');
    expect(call.args).toEqual([
      { kind: 'string', value: "it's {} {}", raw: "it\\'s \\{\\} {}" },
      {
        kind: 'call',
        call: {
          name: 'States.MathAdd',
          args: [
            { kind: 'literal', value: -1 },
            { kind: 'literal', value: 25 },
          ],
        },
      },
      { kind: 'literal', value: null },
      { kind: 'literal', value: true },
      { kind: 'path', path: '$.a', source: 'input' },
      { kind: 'path', path: '$$.b', source: 'context' },
    ]);
  });

  it('reads a path with brackets, quotes and commas inside a filter as one argument', () => {
    const call = parseIntrinsic("States.Array($.items[?(@.tag == 'a,b')].id, $['x y'])");
    expect(call.args.map((arg) => (arg.kind === 'path' ? arg.path : arg.kind))).toEqual([
      "$.items[?(@.tag == 'a,b')].id",
      "$['x y']",
    ]);
  });

  it.each([
    ['States.Nope(1)', 'States.Nope is not an intrinsic function; known ones are States.Format'],
    ['States.ArrayLength()', 'States.ArrayLength takes exactly 1 argument but is given 0'],
    ['States.MathRandom(1)', 'States.MathRandom takes 2 to 3 arguments but is given 1'],
    ["States.Format('{} {}', 1)", 'the States.Format template has 2 placeholder(s) {} but 1 value(s) follow it'],
    ['States.JsonMerge($.a, $.b, true)', 'the third argument of States.JsonMerge must be false'],
    ["States.Format('a\\nb')", 'expected one of'],
    ["States.Format('abc)", "expected a closing ' for the string that opens at position 14"],
    ['States.Array(1,)', 'expected an argument'],
    ['States.Array(1 2)', "expected ',' or ')' after argument 1 of States.Array at position 15, found '2'"],
    ['States.Array($.a[)', "Invalid JSONPath '$.a[)': expected an index"],
    ['States.UUID() x', 'expected the end of the expression at position 14'],
    ['States.Array', "expected '(' after States.Array at position 12, found the end"],
  ])('rejects %s with a message naming the problem', (expression, message) => {
    expect(() => parseIntrinsic(expression)).toThrow(message);
  });

  it('allows 10 levels of nesting and rejects 11', () => {
    const nest = (depth: number): string => (depth === 1 ? 'States.Array()' : `States.Array(${nest(depth - 1)})`);
    expect(() => parseIntrinsic(nest(10))).not.toThrow();
    expect(() => parseIntrinsic(nest(11))).toThrow('calls nest more than 10 deep');
  });
});

describe('isIntrinsic', () => {
  it('tells intrinsic calls from paths', () => {
    expect(isIntrinsic('States.UUID()')).toBe(true);
    expect(isIntrinsic('States.Nope')).toBe(true);
    expect(isIntrinsic('$.States')).toBe(false);
  });
});

describe('evaluateIntrinsic', () => {
  it('evaluates nested calls and reads $$ paths from the context object', () => {
    const context = { StateMachine: { Name: 'train-model-v2' } };
    const expression =
      "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))";
    expect(run(expression, {}, context)).toBe('v2');
  });

  it('fails with States.Runtime when an argument path selects nothing', () => {
    expect(failureOf('States.ArrayLength($.missing)', { a: 1 })).toEqual({
      error: 'States.Runtime',
      cause: "Invalid path '$.missing' : No results for path: $['missing']",
    });
  });

  it('fails with States.IntrinsicFailure for an expression that does not parse', () => {
    expect(failureOf('States.Nope()').error).toBe('States.IntrinsicFailure');
  });
});

describe('States.Format', () => {
  it('prints strings bare, scalars as JSON, arrays as [a, b] and objects as {key=value} like AWS', () => {
    const input = { s: 'HelloWorld', n: 1.1, z: null, b: false, o: { Arg1: 1, Arg2: [] }, a: ['x', 2, { k: 'v' }] };
    expect(run("States.Format('{} {} {} {} {} {}', $.s, $.n, $.z, $.b, $.o, $.a)", input)).toBe(
      'HelloWorld 1.1 null false {Arg1=1, Arg2=[]} [x, 2, {k=v}]',
    );
  });

  it('keeps escaped braces literal and takes the template from a path', () => {
    expect(run("States.Format('\\{\\} {}', 'x')")).toBe('{} x');
    expect(run('States.Format($.template, $.name)', { template: 'Hello, my name is {}.', name: 'Arnav' })).toBe(
      'Hello, my name is Arnav.',
    );
  });

  it('fails when a template from a path has a different number of placeholders', () => {
    expect(failureOf('States.Format($.t, 1)', { t: 'no placeholders' })).toEqual({
      error: 'States.IntrinsicFailure',
      cause: 'States.Format: the template has 0 placeholder(s) {} but 1 value(s) follow it',
    });
  });
});

describe('States.StringToJson and States.JsonToString', () => {
  it('parses JSON text, giving null for blank text and 0 for -0 as AWS does', () => {
    expect(run('States.StringToJson($.s)', { s: '{"Arg1": 1, "Arg2": []}' })).toEqual({ Arg1: 1, Arg2: [] });
    expect(run('States.StringToJson($.s)', { s: ' ' })).toBeNull();
    expect(Object.is(run("States.StringToJson('-0')"), 0)).toBe(true);
    expect(failureOf("States.StringToJson('{oops')").cause).toMatch(
      /^States.StringToJson: argument 1 is not valid JSON/,
    );
  });

  it('writes compact JSON with no spaces', () => {
    expect(run('States.JsonToString($.j)', { j: { Arg1: 1, Arg2: [] } })).toBe('{"Arg1":1,"Arg2":[]}');
    expect(run('States.JsonToString($.j)', { j: [1, 2, 'HelloWorld'] })).toBe('[1,2,"HelloWorld"]');
    expect(run('States.JsonToString($.j)', { j: 'HelloWorld' })).toBe('"HelloWorld"');
  });
});

describe('States.JsonMerge', () => {
  it('merges shallowly: the second object wins and nested objects are not merged', () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(run('States.JsonMerge($.json1, $.json2, false)', input)).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3 });
  });

  it('fails when the deep flag from a path is not false', () => {
    expect(failureOf('States.JsonMerge($.a, $.a, $.deep)', { a: {}, deep: true }).cause).toBe(
      'States.JsonMerge: argument 3 must be false: only shallow merging is supported (got true)',
    );
  });
});

describe('States.StringSplit', () => {
  it('treats each character of the second argument as a delimiter and drops empty pieces', () => {
    expect(run('States.StringSplit($.s, $.d)', { s: 'This.is+a,test=string', d: '.+,=' })).toEqual([
      'This',
      'is',
      'a',
      'test',
      'string',
    ]);
    expect(run("States.StringSplit(', , ,', ',')")).toEqual([' ', ' ']);
    expect(run("States.StringSplit(',,,,', ',')")).toEqual([]);
  });
});

describe('States.Base64Encode and States.Base64Decode', () => {
  it('round-trips UTF-8 text', () => {
    expect(run("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Encode('héllo ✓ 😀')")).toBe('aMOpbGxvIOKckyDwn5iA');
    expect(run("States.Base64Decode('aMOpbGxvIOKckyDwn5iA')")).toBe('héllo ✓ 😀');
  });

  it('fails for input over 10,000 characters and for text that is not Base64', () => {
    expect(failureOf('States.Base64Encode($.s)', { s: 'x'.repeat(10_001) })).toEqual({
      error: 'States.IntrinsicFailure',
      cause: 'States.Base64Encode: argument 1 must be at most 10000 characters (got 10001)',
    });
    expect(run('States.Base64Encode($.s)', { s: 'x'.repeat(10_000) })).toHaveLength(13_336);
    expect(failureOf("States.Base64Decode('***')").cause).toBe('States.Base64Decode: argument 1 is not valid Base64');
  });
});

describe('States.Hash', () => {
  it('returns the lower-case hex digest for each AWS algorithm', () => {
    expect(run('States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: 'SHA-1' })).toBe(
      'aaff4a450a104cd177d28d18d74485e8cae074b7',
    );
    expect(run("States.Hash('héllo', 'MD5')")).toBe('be50e8478cf24ff3595bc7307fb91b50');
    expect(run("States.Hash('héllo', 'SHA-256')")).toBe(
      '3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179',
    );
  });

  it('fails for an unknown algorithm', () => {
    expect(failureOf("States.Hash('x', 'SHA-3')").cause).toBe(
      'States.Hash: algorithm "SHA-3" is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512',
    );
  });
});

describe('States.MathAdd', () => {
  it('adds after rounding each argument as Java does (halves towards +infinity)', () => {
    expect(run('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
    expect(run('States.MathAdd(1.49, 1.5)')).toBe(3);
    expect(run('States.MathAdd(-1.49, -1.5)')).toBe(-2);
    expect(run('States.MathAdd(-0.5, 0.5)')).toBe(1);
    expect(Object.is(run('States.MathAdd(-0.5, 0)'), 0)).toBe(true);
  });

  it('fails for a non-number', () => {
    expect(failureOf("States.MathAdd('1', 2)").cause).toBe(
      'States.MathAdd: argument 1 must be a number (got string "1")',
    );
  });
});

describe('States.MathRandom', () => {
  it('draws start <= n < end from the injected source', () => {
    expect(run('States.MathRandom(1, 999)', {}, {}, envWith([0]))).toBe(1);
    expect(run('States.MathRandom(1, 999)', {}, {}, envWith([0.999999]))).toBe(998);
    expect(run('States.MathRandom(12.5, 44.51)', {}, {}, envWith([0]))).toBe(13);
  });

  it('is deterministic with a seed, matching java.util.Random', () => {
    expect(run('States.MathRandom(0, 999, 3)', {}, {}, envWith([0]))).toBe(239);
    expect(run('States.MathRandom(0, 999, 3)', {}, {}, envWith([0.9]))).toBe(239);
    expect(new JavaRandom(42).nextInt(10)).toBe(0);
    expect(new JavaRandom(-7).nextInt(2 ** 20)).toBe(282194);
    expect(new JavaRandom(123456789).nextInt(2147483647)).toBe(1426010965);
  });

  it('fails when end is not above start', () => {
    expect(failureOf('States.MathRandom(5, 5)').cause).toBe(
      'States.MathRandom: the end (5) must be greater than the start (5)',
    );
  });
});

describe('States.UUID', () => {
  it('returns a version 4 UUID built from the injected source', () => {
    expect(run('States.UUID()', {}, {}, envWith([0]))).toBe('00000000-0000-4000-8000-000000000000');
    const id = run('States.UUID()', {}, {}, envWith([0.13, 0.77, 0.42, 0.99]));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
