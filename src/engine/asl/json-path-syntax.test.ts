import { describe, expect, it } from 'vitest';
import { isDefinitePath, parsePath } from './json-path.js';

describe('parsePath', () => {
  it('returns the cached parse for a path seen before', () => {
    expect(parsePath('$.cached.path')).toBe(parsePath('$.cached.path'));
    expect(parsePath('$.a[0]')).toEqual([
      { kind: 'property', name: 'a' },
      { kind: 'index', index: 0 },
    ]);
  });

  it.each([
    ['', "Invalid JSONPath '': expected '$' to start the path at position 0, found the end"],
    ['a.b', "Invalid JSONPath 'a.b': expected '$' to start the path at position 0, found 'a'"],
    ['$.', "Invalid JSONPath '$.': expected a property name at position 2, found the end"],
    ['$.a b', "Invalid JSONPath '$.a b': expected '.' or '[' at position 3, found ' '"],
    [
      '$[',
      "Invalid JSONPath '$[': expected an index, a slice, '*', '?(' or a quoted name at position 2, found the end",
    ],
    ["$['a", "Invalid JSONPath '$['a': expected a closing ' at position 4, found the end"],
    ['$[0', "Invalid JSONPath '$[0': expected ']' at position 3, found the end"],
    [
      '$[?(@.a <)]',
      "Invalid JSONPath '$[?(@.a <)]': expected '@', '$', a string, a number, true, false or null at position 9, found ')'",
    ],
    ['$[?(@.a]', "Invalid JSONPath '$[?(@.a]': expected ')' at position 7, found ']'"],
  ])('rejects %j with a message naming the position', (path, message) => {
    expect(() => parsePath(path)).toThrow(new Error(message));
  });
});

describe('isDefinitePath', () => {
  it.each(['$', '$.a', "$['a'].b[0]", '$.a[-1]', '$$.Execution.Id'])('accepts the Reference Path %s', (path) => {
    expect(isDefinitePath(path)).toBe(true);
  });

  it.each(['$.a[*]', '$.a.*', '$..a', '$.a[0,1]', "$['a','b']", '$.a[1:2]', '$.a[?(@.b)]'])('rejects %s', (path) => {
    expect(isDefinitePath(path)).toBe(false);
  });
});
