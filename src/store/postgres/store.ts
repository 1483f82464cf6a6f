import { DatabaseError, Pool } from 'pg';
import {
  AlreadyExists,
  type ExecutionOutcome,
  type ExecutionQuery,
  type ExecutionRecord,
  type HistoryEvent,
  type NewExecution,
  type NewHistoryEvent,
  NotFound,
  type Signal,
  type StateMachineRecord,
  type Store,
} from '../port.js';
import {
  type AppendStateRow,
  appendRefusal,
  bySignalId,
  byStart,
  checkLimit,
  type EventRow,
  EXECUTION_COLUMNS,
  type ExecutionRow,
  executionFilter,
  runningExecution,
  type SignalRow,
  type StateMachineRow,
  toEvent,
  toExecution,
  toSignal,
  toStateMachine,
} from '../rows.js';
import { PostgresEndpoints } from './endpoints.js';
import { migratePostgres } from './migrations.js';
import { PostgresRegistry } from './registry.js';
import { bind, sql } from './sql.js';
import { PostgresTracking } from './tracking.js';

export interface PostgresStoreOptions {
  /** Keep Flywheel's tables in this schema (lower-case letters, digits, `_`), created if missing. */
  schema?: string;
}

/**
 * Opens a PostgreSQL store on a connection pool and migrates its schema.
 * @example openPostgresStore('postgres://flywheel@db:5432/flywheel', { schema: 'flywheel' })
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `openPostgresStore: schema must be 1-63 lower-case letters, digits or "_", not starting with a digit (got "${schema}")`,
    );
  }
  if (schema !== undefined && /[?&]options=/.test(url)) {
    throw new Error("openPostgresStore: give the schema either as the schema option or in the URL's options, not both");
  }
  const where = `PostgreSQL ${redact(url)}${schema === undefined ? '' : ` schema ${schema}`}`;
  // search_path as a startup parameter: set on every pooled connection, at no extra round trip.
  const pool = new Pool({
    connectionString: url,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection that drops emits 'error' on the pool, which would crash the process unhandled; the pool
  // discards that connection and the next query opens a new one.
  pool.on('error', () => {});
  try {
    await migratePostgres(pool, schema, where, Date.now);
  } catch (error) {
    await pool.end();
    throw new Error(`${where}: cannot open the store: ${(error as Error).message}`, { cause: error });
  }
  return new PostgresStore(pool);
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'URL';
  }
}

const uniqueViolation = (error: unknown): string | undefined =>
  error instanceof DatabaseError && error.code === '23505' ? (error.constraint ?? '') : undefined;

/** The three parallel arrays the SQL unnests into events. */
const eventArrays = (events: NewHistoryEvent[]) => [
  events.map((e) => e.type),
  events.map((e) => e.timestamp),
  events.map((e) => e.body),
];

class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly tracking: PostgresTracking;
  readonly registry: PostgresRegistry;
  readonly endpoints: PostgresEndpoints;
  private readonly pool: Pool;
  private closed = false;

  constructor(pool: Pool) {
    this.pool = pool;
    this.tracking = new PostgresTracking(pool);
    this.registry = new PostgresRegistry(pool);
    this.endpoints = new PostgresEndpoints(pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async createStateMachine(name: string, definition: string, now: number): Promise<StateMachineRecord> {
    try {
      await this.pool.query(bind(sql.insertStateMachine, [name, definition, now]));
    } catch (error) {
      if (uniqueViolation(error) !== undefined) throw new AlreadyExists(`state machine "${name}"`);
      throw error;
    }
    return { name, definition, version: 1, createdAt: now, updatedAt: now };
  }

  async updateStateMachine(name: string, definition: string, now: number): Promise<StateMachineRecord> {
    const { rows } = await this.pool.query<StateMachineRow>(bind(sql.updateStateMachine, [name, definition, now]));
    const row = rows[0];
    if (row === undefined) throw new NotFound(`state machine "${name}"`);
    return toStateMachine(row);
  }

  async getStateMachine(name: string): Promise<StateMachineRecord | undefined> {
    const { rows } = await this.pool.query<StateMachineRow>(bind(sql.getStateMachine, [name]));
    return rows[0] && toStateMachine(rows[0]);
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    const { rows } = await this.pool.query<StateMachineRow>(bind(sql.listStateMachines, []));
    return rows.map(toStateMachine);
  }

  async deleteStateMachine(name: string): Promise<void> {
    const { rowCount } = await this.pool.query(bind(sql.deleteStateMachine, [name]));
    if (rowCount === 0) throw new NotFound(`state machine "${name}"`);
  }

  async createExecution(execution: NewExecution, events: NewHistoryEvent[]): Promise<ExecutionRecord> {
    const e = execution;
    const values = [e.id, e.name, e.stateMachineName, e.stateMachineVersion, e.definition, e.input, e.startedAt];
    try {
      await this.pool.query(
        bind(sql.createExecution, [...values, e.parentId, e.owner, e.leaseUntil, ...eventArrays(events)]),
      );
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'executions_pkey') throw new AlreadyExists(`execution id ${e.id}`);
      if (constraint !== undefined) {
        throw new AlreadyExists(`execution "${e.name}" of state machine "${e.stateMachineName}"`);
      }
      throw error;
    }
    return runningExecution(e, events.length);
  }

  async getExecution(id: string): Promise<ExecutionRecord | undefined> {
    const { rows } = await this.pool.query<ExecutionRow>(bind(sql.getExecution, [id]));
    return rows[0] && toExecution(rows[0]);
  }

  async findExecutionByName(stateMachineName: string, name: string): Promise<ExecutionRecord | undefined> {
    const { rows } = await this.pool.query<ExecutionRow>(bind(sql.findExecutionByName, [stateMachineName, name]));
    return rows[0] && toExecution(rows[0]);
  }

  async listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]> {
    const limit = query.limit ?? 100;
    checkLimit('listExecutions', limit);
    const { where, params } = executionFilter(query, (n) => `$${n}`);
    const text =
      `SELECT ${EXECUTION_COLUMNS} FROM executions ${where} ` +
      `ORDER BY started_at DESC, id DESC LIMIT $${params.length + 1}`;
    const { rows } = await this.pool.query<ExecutionRow>(text, [...params, limit]);
    return rows.map(toExecution);
  }

  async appendEvents(
    executionId: string,
    owner: string,
    expectedLastSeq: number,
    events: NewHistoryEvent[],
    outcome?: ExecutionOutcome,
  ): Promise<void> {
    const values = [executionId, owner, expectedLastSeq, ...eventArrays(events)];
    const o = outcome;
    const { rows } = await this.pool.query<{ updated: number }>(
      o
        ? bind(sql.appendAndEnd, [...values, o.status, o.output, o.error, o.cause, o.stoppedAt])
        : bind(sql.append, values),
    );
    if (rows[0]?.updated === 1) return;
    const state = await this.pool.query<AppendStateRow>(bind(sql.appendState, [executionId]));
    throw appendRefusal(executionId, state.rows[0], owner, expectedLastSeq);
  }

  async readHistory(executionId: string, afterSeq = 0): Promise<HistoryEvent[]> {
    const { rows } = await this.pool.query<EventRow>(bind(sql.readHistory, [executionId, afterSeq]));
    return rows.map(toEvent);
  }

  async claimExecutions(owner: string, now: number, leaseUntil: number, limit: number): Promise<ExecutionRecord[]> {
    checkLimit('claimExecutions', limit);
    const { rows } = await this.pool.query<ExecutionRow>(bind(sql.claim, [owner, leaseUntil, now, limit]));
    return rows.map(toExecution).sort(byStart);
  }

  async renewLeases(owner: string, leaseUntil: number): Promise<number> {
    const { rowCount } = await this.pool.query(bind(sql.renew, [owner, leaseUntil]));
    return rowCount ?? 0;
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.pool.query(bind(sql.release, [owner]));
  }

  async addSignal(executionId: string, kind: string, body: string, now: number): Promise<void> {
    const { rowCount } = await this.pool.query(bind(sql.addSignal, [executionId, kind, body, now]));
    if (rowCount === 0) throw new NotFound(`execution ${executionId}`);
  }

  async takeSignals(owner: string, limit: number): Promise<Signal[]> {
    checkLimit('takeSignals', limit);
    const { rows } = await this.pool.query<SignalRow>(bind(sql.takeSignals, [owner, limit]));
    return rows.map(toSignal).sort(bySignalId);
  }
}
