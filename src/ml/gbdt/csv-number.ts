/** Numbers in CSV fields: the byte-level parsing shared by the CSV reader's fast path and its fallback. */

export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
export const QUOTE = 34;
export const COMMA = 44;
export const CR = 13;
export const LF = 10;
export const SPACE = 32;
export const TAB = 9;

/**
 * Parses one field's bytes [start, end) as a number; NaN for a missing value, undefined when it is not a number.
 * Values with up to 15 significant digits are computed exactly in double, then rounded to float32 by the caller,
 * so they equal `Math.fround(Number(text))`, the value numpy's float64 -> float32 conversion gives.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number | undefined {
  while (start < end && (bytes[start] === SPACE || bytes[start] === TAB || bytes[start] === QUOTE)) start++;
  while (end > start && (bytes[end - 1] === SPACE || bytes[end - 1] === TAB || bytes[end - 1] === QUOTE)) end--;
  if (start === end) return Number.NaN;
  let i = start;
  let negative = false;
  let c = bytes[i]!;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let exponent = 0;
  let any = false;
  for (; i < end; i++) {
    c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    if (mantissa > 0) digits++;
    any = true;
  }
  if (i < end && bytes[i] === 46) {
    for (i++; i < end; i++) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      if (mantissa > 0) digits++;
      exponent--;
      any = true;
    }
  }
  if (!any) return special(bytes, start, end);
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) return slow(bytes, start, end);
  if (i !== end) return undefined;
  if (digits > 15 || exponent < -22) return slow(bytes, start, end);
  const value = exponent === 0 ? mantissa : mantissa / POW10[-exponent]!;
  return negative ? -value : value;
}

export function text(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function slow(bytes: Uint8Array, start: number, end: number): number | undefined {
  const s = text(bytes, start, end);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

function special(bytes: Uint8Array, start: number, end: number): number | undefined {
  const s = text(bytes, start, end).toLowerCase();
  if (s === 'nan' || s === 'na' || s === '-nan') return Number.NaN;
  return undefined;
}
