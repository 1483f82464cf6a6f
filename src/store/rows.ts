/**
 * Database rows and their mapping to the port's records, shared by both implementations. PostgreSQL returns BIGINT
 * as a string and SQLite as a number, so every BIGINT column goes through `int`.
 */
import {
  ConcurrencyConflict,
  type ExecutionQuery,
  type ExecutionRecord,
  type ExecutionStatus,
  type HistoryEvent,
  type NewExecution,
  NotFound,
  type Signal,
  type StateMachineRecord,
} from './port.js';

type BigIntColumn = number | string;

export interface StateMachineRow {
  name: string;
  definition: string;
  version: number;
  created_at: BigIntColumn;
  updated_at: BigIntColumn;
}

export interface ExecutionRow {
  id: string;
  name: string;
  state_machine_name: string;
  state_machine_version: number;
  definition: string;
  input: string;
  status: ExecutionStatus;
  output: string | null;
  error: string | null;
  cause: string | null;
  started_at: BigIntColumn;
  stopped_at: BigIntColumn | null;
  parent_id: string | null;
  owner: string | null;
  lease_until: BigIntColumn | null;
  last_seq: number;
}

export interface EventRow {
  seq: number;
  type: string;
  occurred_at: BigIntColumn;
  body: string;
}

export interface SignalRow {
  id: BigIntColumn;
  execution_id: string;
  kind: string;
  body: string;
  created_at: BigIntColumn;
}

/** What a refused append needs to know to explain itself. */
export interface AppendStateRow {
  status: ExecutionStatus;
  owner: string | null;
  last_seq: number;
}

export const STATE_MACHINE_COLUMNS = 'name, definition, version, created_at, updated_at';
export const EXECUTION_COLUMNS =
  'id, name, state_machine_name, state_machine_version, definition, input, status, output, error, cause, ' +
  'started_at, stopped_at, parent_id, owner, lease_until, last_seq';
export const EVENT_COLUMNS = 'seq, type, occurred_at, body';
export const SIGNAL_COLUMNS = 'id, execution_id, kind, body, created_at';

const int = (value: BigIntColumn): number => (typeof value === 'number' ? value : Number(value));
const intOrNull = (value: BigIntColumn | null): number | null => (value === null ? null : int(value));

export const toStateMachine = (row: StateMachineRow): StateMachineRecord => ({
  name: row.name,
  definition: row.definition,
  version: row.version,
  createdAt: int(row.created_at),
  updatedAt: int(row.updated_at),
});

export const toExecution = (row: ExecutionRow): ExecutionRecord => ({
  id: row.id,
  name: row.name,
  stateMachineName: row.state_machine_name,
  stateMachineVersion: row.state_machine_version,
  definition: row.definition,
  input: row.input,
  status: row.status,
  output: row.output,
  error: row.error,
  cause: row.cause,
  startedAt: int(row.started_at),
  stoppedAt: intOrNull(row.stopped_at),
  parentId: row.parent_id,
  owner: row.owner,
  leaseUntil: intOrNull(row.lease_until),
  lastSeq: row.last_seq,
});

export const toEvent = (row: EventRow): HistoryEvent => ({
  seq: row.seq,
  type: row.type,
  timestamp: int(row.occurred_at),
  body: row.body,
});

export const toSignal = (row: SignalRow): Signal => ({
  id: int(row.id),
  executionId: row.execution_id,
  kind: row.kind,
  body: row.body,
  createdAt: int(row.created_at),
});

/** The record of an execution just created from `e` with `lastSeq` first events (saves reading it back). */
export const runningExecution = (e: NewExecution, lastSeq: number): ExecutionRecord => ({
  id: e.id,
  name: e.name,
  stateMachineName: e.stateMachineName,
  stateMachineVersion: e.stateMachineVersion,
  definition: e.definition,
  input: e.input,
  status: 'RUNNING',
  output: null,
  error: null,
  cause: null,
  startedAt: e.startedAt,
  stoppedAt: null,
  parentId: e.parentId,
  owner: e.owner,
  leaseUntil: e.leaseUntil,
  lastSeq,
});

/** Claims come back in no particular order from UPDATE ... RETURNING: oldest execution first. */
export const byStart = (a: ExecutionRecord, b: ExecutionRecord): number =>
  a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Signals come back in no particular order from DELETE ... RETURNING: oldest (lowest id) first. */
export const bySignalId = (a: Signal, b: Signal): number => a.id - b.id;

/** The error for an append whose guarded UPDATE matched no row, given the execution as it is now. */
export function appendRefusal(
  executionId: string,
  current: AppendStateRow | undefined,
  owner: string,
  expectedLastSeq: number,
): Error {
  if (current === undefined) return new NotFound(`execution ${executionId}`);
  if (current.status !== 'RUNNING') {
    return new ConcurrencyConflict(executionId, `has ended (${current.status}); no event can be appended`);
  }
  if (current.owner !== owner) {
    const holder = current.owner === null ? 'nobody' : `"${current.owner}"`;
    return new ConcurrencyConflict(executionId, `the lease is held by ${holder}, not "${owner}"`);
  }
  return new ConcurrencyConflict(
    executionId,
    `expected last sequence number ${expectedLastSeq} but it is ${current.last_seq}`,
  );
}

/**
 * The WHERE clause of `listExecutions` (empty when nothing filters) and its parameters; `placeholder(n)` spells the
 * n-th parameter ('?' in SQLite, '$n' in PostgreSQL). Only three filters exist, so the texts cache well.
 */
export function executionFilter(
  query: ExecutionQuery,
  placeholder: (n: number) => string,
): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    params.push(value);
    conditions.push(`${condition} ${placeholder(params.length)}`);
  };
  if (query.stateMachineName !== undefined) add('state_machine_name =', query.stateMachineName);
  if (query.status !== undefined) add('status =', query.status);
  if (query.startedBefore !== undefined) add('started_at <', query.startedBefore);
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** Checks a `limit` argument: SQLite reads a negative LIMIT as "no limit", PostgreSQL rejects it. */
export function checkLimit(method: string, limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`Store.${method}: limit must be a non-negative integer (got ${limit})`);
  }
}
