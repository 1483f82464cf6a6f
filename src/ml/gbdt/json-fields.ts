/**
 * Typed access to parsed JSON with errors that name the JSON path and what was expected, e.g.
 * `learner.gradient_booster.model.trees[3].left_children must be an array of integers (item 7 is "x")`.
 */
import type { JsonValue } from './model.js';

export type JsonObject = { [key: string]: JsonValue };

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function fail(path: string, expected: string, got: unknown): never {
  throw new ModelFormatError(`${path} must be ${expected} (got ${describe(got)})`);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(parent: JsonObject, key: string, path: string): JsonObject {
  const value = parent[key];
  if (!isObject(value)) fail(`${path}.${key}`, 'an object', value);
  return value;
}

export function arrayAt(parent: JsonObject, key: string, path: string): JsonValue[] {
  const value = parent[key];
  if (!Array.isArray(value)) fail(`${path}.${key}`, 'an array', value);
  return value;
}

export function stringAt(parent: JsonObject, key: string, path: string): string {
  const value = parent[key];
  if (typeof value !== 'string') fail(`${path}.${key}`, 'a string', value);
  return value;
}

/** XGBoost writes its parameters as strings ("19"); numbers are accepted too. */
export function integerParamAt(parent: JsonObject, key: string, path: string, min: number, fallback?: number): number {
  const value = parent[key];
  if (value === undefined && fallback !== undefined) return fallback;
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    fail(`${path}.${key}`, `an integer of at least ${min} (a number or a string)`, value);
  }
  return n;
}

/** A numeric array as a typed array; `integer` also rejects fractions. Booleans count as 0/1 when `booleans`. */
export function numbersAt<T extends Float32Array | Int32Array | Uint8Array>(
  parent: JsonObject,
  key: string,
  path: string,
  make: (length: number) => T,
  options: { integer?: boolean; booleans?: boolean; length?: number } = {},
): T {
  const items = arrayAt(parent, key, path);
  if (options.length !== undefined && items.length !== options.length) {
    throw new ModelFormatError(`${path}.${key} must have ${options.length} items, one per node (got ${items.length})`);
  }
  const out = make(items.length);
  for (let i = 0; i < items.length; i++) {
    let v = items[i];
    if (options.booleans && typeof v === 'boolean') v = v ? 1 : 0;
    if (typeof v !== 'number' || (options.integer && !Number.isInteger(v))) {
      fail(`${path}.${key}[${i}]`, options.integer ? 'an integer' : 'a number', v);
    }
    out[i] = v;
  }
  return out;
}

/** Shortest decimal text that reads back as the same float32 (XGBoost stores every value as float32). */
export function formatFloat32(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f)) throw new RangeError(`cannot write ${value} in a JSON model`);
  // XGBoost 1.7 rejects an integer where it expects a float ("Invalid cast, from Integer to Number").
  if (Number.isInteger(f) && Math.abs(f) < 1e15) return `${f}.0`;
  for (let digits = 1; digits < 9; digits++) {
    const text = f.toPrecision(digits);
    if (Math.fround(Number(text)) === f) return String(Number(text));
  }
  return String(Number(f.toPrecision(9)));
}
