import { parsePath } from './json-path.js';

/** One argument of an intrinsic call, as written. */
export type IntrinsicArg =
  /** `'text'`: value has the escapes resolved, raw keeps them (States.Format needs to tell `\{\}` from `{}`). */
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'literal'; value: number | boolean | null }
  /** `$...` reads the state's input, `$$...` the context object. */
  | { kind: 'path'; path: string; source: 'input' | 'context' }
  | { kind: 'call'; call: IntrinsicCall };

/** A parsed intrinsic function call: `States.Name(arg, ...)`. */
export interface IntrinsicCall {
  name: string;
  args: IntrinsicArg[];
}

const NAME = /States\.[A-Za-z0-9]+/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const KEYWORD = /(?:null|true|false)(?![\w$.])/y;
const KEYWORDS: Record<string, number | boolean | null> = { null: null, true: true, false: false };
const ESCAPABLE = new Set(["'", '{', '}', '\\']);

/** A recursive-descent reader over one intrinsic expression; every error names the expression and the position. */
class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(expected: string, at = this.pos): never {
    const found = at < this.text.length ? `'${this.text[at]}'` : 'the end';
    throw new Error(
      `Invalid intrinsic function '${this.text}': expected ${expected} at position ${at}, found ${found}`,
    );
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  skipBlanks(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text)?.[0];
    if (found !== undefined) this.pos += found.length;
    return found;
  }
}

/**
 * Reads the syntax of an intrinsic call without checking names or argument counts (see parseIntrinsic). Blanks may
 * surround arguments; literals are `'strings'` (escapes `\'`, `\{`, `\}`, `\\`), numbers, true, false and null.
 */
export function parseIntrinsicSyntax(expression: string): IntrinsicCall {
  const reader = new Reader(expression);
  reader.skipBlanks();
  const call = readCall(reader);
  reader.skipBlanks();
  if (reader.pos < expression.length) reader.fail('the end of the expression');
  return call;
}

function readCall(reader: Reader): IntrinsicCall {
  const name = reader.match(NAME);
  if (name === undefined) reader.fail("a function name such as 'States.Format'");
  if (reader.peek() !== '(') reader.fail(`'(' after ${name}`);
  reader.pos++;
  const args: IntrinsicArg[] = [];
  reader.skipBlanks();
  if (reader.peek() === ')') {
    reader.pos++;
    return { name, args };
  }
  for (;;) {
    reader.skipBlanks();
    args.push(readArg(reader));
    reader.skipBlanks();
    const next = reader.peek();
    reader.pos++;
    if (next === ')') return { name, args };
    if (next !== ',') reader.fail(`',' or ')' after argument ${args.length} of ${name}`, reader.pos - 1);
  }
}

function readArg(reader: Reader): IntrinsicArg {
  const char = reader.peek();
  if (char === "'") return readString(reader);
  if (char === '$') return readPath(reader);
  if (reader.text.startsWith('States.', reader.pos)) return { kind: 'call', call: readCall(reader) };
  const number = reader.match(NUMBER);
  if (number !== undefined) return { kind: 'literal', value: Number(number) };
  const keyword = reader.match(KEYWORD);
  if (keyword !== undefined) return { kind: 'literal', value: KEYWORDS[keyword]! };
  return reader.fail("an argument ('text', a number, true, false, null, a $path or a States. call)");
}

function readString(reader: Reader): IntrinsicArg {
  const start = reader.pos;
  reader.pos++;
  let value = '';
  for (;;) {
    const char = reader.peek();
    if (char === undefined) reader.fail(`a closing ' for the string that opens at position ${start}`);
    reader.pos++;
    if (char === "'") break;
    if (char === '\\') {
      const escaped = reader.peek();
      if (escaped === undefined || !ESCAPABLE.has(escaped)) {
        reader.fail("one of \\' \\{ \\} \\\\ (a lone backslash must be written \\\\)", reader.pos - 1);
      }
      value += escaped;
      reader.pos++;
    } else {
      value += char;
    }
  }
  return { kind: 'string', value, raw: reader.text.slice(start + 1, reader.pos - 1) };
}

/** A path runs to the next `,` or `)` outside brackets and quotes; its syntax is then checked by parsePath. */
function readPath(reader: Reader): IntrinsicArg {
  const start = reader.pos;
  let depth = 0;
  let quote: string | undefined;
  for (; reader.pos < reader.text.length; reader.pos++) {
    const char = reader.text[reader.pos]!;
    if (quote !== undefined) {
      if (char === '\\') reader.pos++;
      else if (char === quote) quote = undefined;
    } else if (depth > 0 && (char === "'" || char === '"')) {
      quote = char;
    } else if (char === '[') {
      depth++;
    } else if (char === ']') {
      depth--;
    } else if (depth === 0 && (char === ',' || char === ')')) {
      break;
    }
  }
  const path = reader.text.slice(start, reader.pos).trimEnd();
  try {
    parsePath(path);
  } catch (error) {
    throw new Error(`Invalid intrinsic function '${reader.text}': ${(error as Error).message}`);
  }
  return { kind: 'path', path, source: path.startsWith('$$') ? 'context' : 'input' };
}
