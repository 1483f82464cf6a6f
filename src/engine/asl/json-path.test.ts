import { describe, expect, it } from 'vitest';
import type { Json } from './json.js';
import { evaluatePath, setReferencePath, tryEvaluatePath } from './json-path.js';
import { statesError } from './testing.js';

const store: Json = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword', price: 12.99, isbn: '0-553' },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', price: 8.99, isbn: '0-679', used: false },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord', price: 22.99, used: true },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  limit: 10,
};

const value = (path: string, data: Json = store): Json => {
  const result = tryEvaluatePath(path, data);
  if (!result.found) throw new Error(`${path} found nothing`);
  return result.value;
};

describe('definite paths', () => {
  it('selects the whole input with $', () => {
    expect(value('$')).toBe(store);
  });

  it('follows dot and bracket names, single or double quoted, with escapes', () => {
    const data = { a: { 'b c': { "it's": { 'say "x"': 1 } } } };
    expect(value('$.store.bicycle.color')).toBe('red');
    expect(value("$['store']['bicycle']['price']")).toBe(19.95);
    expect(value(`$.a['b c']["it's"]['say "x"']`, data)).toBe(1);
    expect(value("$['it\\'s']", { "it's": 2 })).toBe(2);
  });

  it('reads dot names with dashes, digits and colons as Jayway does', () => {
    expect(value('$.a-b.1x.c:d', { 'a-b': { '1x': { 'c:d': 3 } } })).toBe(3);
  });

  it('indexes arrays from the start and, with a negative index, from the end', () => {
    expect(value('$.store.book[0].title')).toBe('Sayings');
    expect(value('$.store.book[-1].title')).toBe('The Lord');
  });

  it('returns null values as found, and reports absent ones as not found', () => {
    expect(tryEvaluatePath('$.a', { a: null })).toEqual({ found: true, value: null });
    expect(tryEvaluatePath('$.b', { a: null })).toEqual({ found: false });
    expect(tryEvaluatePath('$.a.b', { a: 'text' })).toEqual({ found: false });
    expect(tryEvaluatePath('$[5]', [1, 2])).toEqual({ found: false });
    expect(tryEvaluatePath('$.length', [1, 2])).toEqual({ found: false });
  });

  it('never reads inherited properties such as constructor or __proto__', () => {
    expect(tryEvaluatePath('$.constructor', {})).toEqual({ found: false });
    expect(tryEvaluatePath('$.__proto__', {})).toEqual({ found: false });
  });

  it('reads $$ paths against whatever data it is given (the caller passes the context object)', () => {
    expect(value('$$.Execution.Id', { Execution: { Id: 'e-1' } })).toBe('e-1');
  });
});

describe('indefinite paths', () => {
  it('gives an array of wildcard matches over arrays and objects', () => {
    expect(value('$.store.book[*].author')).toEqual([
      'Nigel Rees',
      'Evelyn Waugh',
      'Herman Melville',
      'J. R. R. Tolkien',
    ]);
    expect(value('$.store.bicycle.*')).toEqual(['red', 19.95]);
    expect(value('$.store.bicycle[*]')).toEqual(['red', 19.95]);
  });

  it('slices with Jayway bounds', () => {
    const data = [0, 1, 2, 3, 4];
    expect(value('$[1:3]', data)).toEqual([1, 2]);
    expect(value('$[:2]', data)).toEqual([0, 1]);
    expect(value('$[3:]', data)).toEqual([3, 4]);
    expect(value('$[-2:]', data)).toEqual([3, 4]);
    expect(value('$[1:-1]', data)).toEqual([1, 2, 3]);
    expect(value('$[2:99]', data)).toEqual([2, 3, 4]);
  });

  it('unions indexes, skipping those out of range', () => {
    expect(value('$.store.book[0,2,9].title')).toEqual(['Sayings', 'Moby Dick']);
  });

  it('merges a trailing name union into one object, and lists a name union followed by more steps', () => {
    expect(value("$.store.bicycle['color','price','gears']")).toEqual({ color: 'red', price: 19.95 });
    expect(value("$['a','b'].x", { a: { x: 1 }, b: { x: null }, c: { x: 3 } })).toEqual([1, null]);
  });

  it('scans recursively in document order, parents before children', () => {
    expect(value('$..price')).toEqual([8.95, 12.99, 8.99, 22.99, 19.95]);
    expect(value('$..[0]', { a: [1, [2, 3]], b: { c: [4] } })).toEqual([1, 2, 4]);
    expect(value('$..*', { a: { b: 1 }, c: [2] })).toEqual([{ b: 1 }, [2], 1, 2]);
  });

  it('gives an empty array, still found, when nothing matches', () => {
    expect(tryEvaluatePath('$.nothing[*]', store)).toEqual({ found: true, value: [] });
    expect(tryEvaluatePath('$..nothing', store)).toEqual({ found: true, value: [] });
  });

  it('keeps array values whole instead of flattening them', () => {
    expect(value('$[0,1]', [[1], [2]])).toEqual([[1], [2]]);
  });
});

describe('filters', () => {
  const titles = (filter: string): Json => value(`$.store.book[?(${filter})].title`);

  it('compares numbers with <, <=, >, >=, == and !=', () => {
    expect(titles('@.price < 10')).toEqual(['Sayings', 'Moby Dick']);
    expect(titles('@.price <= 8.95')).toEqual(['Sayings']);
    expect(titles('@.price > 20')).toEqual(['The Lord']);
    expect(titles('@.price >= 12.99')).toEqual(['Sword', 'The Lord']);
    expect(titles('@.price == 8.99')).toEqual(['Moby Dick']);
    expect(titles('@.price != 8.99')).toEqual(['Sayings', 'Sword', 'The Lord']);
  });

  it('compares strings in either quote style, and orders them', () => {
    expect(titles("@.category == 'reference'")).toEqual(['Sayings']);
    expect(titles('@.author == "Herman Melville"')).toEqual(['Moby Dick']);
    expect(titles("@.title < 'S'")).toEqual(['Moby Dick']);
  });

  it('compares booleans and null literals, and treats a missing field as unequal', () => {
    expect(titles('@.used == true')).toEqual(['The Lord']);
    expect(titles('@.used == false')).toEqual(['Moby Dick']);
    expect(titles('@.used != true')).toEqual(['Sayings', 'Sword', 'Moby Dick']);
    expect(value('$[?(@.a == null)].id', [{ id: 1, a: null }, { id: 2 }, { id: 3, a: 0 }])).toEqual([1]);
  });

  it('tests existence with a bare path (even for false values) and absence with !', () => {
    expect(titles('@.isbn')).toEqual(['Sword', 'Moby Dick']);
    expect(titles('@.used')).toEqual(['Moby Dick', 'The Lord']);
    expect(titles('!@.isbn')).toEqual(['Sayings', 'The Lord']);
  });

  it('combines with && and ||, && binding tighter, and groups with parentheses', () => {
    expect(titles("@.category == 'fiction' && @.price < 10")).toEqual(['Moby Dick']);
    expect(titles('@.price < 9 || @.price > 20')).toEqual(['Sayings', 'Moby Dick', 'The Lord']);
    expect(titles("@.price > 20 || @.price < 9 && @.category == 'fiction'")).toEqual(['Moby Dick', 'The Lord']);
    expect(titles("(@.price > 20 || @.price < 9) && @.category == 'fiction'")).toEqual(['Moby Dick', 'The Lord']);
  });

  it('compares against the document root with $', () => {
    expect(titles('@.price < $.limit')).toEqual(['Sayings', 'Moby Dick']);
  });

  it('is false, not an error, for mismatched types', () => {
    expect(titles("@.price < '10'")).toEqual([]);
    expect(titles("@.price == '8.95'")).toEqual([]);
  });

  it('applied to an object, keeps the object when it matches', () => {
    expect(value('$.store.bicycle[?(@.color)].price')).toEqual([19.95]);
    expect(value("$.store.bicycle[?(@.color == 'blue')]")).toEqual([]);
  });

  it('accepts operators without surrounding blanks', () => {
    expect(titles('@.price<9&&@.isbn')).toEqual(['Moby Dick']);
  });
});

describe('evaluatePath', () => {
  it('returns what the path selects', () => {
    expect(evaluatePath('$.store.bicycle.color', store, 'InputPath')).toBe('red');
  });

  it.each([
    ['$.missing', { a: 1 }, "Invalid path '$.missing' : No results for path: $['missing']"],
    ['$.a.b', { a: {} }, "Invalid path '$.a.b' : No results for path: $['a']['b']"],
    ['$.a.b.c', { a: {} }, "Invalid path '$.a.b.c' : Missing property in path $['a']['b']"],
    ['$.a[3]', { a: [1] }, "Invalid path '$.a[3]' : No results for path: $['a'][3]"],
    ['$.a[0]', { a: null }, "Invalid path '$.a[0]' : The path $['a'] is null"],
    ['$.a[0]', { a: 5 }, "Invalid path '$.a[0]' : Filter: [0] can only be applied to arrays. Current context is: 5"],
    [
      '$.a.b',
      { a: 'x' },
      "Invalid path '$.a.b' : Expected to find an object with property ['b'] in path $['a'] but found 'string'",
    ],
  ])('fails %s on %j with States.Runtime worded as AWS (Jayway) words it', (path, data, cause) => {
    const error = statesError(() => evaluatePath(path, data, 'InputPath'));
    expect(error.toFailure()).toEqual({ error: 'States.Runtime', cause });
  });

  it("uses the Choice state's wording for Choice fields", () => {
    const error = statesError(() => evaluatePath('$.x', {}, 'Variable'));
    expect(error.toFailure()).toEqual({
      error: 'States.Runtime',
      cause: "Invalid path '$.x': The choice state's condition path references an invalid value.",
    });
    expect(statesError(() => evaluatePath('$.y', {}, 'NumericEqualsPath')).causeText).toContain('choice state');
    expect(statesError(() => evaluatePath('$.y', {}, 'TimestampGreaterThanEqualsPath')).causeText).toContain('choice');
  });

  it.each(['TimestampPath', 'SecondsPath', 'ItemsPath', 'TimeoutSecondsPath', 'OutputPath'])(
    'uses the InputPath wording for the %s field',
    (what) => {
      expect(statesError(() => evaluatePath('$.y', {}, what)).causeText).toBe(
        "Invalid path '$.y' : No results for path: $['y']",
      );
    },
  );

  it('never fails for an indefinite path', () => {
    expect(evaluatePath('$.a[*]', {}, 'InputPath')).toEqual([]);
  });
});

describe('setReferencePath', () => {
  it('replaces the whole input with $', () => {
    expect(setReferencePath({ a: 1 }, '$', [1, 2])).toEqual([1, 2]);
  });

  it('sets a field, creating missing objects on the way, and keeps the rest', () => {
    expect(setReferencePath({ a: 1 }, '$.b.c', 'x')).toEqual({ a: 1, b: { c: 'x' } });
    expect(setReferencePath({ a: { z: 0 } }, "$['a']['b']", true)).toEqual({ a: { z: 0, b: true } });
    expect(setReferencePath({ a: 1 }, '$.a', null)).toEqual({ a: null });
  });

  it('copies only along the path and never mutates the input', () => {
    const input = Object.freeze({ keep: Object.freeze({ big: [1, 2, 3] }), into: Object.freeze({ x: 1 }) });
    const output = setReferencePath(input, '$.into.y', 2) as { keep: unknown; into: unknown };
    expect(output).toEqual({ keep: { big: [1, 2, 3] }, into: { x: 1, y: 2 } });
    expect(output.keep).toBe(input.keep);
    expect(input.into).toEqual({ x: 1 });
  });

  it('replaces an existing array element by index', () => {
    const input = { list: [{ v: 1 }, { v: 2 }] };
    expect(setReferencePath(input, '$.list[1].v', 9)).toEqual({ list: [{ v: 1 }, { v: 9 }] });
    expect(setReferencePath(input, '$.list[-1]', 'last')).toEqual({ list: [{ v: 1 }, 'last'] });
    expect(input.list[1]).toEqual({ v: 2 });
  });

  it.each([
    ['$.a.b', { a: 'text' }, 'Unable to apply ReferencePath $.a.b to input {"a":"text"}'],
    ['$.result', 'a string', 'Unable to apply ReferencePath $.result to input "a string"'],
    ['$.a.b', { a: null }, 'Unable to apply ReferencePath $.a.b to input {"a":null}'],
    ['$.a.b', { a: [1] }, 'Unable to apply ReferencePath $.a.b to input {"a":[1]}'],
    ['$.a[2]', { a: [1] }, 'Unable to apply ReferencePath $.a[2] to input {"a":[1]}'],
    ['$.a[0]', { a: {} }, 'Unable to apply ReferencePath $.a[0] to input {"a":{}}'],
  ])('fails %s on %j with States.ResultPathMatchFailure', (path, input, cause) => {
    const error = statesError(() => setReferencePath(input, path, 1));
    expect(error.toFailure()).toEqual({ error: 'States.ResultPathMatchFailure', cause });
  });

  it('rejects a path that is not a Reference Path', () => {
    expect(() => setReferencePath({}, '$.a[*]', 1)).toThrow(/must be a Reference Path/);
  });

  it('sets a __proto__ key as data, not as the prototype', () => {
    const output = setReferencePath({}, "$['__proto__'].x", 1) as object;
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(JSON.stringify(output)).toBe('{"__proto__":{"x":1}}');
  });
});
