import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../../src/engine/asl/index.js';

/** The terminal statuses an execution can end with. */
export const STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type TerminalStatus = (typeof STATUSES)[number];

/** One call of a test resource: which Task state called it and when, in ms of fake time since the execution began. */
export interface TaskCall {
  state: string;
  at: number;
}

/** What a case expects (expected.json). Only the fields present are checked. */
export interface Expected {
  status: TerminalStatus;
  output?: Json;
  error?: string;
  cause?: string;
  causeContains?: string;
  taskCalls?: TaskCall[];
  eventTypes?: string[];
}

/** Stops the execution at a fake time (stop.json), for ABORTED cases. */
export interface StopRequest {
  afterSeconds: number;
  error?: string;
  cause?: string;
}

/** A conformance case folder, read and checked. The definition stays text: the engine parses it as a user's would be. */
export interface ConformanceCase {
  name: string;
  definition: string;
  input: Json;
  expected: Expected;
  stop?: StopRequest;
}

const EXPECTED_FIELDS = ['comment', 'status', 'output', 'error', 'cause', 'causeContains', 'taskCalls', 'eventTypes'];
const STOP_FIELDS = ['afterSeconds', 'error', 'cause'];

/** The case folders under `root`, sorted by name. */
export function listCases(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Reads one case folder; throws an Error naming the file and the field when a file is missing or malformed. */
export function loadCase(root: string, name: string): ConformanceCase {
  const dir = join(root, name);
  const definition = readFileSync(join(dir, 'definition.json'), 'utf8');
  readJson(dir, 'definition.json');
  const input = readJson(dir, 'input.json');
  const expected = checkExpected(readJson(dir, 'expected.json'), `${name}/expected.json`);
  const stopFile = join(dir, 'stop.json');
  const stop = existsSync(stopFile) ? checkStop(readJson(dir, 'stop.json'), `${name}/stop.json`) : undefined;
  return { name, definition, input, expected, ...(stop && { stop }) };
}

function readJson(dir: string, file: string): Json {
  const path = join(dir, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkFields(value: { [key: string]: Json }, known: string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new Error(`${where}: unknown field "${key}" (known: ${known.join(', ')})`);
  }
}

function optionalString(value: { [key: string]: Json }, key: string, where: string): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'string') throw new Error(`${where}: ${key} must be a string (got ${JSON.stringify(field)})`);
  return field;
}

function checkExpected(value: Json, where: string): Expected {
  if (!isObject(value)) throw new Error(`${where}: must be a JSON object`);
  checkFields(value, EXPECTED_FIELDS, where);
  const status = value.status;
  if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
    throw new Error(`${where}: status must be one of ${STATUSES.join(', ')} (got ${JSON.stringify(status)})`);
  }
  const expected: Expected = { status: status as TerminalStatus };
  if (value.output !== undefined) expected.output = value.output;
  for (const key of ['error', 'cause', 'causeContains'] as const) {
    const text = optionalString(value, key, where);
    if (text !== undefined) expected[key] = text;
  }
  if (value.taskCalls !== undefined) expected.taskCalls = checkTaskCalls(value.taskCalls, `${where}: taskCalls`);
  if (value.eventTypes !== undefined) {
    const types = value.eventTypes;
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) {
      throw new Error(`${where}: eventTypes must be an array of event type names`);
    }
    expected.eventTypes = types as string[];
  }
  return expected;
}

function checkTaskCalls(value: Json, where: string): TaskCall[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array of { "state", "at" }`);
  return value.map((call, i) => {
    if (!isObject(call) || typeof call.state !== 'string' || typeof call.at !== 'number') {
      throw new Error(
        `${where}[${i}] must be { "state": string, "at": ms since the execution began } (got ${JSON.stringify(call)})`,
      );
    }
    checkFields(call, ['state', 'at'], `${where}[${i}]`);
    return { state: call.state, at: call.at };
  });
}

function checkStop(value: Json, where: string): StopRequest {
  if (!isObject(value)) throw new Error(`${where}: must be a JSON object`);
  checkFields(value, STOP_FIELDS, where);
  if (typeof value.afterSeconds !== 'number' || value.afterSeconds < 0) {
    throw new Error(`${where}: afterSeconds must be a non-negative number (got ${JSON.stringify(value.afterSeconds)})`);
  }
  const stop: StopRequest = { afterSeconds: value.afterSeconds };
  const error = optionalString(value, 'error', where);
  const cause = optionalString(value, 'cause', where);
  if (error !== undefined) stop.error = error;
  if (cause !== undefined) stop.cause = cause;
  return stop;
}
