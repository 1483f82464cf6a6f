import { isIntrinsic, parseIntrinsic } from './intrinsics.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { isDefinitePath, parsePath } from './json-path.js';

/** One thing wrong with a definition: where (a JSONPath into the definition), AWS's error code, and what to do. */
export interface Problem {
  path: string;
  code: string;
  message: string;
}

/** The error codes AWS's ValidateStateMachineDefinition uses, plus one for what AWS accepts but Flywheel does not. */
export const ProblemCodes = {
  Schema: 'SCHEMA_VALIDATION_FAILED',
  MissingTransitionTarget: 'MISSING_TRANSITION_TARGET',
  MissingTerminalState: 'MISSING_TERMINAL_STATE',
  Unsupported: 'UNSUPPORTED_FEATURE',
} as const;
export type ProblemCode = (typeof ProblemCodes)[keyof typeof ProblemCodes];

/** Keys and indexes from the definition's root to a value. */
export type Location = readonly (string | number)[];

/** Collects problems while the checks walk the definition. */
export type Report = (at: Location, code: ProblemCode, message: string) => void;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['States', 'Train', 'Next']` → `$.States.Train.Next`; other names in brackets: `$.States['Fit model']`. */
export function pathText(at: Location): string {
  return `$${at
    .map((step) => {
      if (typeof step === 'number') return `[${step}]`;
      return IDENTIFIER.test(step) ? `.${step}` : `['${step.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
    })
    .join('')}`;
}

/** A value as a message quotes it. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export function isPositiveInteger(value: unknown): value is number {
  return isNonNegativeInteger(value) && value > 0;
}

/** Reports the fields of object that are neither allowed nor known-but-unsupported (those get their own code). */
export function checkFields(
  report: Report,
  at: Location,
  object: JsonObject,
  owner: string,
  allowed: ReadonlySet<string>,
  unsupported: ReadonlySet<string> = new Set(),
): void {
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    if (unsupported.has(key)) {
      report([...at, key], ProblemCodes.Unsupported, `${owner} uses "${key}", which Flywheel does not support yet`);
    } else {
      report(
        [...at, key],
        ProblemCodes.Schema,
        `${owner} has the field "${key}", which is not supported by Step Functions`,
      );
    }
  }
}

/** What a path field may hold. */
export interface PathRules {
  /** null is allowed (InputPath, OutputPath, ResultPath: "discard" or "keep nothing"). */
  nullable?: boolean;
  /** Must be a Reference Path: only names and indexes, so it names one node. */
  reference?: boolean;
  /** `$$` context-object paths are not allowed (ResultPath writes into the state's output). */
  inputOnly?: boolean;
  /** An intrinsic function is allowed too (a Fail state's ErrorPath and CausePath). */
  intrinsic?: boolean;
}

/** Checks that a path field holds a path (or null/intrinsic where allowed) with valid syntax. */
export function checkPath(report: Report, at: Location, field: string, value: unknown, rules: PathRules = {}): void {
  if (value === null && rules.nullable) return;
  if (typeof value !== 'string') {
    const expected = `a JSONPath string${rules.nullable ? ' or null' : ''}`;
    report(at, ProblemCodes.Schema, `${field} must be ${expected} (got ${show(value)})`);
    return;
  }
  if (rules.intrinsic && isIntrinsic(value)) {
    try {
      parseIntrinsic(value);
    } catch (error) {
      report(at, ProblemCodes.Schema, `${field} holds an invalid intrinsic function: ${(error as Error).message}`);
    }
    return;
  }
  try {
    parsePath(value);
  } catch (error) {
    report(at, ProblemCodes.Schema, `${field} must be a valid JSONPath: ${(error as Error).message}`);
    return;
  }
  if (rules.inputOnly && value.startsWith('$$')) {
    report(at, ProblemCodes.Schema, `${field} ${show(value)} cannot name the context object ($$)`);
  } else if (rules.reference && !isDefinitePath(value)) {
    report(
      at,
      ProblemCodes.Schema,
      `${field} ${show(value)} must be a Reference Path naming one node (no *, .., filters, slices or unions)`,
    );
  }
}

/**
 * Checks a Payload Template (Parameters, ResultSelector, ItemSelector, Credentials): every `.$` field, at any depth and
 * inside arrays, must hold a valid path or a valid intrinsic function, in AWS's wording.
 */
export function checkPayloadTemplate(report: Report, at: Location, field: string, template: unknown): void {
  if (!isJsonObject(template)) {
    report(at, ProblemCodes.Schema, `${field} must be an object (got ${show(template)})`);
    return;
  }
  checkTemplateObject(report, at, template);
}

function checkTemplateObject(report: Report, at: Location, template: JsonObject): void {
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) checkDynamicField(report, [...at, key], key, value);
    else checkTemplateValue(report, [...at, key], value);
  }
}

function checkTemplateValue(report: Report, at: Location, value: Json): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkTemplateValue(report, [...at, i], item);
  } else if (isJsonObject(value)) checkTemplateObject(report, at, value);
}

function checkDynamicField(report: Report, at: Location, key: string, value: Json): void {
  const rule = `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`;
  if (typeof value !== 'string') {
    report(at, ProblemCodes.Schema, `${rule} (got ${show(value)})`);
    return;
  }
  try {
    if (value.startsWith('$')) parsePath(value);
    else if (isIntrinsic(value)) parseIntrinsic(value);
    else throw new Error(`got ${show(value)}`);
  } catch (error) {
    report(at, ProblemCodes.Schema, `${rule}: ${(error as Error).message}`);
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** An RFC 3339 timestamp as ASL requires: uppercase T and Z, a real calendar date and time. */
export function isRfc3339Timestamp(text: string): boolean {
  const match = RFC3339.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 60 &&
    offsetHour! <= 23 &&
    offsetMinute! <= 59
  );
}
