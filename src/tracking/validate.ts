/** Checks of what callers hand the tracking and registry services; each failure is an InvalidInput naming the field. */
import type { MetricPoint } from '../store/index.js';
import { InvalidInput } from './errors.js';

/** Metric points per logMetrics call (a 100,000-round training fits in one). */
export const MAX_BATCH = 100_000;
const MAX_KEY = 250;
const MAX_VALUE = 6_000;

/** Experiment, run and model-group names: a letter or digit, then letters, digits, '.', '_', '-' or spaces. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$/;
/** Model groups appear in `group:version` references (serving), so no spaces. */
const GROUP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Aliases start with a letter, so an alias is never mistaken for a version number. */
const ALIAS = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

export function checkName(value: unknown, field: string, pattern: RegExp = NAME): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidInput(
      `${field} must be 1-128 characters: a letter or digit, then letters, digits, ".", "_" or "-"` +
        `${pattern === NAME ? ' or spaces' : ''} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

export const checkGroup = (value: unknown, field = 'model group'): string => checkName(value, field, GROUP);

export function checkAlias(value: unknown): string {
  if (typeof value !== 'string' || !ALIAS.test(value)) {
    throw new InvalidInput(
      `alias must start with a letter, then up to 63 letters, digits, ".", "_" or "-" (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

export function checkVersion(value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidInput(`model version must be a positive integer (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** A param, tag, metric or artifact name: 1-250 characters, no control characters. */
export function checkKey(key: unknown, what: string): string {
  const control = typeof key === 'string' && [...key].some((ch) => ch.charCodeAt(0) < 0x20);
  if (typeof key !== 'string' || key === '' || key.length > MAX_KEY || control) {
    throw new InvalidInput(
      `${what} must be 1-${MAX_KEY} characters without control characters (got ${JSON.stringify(key)})`,
    );
  }
  return key;
}

/** Params, tags, data hashes as text: numbers and booleans as written, other values as JSON; null is refused. */
export function checkStrings(record: unknown, what: 'param' | 'tag' | 'data'): Record<string, string> {
  if (record === undefined) return {};
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new InvalidInput(`${what === 'data' ? 'lineage data' : `${what}s`} must be an object of name -> value`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    checkKey(key, `${what} name`);
    if (value === null || value === undefined) throw new InvalidInput(`${what} "${key}" has no value`);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text.length > MAX_VALUE) throw new InvalidInput(`${what} "${key}" is longer than ${MAX_VALUE} characters`);
    out[key] = text;
  }
  return out;
}

/** What a caller may send for one metric point. */
export interface MetricInput {
  key: string;
  value: number;
  /** A non-negative integer, e.g. the boosting round (default 0). */
  step?: number;
  /** Epoch ms (default: now). */
  timestamp?: number;
}

/** Checks a whole batch before anything is written: the first bad point names its key and step. */
export function checkPoints(points: unknown, now: number): MetricPoint[] {
  if (!Array.isArray(points)) throw new InvalidInput('metrics must be an array of {key, value, step?, timestamp?}');
  if (points.length > MAX_BATCH) {
    throw new InvalidInput(`at most ${MAX_BATCH} metric points per call (got ${points.length}); send them in batches`);
  }
  return points.map((raw: unknown, i) => {
    const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof MetricInput, unknown>>;
    const key = checkKey(p.key, `metrics[${i}].key`);
    const step = p.step ?? 0;
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
      throw new InvalidInput(
        `metric "${key}" (metrics[${i}]): step must be a non-negative integer (got ${JSON.stringify(step)})`,
      );
    }
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
      const got = typeof p.value === 'number' ? String(p.value) : JSON.stringify(p.value ?? null);
      throw new InvalidInput(`metric "${key}" at step ${step} must be a finite number (got ${got})`);
    }
    const timestamp = p.timestamp ?? now;
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new InvalidInput(`metric "${key}" at step ${step}: timestamp must be epoch milliseconds`);
    }
    return { key, value: p.value, step, timestamp };
  });
}

/** Finite numbers by name (a model version's evaluation metrics). */
export function checkNumbers(record: unknown, what: string): Record<string, number> {
  if (record === undefined) return {};
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new InvalidInput(`${what} must be an object of name -> number`);
  }
  for (const [key, value] of Object.entries(record)) {
    checkKey(key, `${what} name`);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidInput(`${what} "${key}" must be a finite number (got ${JSON.stringify(value ?? null)})`);
    }
  }
  return record as Record<string, number>;
}
