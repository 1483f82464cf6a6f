import {
  HASH_ALGORITHMS,
  type HashAlgorithm,
  type IntrinsicArguments,
  intrinsicFailure,
  limitedTextArg,
  objectArg,
  stringArg,
} from './intrinsics-support.js';
import { isJsonObject, type Json } from './json.js';

/** The characters a backslash escapes inside an intrinsic string literal. */
const ESCAPABLE = new Set(["'", '{', '}', '\\']);

/**
 * Splits a States.Format template at its `{}` placeholders, honouring the escapes `\{`, `\}`, `\'` and `\\`, so an
 * escaped `\{\}` stays literal text. Returns the literal pieces between placeholders (one more than placeholders).
 */
export function templatePieces(template: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    const next = template[i + 1];
    if (char === '\\' && next !== undefined && ESCAPABLE.has(next)) {
      piece += next;
      i++;
    } else if (char === '{' && next === '}') {
      pieces.push(piece);
      piece = '';
      i++;
    } else {
      piece += char;
    }
  }
  pieces.push(piece);
  return pieces;
}

/**
 * A value as States.Format prints it, which is how AWS's Java runtime prints it: strings bare, numbers, booleans and
 * null as JSON, arrays as `[a, b]` and objects as `{key=value, other=[]}` (confirmed against AWS by LocalStack's
 * recorded snapshots).
 */
export function formatValue(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isJsonObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${formatValue(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** States.Format(template, values...): the template with each `{}` replaced by the matching value. */
export function format(call: IntrinsicArguments): Json {
  const template = stringArg(call, 0);
  // A literal template keeps its escapes so that `\{\}` is not taken for a placeholder.
  const pieces = templatePieces(call.rawLiterals[0] ?? template);
  const values = call.values.slice(1);
  if (pieces.length - 1 !== values.length) {
    throw intrinsicFailure(
      call.name,
      `the template has ${pieces.length - 1} placeholder(s) {} but ${values.length} value(s) follow it`,
    );
  }
  return pieces.reduce((text, piece, i) => text + formatValue(values[i - 1]!) + piece);
}

/** States.StringToJson: the parsed JSON text; blank text gives null, as in AWS. */
export function stringToJson(call: IntrinsicArguments): Json {
  const text = stringArg(call, 0);
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text, (_key, value: unknown) => (Object.is(value, -0) ? 0 : value)) as Json;
  } catch (error) {
    throw intrinsicFailure(call.name, `argument 1 is not valid JSON (${(error as Error).message})`);
  }
}

/** States.JsonToString: compact JSON text, no spaces (`{"a":1,"b":[]}`), as AWS writes it. */
export function jsonToString(call: IntrinsicArguments): Json {
  return JSON.stringify(call.values[0] ?? null);
}

/** States.JsonMerge(left, right, false): a shallow merge where right's keys win; AWS supports no deep merge. */
export function jsonMerge(call: IntrinsicArguments): Json {
  const left = objectArg(call, 0);
  const right = objectArg(call, 1);
  const deep = call.values[2];
  if (deep !== false) {
    const got = deep === true ? 'true' : JSON.stringify(deep ?? null);
    throw intrinsicFailure(call.name, `argument 3 must be false: only shallow merging is supported (got ${got})`);
  }
  return { ...left, ...right };
}

/**
 * States.StringSplit(text, delimiters): every character of the second argument is a delimiter on its own, and empty
 * pieces are dropped (AWS: ", , ," split on "," gives [" ", " "]; ",,,," gives []).
 */
export function stringSplit(call: IntrinsicArguments): Json {
  const text = stringArg(call, 0);
  const delimiters = new Set(Array.from(stringArg(call, 1)));
  const pieces: string[] = [];
  let piece = '';
  for (const char of text) {
    if (!delimiters.has(char)) {
      piece += char;
      continue;
    }
    if (piece !== '') pieces.push(piece);
    piece = '';
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** States.Base64Encode: the Base64 of the text's UTF-8 bytes. */
export function base64Encode(call: IntrinsicArguments): Json {
  const bytes = new TextEncoder().encode(limitedTextArg(call, 0));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** States.Base64Decode: the UTF-8 text the Base64 encodes (malformed UTF-8 becomes U+FFFD, as in Java). */
export function base64Decode(call: IntrinsicArguments): Json {
  const encoded = limitedTextArg(call, 0);
  let binary: string;
  try {
    binary = atob(encoded);
  } catch {
    throw intrinsicFailure(call.name, 'argument 1 is not valid Base64');
  }
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** States.Hash(data, algorithm): the lower-case hex digest of data's UTF-8 bytes. */
export function hash(call: IntrinsicArguments): Json {
  const data = limitedTextArg(call, 0);
  const algorithm = stringArg(call, 1);
  if (!(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw intrinsicFailure(
      call.name,
      `algorithm ${JSON.stringify(algorithm)} is not supported; use one of ${HASH_ALGORITHMS.join(', ')}`,
    );
  }
  return call.env.hash(algorithm as HashAlgorithm, data);
}
