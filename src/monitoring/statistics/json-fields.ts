import type { JsonObject, JsonValue } from './model.js';

/**
 * A statistics.json or constraints.json that does not fit the format. The message names the file, the key path
 * (`features[3].numerical_statistics.common.num_present`) and what was expected.
 */
export class MonitorFormatError extends Error {
  readonly file: string;
  readonly path: string;
  constructor(file: string, path: string, detail: string) {
    super(path === '' ? `${file}: ${detail}` : `${file}: ${path} ${detail}`);
    this.name = 'MonitorFormatError';
    this.file = file;
    this.path = path;
  }
}

/** Parses JSON text, naming the file when it is not JSON. */
export function parseJsonText(text: string, file: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new MonitorFormatError(file, '', `is not valid JSON (${error instanceof Error ? error.message : error})`);
  }
}

function shown(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

/**
 * One JSON object being read: typed getters that throw MonitorFormatError naming the key path, and `extra()` for
 * the keys no getter asked for (kept so a round trip preserves them).
 */
export class Fields {
  private readonly used = new Set<string>();
  readonly object: JsonObject;

  constructor(
    readonly file: string,
    readonly path: string,
    value: JsonValue | undefined,
  ) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MonitorFormatError(file, path, `must be an object (got ${shown(value)})`);
    }
    this.object = value;
  }

  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** Throws for `key` (or a path under this object such as `data[1]`); `got` defaults to the key's value. */
  fail(key: string, expected: string, got: JsonValue | undefined = this.object[key]): never {
    throw new MonitorFormatError(this.file, this.at(key), `must be ${expected} (got ${shown(got)})`);
  }

  /** The raw value, marking the key as known. */
  raw(key: string): JsonValue | undefined {
    this.used.add(key);
    return this.object[key];
  }

  has(key: string): boolean {
    return this.object[key] !== undefined;
  }

  string(key: string): string {
    const v = this.raw(key);
    return typeof v === 'string' ? v : this.fail(key, 'a string');
  }

  number(key: string, check?: { min?: number; max?: number; whole?: boolean }): number {
    const v = this.raw(key);
    const ok =
      typeof v === 'number' &&
      (check?.min === undefined || v >= check.min) &&
      (check?.max === undefined || v <= check.max) &&
      (check?.whole !== true || Number.isInteger(v));
    if (ok) return v;
    const range =
      check?.min !== undefined && check.max !== undefined
        ? ` from ${check.min} to ${check.max}`
        : check?.min !== undefined
          ? ` >= ${check.min}`
          : '';
    return this.fail(key, `${check?.whole === true ? 'a whole number' : 'a number'}${range}`);
  }

  optionalNumber(key: string, check?: { min?: number; max?: number; whole?: boolean }): number | undefined {
    if (this.has(key)) return this.number(key, check);
    this.used.add(key); // an explicit null reads as absent and is not kept as an unknown key
    return undefined;
  }

  boolean(key: string): boolean {
    const v = this.raw(key);
    return typeof v === 'boolean' ? v : this.fail(key, 'true or false');
  }

  /** One of `allowed`; `aliases` maps other accepted spellings to an allowed value. */
  oneOf<T extends string>(key: string, allowed: readonly T[], aliases: Record<string, T> = {}): T {
    const v = this.raw(key);
    if (typeof v === 'string') {
      if ((allowed as readonly string[]).includes(v)) return v as T;
      const alias = aliases[v];
      if (alias !== undefined) return alias;
    }
    return this.fail(key, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }

  array(key: string): JsonValue[] {
    const v = this.raw(key);
    return Array.isArray(v) ? v : this.fail(key, 'an array');
  }

  /** A nested object's fields (path extended). */
  nested(key: string): Fields {
    return new Fields(this.file, this.at(key), this.raw(key));
  }

  /** A nested object's fields, or undefined when the key is absent or null. */
  optionalNested(key: string): Fields | undefined {
    if (this.has(key)) return this.nested(key);
    this.used.add(key);
    return undefined;
  }

  /** The keys nobody read, or undefined when there are none. */
  extra(): JsonObject | undefined {
    const rest = Object.entries(this.object).filter(([key]) => !this.used.has(key));
    return rest.length === 0 ? undefined : Object.fromEntries(rest);
  }
}

/** Adds `extra` to a parsed object when there is any (exactOptionalPropertyTypes forbids `extra: undefined`). */
export function keep<T extends object>(value: T, fields: Fields): T & { extra?: JsonObject } {
  const extra = fields.extra();
  return extra === undefined ? value : { ...value, extra };
}
