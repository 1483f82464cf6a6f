import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
  appendRefusal,
  bySignalId,
  byStart,
  checkLimit,
  EXECUTION_COLUMNS,
  type ExecutionRow,
  executionFilter,
  runningExecution,
  toEvent,
  toExecution,
  toSignal,
  toStateMachine,
} from '../rows.js';
import { SqliteEndpoints } from './endpoints.js';
import { migrateSqlite } from './migrations.js';
import { SqliteRegistry } from './registry.js';
import { prepareStatements, type Statements } from './statements.js';
import { SqliteTracking } from './tracking.js';

/**
 * Opens (creating if needed, with its folder) a SQLite store at `path` (':memory:' for a private in-memory one) and
 * migrates it. WAL with synchronous=NORMAL: a commit survives a process crash; a power loss may lose the last ones.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // busy_timeout first: switching to WAL needs a lock another process opening the file may hold.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrateSqlite(db, path, Date.now);
    return new SqliteStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

const isUniqueViolation = (error: unknown, code: 'SQLITE_CONSTRAINT_PRIMARYKEY' | 'SQLITE_CONSTRAINT_UNIQUE') =>
  error instanceof Database.SqliteError && error.code === code;

/** better-sqlite3 is synchronous: each method does its work at once and returns a settled promise. */
class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly tracking: SqliteTracking;
  readonly registry: SqliteRegistry;
  readonly endpoints: SqliteEndpoints;
  private readonly db: Database.Database;
  private readonly s: Statements;
  private readonly listCache = new Map<string, Database.Statement<unknown[], ExecutionRow>>();
  private readonly createExecutionTx;
  private readonly appendTx;

  constructor(db: Database.Database) {
    this.db = db;
    this.s = prepareStatements(db);
    this.tracking = new SqliteTracking(db);
    this.registry = new SqliteRegistry(db);
    this.endpoints = new SqliteEndpoints(db);
    this.createExecutionTx = db.transaction((e: NewExecution, events: NewHistoryEvent[]) => {
      this.s.insertExecution.run(
        e.id,
        e.name,
        e.stateMachineName,
        e.stateMachineVersion,
        e.definition,
        e.input,
        e.startedAt,
        e.parentId,
        e.owner,
        e.leaseUntil,
        events.length,
      );
      this.insertEvents(e.id, 0, events);
    });
    this.appendTx = db.transaction(
      (id: string, owner: string, expected: number, events: NewHistoryEvent[], end: ExecutionOutcome | undefined) => {
        const last = expected + events.length;
        const { changes } = end
          ? this.s.end.run(last, end.status, end.output, end.error, end.cause, end.stoppedAt, id, owner, expected)
          : this.s.advance.run(last, id, owner, expected);
        // Throwing rolls the transaction back; the SELECT only runs on this rare path.
        if (changes === 0) throw appendRefusal(id, this.s.appendState.get(id), owner, expected);
        this.insertEvents(id, expected, events);
      },
    );
  }

  private insertEvents(executionId: string, afterSeq: number, events: NewHistoryEvent[]): void {
    let seq = afterSeq;
    for (const e of events) this.s.insertEvent.run(executionId, ++seq, e.type, e.timestamp, e.body);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async createStateMachine(name: string, definition: string, now: number): Promise<StateMachineRecord> {
    try {
      this.s.insertStateMachine.run(name, definition, now, now);
    } catch (error) {
      if (isUniqueViolation(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new AlreadyExists(`state machine "${name}"`);
      throw error;
    }
    return { name, definition, version: 1, createdAt: now, updatedAt: now };
  }

  async updateStateMachine(name: string, definition: string, now: number): Promise<StateMachineRecord> {
    const row = this.s.updateStateMachine.get(definition, now, name);
    if (row === undefined) throw new NotFound(`state machine "${name}"`);
    return toStateMachine(row);
  }

  async getStateMachine(name: string): Promise<StateMachineRecord | undefined> {
    const row = this.s.getStateMachine.get(name);
    return row && toStateMachine(row);
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    return this.s.listStateMachines.all().map(toStateMachine);
  }

  async deleteStateMachine(name: string): Promise<void> {
    if (this.s.deleteStateMachine.run(name).changes === 0) throw new NotFound(`state machine "${name}"`);
  }

  async createExecution(execution: NewExecution, events: NewHistoryEvent[]): Promise<ExecutionRecord> {
    try {
      this.createExecutionTx.immediate(execution, events);
    } catch (error) {
      if (isUniqueViolation(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
        throw new AlreadyExists(`execution id ${execution.id}`);
      }
      if (isUniqueViolation(error, 'SQLITE_CONSTRAINT_UNIQUE')) {
        throw new AlreadyExists(`execution "${execution.name}" of state machine "${execution.stateMachineName}"`);
      }
      throw error;
    }
    return runningExecution(execution, events.length);
  }

  async getExecution(id: string): Promise<ExecutionRecord | undefined> {
    const row = this.s.getExecution.get(id);
    return row && toExecution(row);
  }

  async findExecutionByName(stateMachineName: string, name: string): Promise<ExecutionRecord | undefined> {
    const row = this.s.findExecutionByName.get(stateMachineName, name);
    return row && toExecution(row);
  }

  async listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]> {
    const limit = query.limit ?? 100;
    checkLimit('listExecutions', limit);
    const { where, params } = executionFilter(query, () => '?');
    const sql = `SELECT ${EXECUTION_COLUMNS} FROM executions ${where} ORDER BY started_at DESC, id DESC LIMIT ?`;
    let statement = this.listCache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], ExecutionRow>(sql);
      this.listCache.set(sql, statement);
    }
    return statement.all(...params, limit).map(toExecution);
  }

  async appendEvents(
    executionId: string,
    owner: string,
    expectedLastSeq: number,
    events: NewHistoryEvent[],
    outcome?: ExecutionOutcome,
  ): Promise<void> {
    this.appendTx.immediate(executionId, owner, expectedLastSeq, events, outcome);
  }

  async readHistory(executionId: string, afterSeq = 0): Promise<HistoryEvent[]> {
    return this.s.readHistory.all(executionId, afterSeq).map(toEvent);
  }

  async claimExecutions(owner: string, now: number, leaseUntil: number, limit: number): Promise<ExecutionRecord[]> {
    checkLimit('claimExecutions', limit);
    return this.s.claim.all(owner, leaseUntil, now, limit).map(toExecution).sort(byStart);
  }

  async renewLeases(owner: string, leaseUntil: number): Promise<number> {
    return this.s.renew.run(leaseUntil, owner).changes;
  }

  async releaseLeases(owner: string): Promise<void> {
    this.s.release.run(owner);
  }

  async addSignal(executionId: string, kind: string, body: string, now: number): Promise<void> {
    if (this.s.addSignal.run(executionId, kind, body, now, executionId).changes === 0) {
      throw new NotFound(`execution ${executionId}`);
    }
  }

  async takeSignals(owner: string, limit: number): Promise<Signal[]> {
    checkLimit('takeSignals', limit);
    return this.s.takeSignals.all(owner, limit).map(toSignal).sort(bySignalId);
  }
}
