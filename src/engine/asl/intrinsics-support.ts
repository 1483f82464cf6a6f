import { StatesError, StatesErrors } from './errors.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';

/** Randomness and hashing for intrinsics: the pure core has neither, so the runtime injects crypto-backed ones. */
export interface IntrinsicEnv {
  /** A uniformly distributed number in [0, 1), like Math.random(). */
  random(): number;
  /** The lower-case hex digest of the UTF-8 bytes of data. */
  hash(algorithm: HashAlgorithm, data: string): string;
}

export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** AWS's limit on the text States.Base64Encode, States.Base64Decode and States.Hash accept, in UTF-16 units. */
export const MAX_INTRINSIC_TEXT = 10_000;

/** The evaluated arguments of one call, with what a function needs to word its failures. */
export interface IntrinsicArguments {
  readonly name: string;
  readonly values: readonly Json[];
  readonly env: IntrinsicEnv;
  /** The raw text (escapes kept) of each argument that was a string literal, for States.Format's template. */
  readonly rawLiterals: readonly (string | undefined)[];
}

/** The workflow failure an intrinsic raises: States.IntrinsicFailure, its cause naming the function. */
export function intrinsicFailure(name: string, problem: string): StatesError {
  return new StatesError(StatesErrors.IntrinsicFailure, `${name}: ${problem}`);
}

/** How a value reads in a failure cause: its type and, when short, the value itself. */
export function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isJsonObject(value)) return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function argument(call: IntrinsicArguments, index: number): Json {
  return call.values[index] ?? null;
}

function wrongType(call: IntrinsicArguments, index: number, expected: string): StatesError {
  return intrinsicFailure(
    call.name,
    `argument ${index + 1} must be ${expected} (got ${describe(argument(call, index))})`,
  );
}

export function arrayArg(call: IntrinsicArguments, index: number): Json[] {
  const value = argument(call, index);
  if (!Array.isArray(value)) throw wrongType(call, index, 'an array');
  return value;
}

export function stringArg(call: IntrinsicArguments, index: number): string {
  const value = argument(call, index);
  if (typeof value !== 'string') throw wrongType(call, index, 'a string');
  return value;
}

export function objectArg(call: IntrinsicArguments, index: number): JsonObject {
  const value = argument(call, index);
  if (!isJsonObject(value)) throw wrongType(call, index, 'an object');
  return value;
}

export function numberArg(call: IntrinsicArguments, index: number): number {
  const value = argument(call, index);
  if (typeof value !== 'number') throw wrongType(call, index, 'a number');
  return value;
}

export function integerArg(call: IntrinsicArguments, index: number): number {
  const value = argument(call, index);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(call, index, 'an integer');
  return value;
}

/**
 * A number rounded the way AWS's Java runtime rounds non-integer arguments (Math.round: halves go up, so -1.5 gives
 * -1), which JavaScript's Math.round matches; `+ 0` turns -0 into 0.
 */
export function roundedArg(call: IntrinsicArguments, index: number): number {
  return Math.round(numberArg(call, index)) + 0;
}

/** A string argument no longer than AWS's 10,000-character limit. */
export function limitedTextArg(call: IntrinsicArguments, index: number): string {
  const text = stringArg(call, index);
  if (text.length > MAX_INTRINSIC_TEXT) {
    throw intrinsicFailure(
      call.name,
      `argument ${index + 1} must be at most ${MAX_INTRINSIC_TEXT} characters (got ${text.length})`,
    );
  }
  return text;
}

/** Structural JSON equality: objects compare by keys regardless of order, arrays element by element. */
export function jsonEqual(left: Json, right: Json): boolean {
  if (left === right) return true;
  if (Array.isArray(left)) {
    return Array.isArray(right) && left.length === right.length && left.every((item, i) => jsonEqual(item, right[i]!));
  }
  if (!isJsonObject(left) || !isJsonObject(right)) return false;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key]!, right[key]!));
}

/** JSON text with object keys sorted, so structurally equal values give the same text. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (!isJsonObject(value)) return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
}
