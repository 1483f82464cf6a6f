import type { Json } from './json.js';

/**
 * The syntax tree of a JSONPath as AWS Step Functions reads it (Jayway's dialect). `descendant` is the `..` scan: the
 * segment after it is applied at every level of the tree below.
 */
export type PathSegment =
  | { kind: 'property'; name: string }
  | { kind: 'properties'; names: string[] }
  | { kind: 'index'; index: number }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'slice'; start: number | null; end: number | null }
  | { kind: 'wildcard' }
  | { kind: 'descendant' }
  | { kind: 'filter'; expr: FilterExpr };

export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A value inside a filter: a literal, or a path from the current item (`@`) or the document root (`$`). */
export type FilterOperand =
  | { kind: 'literal'; value: Json }
  | { kind: 'path'; root: '@' | '$'; segments: PathSegment[] };

export type FilterExpr =
  | { kind: 'or' | 'and'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'test'; operand: FilterOperand }
  | { kind: 'compare'; op: CompareOperator; left: FilterOperand; right: FilterOperand };

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER = /-?\d+/y;
const OPERATORS: readonly CompareOperator[] = ['==', '!=', '<=', '>=', '<', '>'];
/** Characters that end a dot-notation name: outside filters Jayway stops at `.`, `[` and blanks; inside, also at operators. */
const NAME_END = new Set(['.', '[', ']', '(', ')', ' ', '\t', '\n', '\r']);
const FILTER_NAME_END = new Set([...NAME_END, '=', '!', '<', '>', '&', '|', ',']);

/** A recursive-descent reader over one path string; every error names the path, the position and what was expected. */
class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(expected: string): never {
    const found = this.pos < this.text.length ? `'${this.text[this.pos]}'` : 'the end';
    throw new Error(`Invalid JSONPath '${this.text}': expected ${expected} at position ${this.pos}, found ${found}`);
  }
  peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }
  eat(token: string): boolean {
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }
  expect(token: string): void {
    if (!this.eat(token)) this.fail(`'${token}'`);
  }
  skipBlanks(): void {
    while (this.peek() === ' ') this.pos++;
  }
  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text)?.[0];
    if (found !== undefined) this.pos += found.length;
    return found;
  }
}

/** Parses a whole path (`$...`, or `$$...` for the context object). Throws a plain Error on bad syntax. */
export function parsePathSyntax(path: string): PathSegment[] {
  const reader = new Reader(path);
  if (!reader.eat('$')) reader.fail("'$' to start the path");
  reader.eat('$');
  const segments = readSegments(reader, NAME_END);
  if (reader.pos < path.length) reader.fail("'.' or '['");
  return segments;
}

function readSegments(reader: Reader, nameEnd: ReadonlySet<string>): PathSegment[] {
  const segments: PathSegment[] = [];
  for (;;) {
    if (reader.eat('..')) {
      segments.push({ kind: 'descendant' });
      if (reader.peek() === '[') segments.push(readBracket(reader));
      else
        segments.push(reader.eat('*') ? { kind: 'wildcard' } : { kind: 'property', name: readName(reader, nameEnd) });
    } else if (reader.eat('.')) {
      segments.push(reader.eat('*') ? { kind: 'wildcard' } : { kind: 'property', name: readName(reader, nameEnd) });
    } else if (reader.peek() === '[') {
      segments.push(readBracket(reader));
    } else {
      return segments;
    }
  }
}

function readName(reader: Reader, nameEnd: ReadonlySet<string>): string {
  const start = reader.pos;
  while (reader.pos < reader.text.length && !nameEnd.has(reader.text[reader.pos]!)) reader.pos++;
  if (reader.pos === start) reader.fail('a property name');
  return reader.text.slice(start, reader.pos);
}

function readBracket(reader: Reader): PathSegment {
  reader.expect('[');
  reader.skipBlanks();
  let segment: PathSegment;
  if (reader.eat('*')) {
    segment = { kind: 'wildcard' };
  } else if (reader.eat('?')) {
    reader.skipBlanks();
    reader.expect('(');
    const expr = readOr(reader);
    reader.skipBlanks();
    reader.expect(')');
    segment = { kind: 'filter', expr };
  } else if (reader.peek() === "'" || reader.peek() === '"') {
    const names = [readQuoted(reader)];
    while (readComma(reader)) names.push(readQuoted(reader));
    segment = names.length === 1 ? { kind: 'property', name: names[0]! } : { kind: 'properties', names };
  } else {
    segment = readIndexes(reader);
  }
  reader.skipBlanks();
  reader.expect(']');
  return segment;
}

function readComma(reader: Reader): boolean {
  reader.skipBlanks();
  if (!reader.eat(',')) return false;
  reader.skipBlanks();
  return true;
}

function readQuoted(reader: Reader): string {
  const quote = reader.peek();
  if (quote !== "'" && quote !== '"') reader.fail('a quoted name');
  reader.pos++;
  let value = '';
  for (;;) {
    const char = reader.peek();
    if (char === undefined) reader.fail(`a closing ${quote}`);
    reader.pos++;
    if (char === quote) return value;
    if (char === '\\') {
      const escaped = reader.peek();
      if (escaped === undefined) reader.fail('an escaped character');
      reader.pos++;
      value += escaped;
    } else {
      value += char;
    }
  }
}

function readInteger(reader: Reader): number | null {
  const digits = reader.match(INTEGER);
  return digits === undefined ? null : Number(digits);
}

/** `[0]`, `[-1]`, `[0,2]`, `[1:3]`, `[:2]`, `[-2:]`. */
function readIndexes(reader: Reader): PathSegment {
  const first = readInteger(reader);
  reader.skipBlanks();
  if (reader.eat(':')) {
    reader.skipBlanks();
    return { kind: 'slice', start: first, end: readInteger(reader) };
  }
  if (first === null) reader.fail("an index, a slice, '*', '?(' or a quoted name");
  const indexes = [first];
  while (readComma(reader)) {
    const next = readInteger(reader);
    if (next === null) reader.fail('an index');
    indexes.push(next);
  }
  return indexes.length === 1 ? { kind: 'index', index: first } : { kind: 'indexes', indexes };
}

function readOr(reader: Reader): FilterExpr {
  let left = readAnd(reader);
  for (reader.skipBlanks(); reader.eat('||'); reader.skipBlanks()) left = { kind: 'or', left, right: readAnd(reader) };
  return left;
}

function readAnd(reader: Reader): FilterExpr {
  let left = readUnary(reader);
  for (reader.skipBlanks(); reader.eat('&&'); reader.skipBlanks())
    left = { kind: 'and', left, right: readUnary(reader) };
  return left;
}

function readUnary(reader: Reader): FilterExpr {
  reader.skipBlanks();
  if (reader.peek() === '!' && reader.peek(1) !== '=') {
    reader.pos++;
    return { kind: 'not', expr: readUnary(reader) };
  }
  if (reader.eat('(')) {
    const inner = readOr(reader);
    reader.skipBlanks();
    reader.expect(')');
    return inner;
  }
  const left = readOperand(reader);
  reader.skipBlanks();
  const op = OPERATORS.find((candidate) => reader.eat(candidate));
  if (op === undefined) return { kind: 'test', operand: left };
  reader.skipBlanks();
  return { kind: 'compare', op, left, right: readOperand(reader) };
}

function readOperand(reader: Reader): FilterOperand {
  const char = reader.peek();
  if (char === '@' || char === '$') {
    reader.pos++;
    return { kind: 'path', root: char, segments: readSegments(reader, FILTER_NAME_END) };
  }
  if (char === "'" || char === '"') return { kind: 'literal', value: readQuoted(reader) };
  for (const [word, value] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (reader.eat(word)) return { kind: 'literal', value };
  }
  const number = reader.match(NUMBER);
  if (number === undefined) reader.fail("'@', '$', a string, a number, true, false or null");
  return { kind: 'literal', value: Number(number) };
}
