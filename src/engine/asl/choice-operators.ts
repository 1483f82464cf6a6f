import { StatesError, StatesErrors } from './errors.js';
import type { Json } from './json.js';

/** Orders two values of one type, or gives undefined when they are not both of it (the comparison is then false). */
type Order = (left: Json, right: Json) => number | undefined;

/** What a Choice comparison operator does with the Variable's value and the rule's operand. */
export type Operator =
  | { kind: 'compare'; order: Order; accepts: (order: number) => boolean; operandIsPath: boolean }
  | { kind: 'matches' }
  | { kind: 'type'; check: (value: Json) => boolean }
  | { kind: 'present' };

const TESTS = {
  Equals: (order: number) => order === 0,
  LessThan: (order: number) => order < 0,
  GreaterThan: (order: number) => order > 0,
  LessThanEquals: (order: number) => order <= 0,
  GreaterThanEquals: (order: number) => order >= 0,
} as const;

const ORDERS = {
  String: (left, right) =>
    typeof left === 'string' && typeof right === 'string' ? compareCodePoints(left, right) : undefined,
  Numeric: (left, right) => (typeof left === 'number' && typeof right === 'number' ? left - right : undefined),
  Boolean: (left, right) =>
    typeof left === 'boolean' && typeof right === 'boolean' ? Number(left) - Number(right) : undefined,
  Timestamp: (left, right) => {
    const a = typeof left === 'string' ? parseTimestamp(left) : undefined;
    const b = typeof right === 'string' ? parseTimestamp(right) : undefined;
    return a && b ? a.seconds - b.seconds || a.nanos - b.nanos : undefined;
  },
} as const satisfies Record<string, Order>;

/** Every JSONPath-flavour comparison operator of the spec, by its field name. */
export const OPERATORS: ReadonlyMap<string, Operator> = (() => {
  const table = new Map<string, Operator>();
  for (const [type, order] of Object.entries(ORDERS)) {
    for (const [test, accepts] of Object.entries(TESTS)) {
      if (type === 'Boolean' && test !== 'Equals') continue;
      table.set(`${type}${test}`, { kind: 'compare', order, accepts, operandIsPath: false });
      table.set(`${type}${test}Path`, { kind: 'compare', order, accepts, operandIsPath: true });
    }
  }
  table.set('StringMatches', { kind: 'matches' });
  table.set('IsPresent', { kind: 'present' });
  table.set('IsNull', { kind: 'type', check: (value) => value === null });
  table.set('IsNumeric', { kind: 'type', check: (value) => typeof value === 'number' });
  table.set('IsString', { kind: 'type', check: (value) => typeof value === 'string' });
  table.set('IsBoolean', { kind: 'type', check: (value) => typeof value === 'boolean' });
  table.set('IsTimestamp', { kind: 'type', check: (value) => typeof value === 'string' && !!parseTimestamp(value) });
  return table;
})();

/**
 * Compares strings code point by code point (the spec: "character-by-character", no folding or normalisation). UTF-16
 * order differs from code point order only where a surrogate meets a character above U+D7FF.
 */
export function compareCodePoints(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const a = left.charCodeAt(i);
    const b = right.charCodeAt(i);
    if (a === b) continue;
    const surrogate = (a >= 0xd800 && a <= 0xdfff) || (b >= 0xd800 && b <= 0xdfff);
    return surrogate ? left.codePointAt(i)! - right.codePointAt(i)! : a - b;
  }
  return left.length - right.length;
}

/** An instant: whole seconds since the epoch and the nanoseconds after them. */
export interface Instant {
  seconds: number;
  nanos: number;
}

/** RFC 3339 with an uppercase T and a Z or a numeric offset (the spec's profile); up to nine fraction digits. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Parses a spec timestamp such as `2016-03-14T01:59:00Z` into an instant, or undefined when it is not one. */
export function parseTimestamp(text: string): Instant | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const field = (group: number): number => Number(match[group] ?? 0);
  const [year, month, day, hour, minute, second] = [field(1), field(2), field(3), field(4), field(5), field(6)];
  const [offsetHours, offsetMinutes] = [field(9), field(10)];
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) return undefined;
  const offset = (match[8] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  return { seconds, nanos: Number((match[7] ?? '').padEnd(9, '0')) };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm; no Date, so years 0-99 work). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Compiles a StringMatches pattern: `*` matches any run of characters, `\*` is a literal star and `\\` a literal
 * backslash (written `\\*` and `\\\\` inside JSON). Any other backslash is an open escape, a runtime error per the spec.
 */
export function compileStringMatches(pattern: string): (value: string) => boolean {
  const parts = [''];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      parts.push('');
      continue;
    }
    let literal = char;
    if (char === '\\') {
      const escaped = pattern[++i];
      if (escaped !== '*' && escaped !== '\\') {
        throw new StatesError(
          StatesErrors.Runtime,
          `StringMatches pattern '${pattern}' has an open escape at position ${i - 1}: only \\* and \\\\ are escapes`,
        );
      }
      literal = escaped;
    }
    parts[parts.length - 1] += literal;
  }
  const [first, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) return (value) => value === first;
  const last = rest.pop()!;
  return (value) => {
    if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
    let from = first.length;
    const end = value.length - last.length;
    for (const part of rest) {
      const at = value.indexOf(part, from);
      if (at < 0 || at + part.length > end) return false;
      from = at + part.length;
    }
    return true;
  };
}
