/**
 * Input checks shared by the evaluators. Each throws an Error whose message names the function, the argument, the
 * offending row and what was expected, because a metric silently computed over bad input is worse than none.
 */

/** Throws unless `values` has at least one row. */
export function checkNotEmpty(fn: string, name: string, values: ArrayLike<number>): void {
  if (values.length === 0) throw new Error(`${fn}: ${name} is empty; at least one row is needed`);
}

/** Throws unless `a` and `b` have the same number of rows. */
export function checkSameLength(
  fn: string,
  a: { name: string; values: ArrayLike<number> },
  b: { name: string; values: ArrayLike<number> },
): void {
  if (a.values.length !== b.values.length) {
    throw new Error(
      `${fn}: ${a.name} has ${a.values.length} rows but ${b.name} has ${b.values.length}; they must be the same length`,
    );
  }
}

/** Throws at the first value that is not a finite number (NaN and ±Infinity included). */
export function checkFinite(fn: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${fn}: ${name}[${i}] must be a finite number (got ${String(v)})`);
    }
  }
}

/** Throws at the first label that is not exactly 0 or 1. */
export function checkBinaryLabels(fn: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== 0 && v !== 1) throw new Error(`${fn}: ${name}[${i}] must be 0 or 1 (got ${String(v)})`);
  }
}

/** Throws at the first label that is not an integer class id in [0, numClass). */
export function checkClassLabels(fn: string, name: string, values: ArrayLike<number>, numClass: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= numClass) {
      throw new Error(`${fn}: ${name}[${i}] must be an integer class id from 0 to ${numClass - 1} (got ${String(v)})`);
    }
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkIntegerOption(fn: string, name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${fn}: ${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
}
