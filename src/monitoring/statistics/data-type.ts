/**
 * Deequ's data type rule, which SageMaker's analyzer applies to every CSV column (read as strings). A value is
 * Fractional if it matches `^(-|\+)? ?\d*\.\d*$`, else Integral if `^(-|\+)? ?\d*$`, else Boolean if
 * `^(true|false)$`, else String. Note the quirks kept on purpose: the empty string (a quoted `""`) is Integral, `.`
 * is Fractional, and `1e5`, `NaN` and ` 1` with two spaces are String.
 */
export const ValueKind = { Integral: 0, Fractional: 1, Boolean: 2, String: 3 } as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/** The feature types SageMaker writes as `inferred_type`. */
export const inferredTypes = ['Integral', 'Fractional', 'String', 'Unknown'] as const;
export type InferredType = (typeof inferredTypes)[number];

/** How many values of each kind a column held. */
export interface KindCounts {
  missing: number;
  integral: number;
  fractional: number;
  boolean: number;
  string: number;
}

/**
 * Deequ's `determineType`: all null → Unknown; any String, or Boolean mixed with numbers → String; else any
 * Fractional → Fractional; else Integral. Deequ's own Boolean (only true/false and nulls) is not a SageMaker type;
 * Flywheel writes it as String (inferred: the format lists no Boolean).
 */
export function inferType(counts: KindCounts): InferredType {
  const present = counts.integral + counts.fractional + counts.boolean + counts.string;
  if (present === 0) return 'Unknown';
  if (counts.string > 0 || counts.boolean > 0) return 'String';
  return counts.fractional > 0 ? 'Fractional' : 'Integral';
}

const MINUS = 0x2d;
const PLUS = 0x2b;
const SPACE = 0x20;
const DOT = 0x2e;
const ZERO = 0x30;

/** Exact powers of ten: a mantissa below 2^53 divided by one of these is correctly rounded, as Number() is. */
const POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** What `classify` found; `value` is NaN for numeric-looking text that does not parse (`-`, `.`, `""`, `- 1`). */
export interface Classified {
  kind: ValueKind;
  value: number;
}

/**
 * Classifies the UTF-8 text `bytes[start, end)` by Deequ's patterns and, for numbers, parses it as Spark's cast to
 * double would (Java's Double.parseDouble, which trims: ` 5` is 5 but `- 5` does not parse). Writes into `out` to
 * keep the per-value path free of allocation.
 */
export function classify(bytes: Uint8Array, start: number, end: number, out: Classified): void {
  let i = start;
  let negative = false;
  let signed = false;
  const first = i < end ? bytes[i] : undefined;
  if (first === MINUS || first === PLUS) {
    negative = first === MINUS;
    signed = true;
    i += 1;
  }
  let spaced = false;
  if (i < end && bytes[i] === SPACE) {
    spaced = true;
    i += 1;
  }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let scale = 0;
  let fractional = false;
  for (; i < end; i++) {
    const d = (bytes[i] ?? 0) - ZERO;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits += 1;
      if (significant > 0 || d > 0) significant += 1;
      if (fractional) scale += 1;
    } else if (bytes[i] === DOT && !fractional) {
      fractional = true;
    } else {
      out.kind = isBoolean(bytes, start, end) ? ValueKind.Boolean : ValueKind.String;
      out.value = Number.NaN;
      return;
    }
  }
  out.kind = fractional ? ValueKind.Fractional : ValueKind.Integral;
  if (digits === 0 || (signed && spaced)) out.value = Number.NaN;
  else if (significant <= 15 && scale < POWERS.length) out.value = (negative ? -mantissa : mantissa) / POWERS[scale]!;
  // Too many digits for the exact fast path: Number() parses (and trims) as Java's parseDouble does here.
  else out.value = Number(ascii(bytes, start, end));
}

function isBoolean(bytes: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (n === 4) return ascii(bytes, start, end) === 'true';
  return n === 5 && ascii(bytes, start, end) === 'false';
}

/** Bytes as one char each: exact for the ASCII texts this is used on. */
function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}
