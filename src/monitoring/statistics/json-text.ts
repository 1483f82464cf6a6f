import type { JsonObject, JsonValue } from './model.js';

/** A number SageMaker writes as a Java double: always with a fraction or exponent (`0.0`, `2698.0`, `1.5E7`). */
export class Double {
  constructor(readonly value: number) {}
}

/** What the writer takes: JSON whose doubles are marked; other numbers are written as they are (counts). */
export type OutValue = JsonValue | Double | OutValue[] | { [key: string]: OutValue | undefined };

/**
 * Java's Double.toString layout (what Jackson writes): plain decimals for 1e-3 <= |x| < 1e7 with at least one
 * fraction digit, else `d.dddE[-]n`. Digits are JavaScript's shortest round-trip form.
 */
export function javaDouble(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as a JSON number`);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '', exponent = ''] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/**
 * JSON in the layout of Jackson's default pretty printer, which SageMaker's files use: `"key" : value`, two-space
 * indent per object level, arrays inline (`[ 1.0, 2.0 ]`, `[ {` ... `}, {` ... `} ]`), `{ }` and `[ ]` when empty.
 * Keys whose value is undefined are left out. Deterministic: the same tree gives the same bytes.
 */
export function renderJson(value: OutValue): string {
  const parts: string[] = [];
  write(value, 0, parts);
  return parts.join('');
}

function write(value: OutValue, depth: number, out: string[]): void {
  if (value instanceof Double) out.push(javaDouble(value.value));
  else if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`cannot write ${value} as JSON`);
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[ ]');
      return;
    }
    out.push('[ ');
    value.forEach((item, i) => {
      if (i > 0) out.push(', ');
      write(item, depth, out);
    });
    out.push(' ]');
  } else {
    const entries = Object.entries(value).filter((e): e is [string, OutValue] => e[1] !== undefined);
    if (entries.length === 0) {
      out.push('{ }');
      return;
    }
    const inner = '  '.repeat(depth + 1);
    out.push('{\n');
    entries.forEach(([key, item], i) => {
      out.push(`${i > 0 ? ',\n' : ''}${inner}${JSON.stringify(key)} : `);
      write(item, depth + 1, out);
    });
    out.push(`\n${'  '.repeat(depth)}}`);
  }
}

/** Adds the object's kept unknown keys after its known ones (known keys win a clash). */
export function withExtra(
  known: { [key: string]: OutValue | undefined },
  extra: JsonObject | undefined,
): { [key: string]: OutValue | undefined } {
  if (extra === undefined) return known;
  const result: { [key: string]: OutValue | undefined } = { ...known };
  for (const [key, value] of Object.entries(extra)) if (known[key] === undefined) result[key] = value;
  return result;
}

/** A Double, or undefined for an absent optional number. */
export function double(x: number | undefined): Double | undefined {
  return x === undefined ? undefined : new Double(x);
}
