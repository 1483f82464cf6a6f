/**
 * Collects every problem of a JSON document at once. Each check returns the typed value, or undefined after
 * recording `<file>: <key path> <what was expected> (got <value>)`.
 */
export class Checker {
  readonly problems: string[] = [];

  constructor(private readonly file: string) {}

  ok(): boolean {
    return this.problems.length === 0;
  }

  problem(at: string, message: string): void {
    this.problems.push(`${this.file}: ${at === '' ? 'the spec' : at} ${message}`);
  }

  optional<T>(value: unknown, at: string, check: (value: unknown, at: string) => T | undefined): T | undefined {
    return value === undefined ? undefined : check(value, at);
  }

  object(value: unknown, at: string, keys: readonly string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem(at, `must be an object (got ${describe(value)})`);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key))
        this.problem(keyPath(at, key), `is not a known key (expected one of ${keys.join(', ')})`);
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, at: string): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    this.problem(at, `must be a non-empty string (got ${describe(value)})`);
    return undefined;
  }

  boolean(value: unknown, at: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.problem(at, `must be true or false (got ${describe(value)})`);
    return undefined;
  }

  number(value: unknown, at: string, min: number, max: number): number | undefined {
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    this.problem(at, `must be a number from ${min} to ${max} (got ${describe(value)})`);
    return undefined;
  }

  integer(value: unknown, at: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max) return value as number;
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    this.problem(at, `must be an integer ${range} (got ${describe(value)})`);
    return undefined;
  }

  oneOf<T extends string>(value: unknown, at: string, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(at, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${describe(value)})`);
    return undefined;
  }

  /** A string, a finite number or a boolean: a cell value. */
  scalar(value: unknown, at: string): string | number | boolean | undefined {
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.problem(at, `must be a string, number or boolean (got ${describe(value)})`);
    return undefined;
  }

  array<T>(value: unknown, at: string, item: (value: unknown, at: string) => T | undefined): T[] | undefined {
    if (!Array.isArray(value)) {
      this.problem(at, `must be an array (got ${describe(value)})`);
      return undefined;
    }
    const items = value.map((v, i) => item(v, `${at}[${i}]`));
    return items.every((v) => v !== undefined) ? (items as T[]) : undefined;
  }

  /** An object of column name to value, with at least one entry. */
  record<T>(
    value: unknown,
    at: string,
    item: (value: unknown, at: string) => T | undefined,
  ): Record<string, T> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
      this.problem(at, `must be an object of column name to value, with at least one column (got ${describe(value)})`);
      return undefined;
    }
    const entries = Object.entries(value).map(([k, v]) => [k, item(v, keyPath(at, k))] as const);
    return entries.every(([, v]) => v !== undefined) ? (Object.fromEntries(entries) as Record<string, T>) : undefined;
  }

  /** A non-empty array of distinct column names. */
  names(value: unknown, at: string): string[] | undefined {
    const names = this.array(value, at, (v, vAt) => this.string(v, vAt));
    if (!names) return undefined;
    if (names.length === 0) this.problem(at, 'must name at least one column');
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0) this.problem(at, `must not repeat a column (repeated: ${repeated.join(', ')})`);
    return names.length > 0 && repeated.length === 0 ? names : undefined;
  }
}

/** `steps[1].columns.x`, or `steps[1].columns["Day Mins"]` for a key that is not a plain identifier. */
export function keyPath(at: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return at === '' ? key : `${at}.${key}`;
  return `${at}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
