import type Database from 'better-sqlite3';
import {
  type AppendStateRow,
  EVENT_COLUMNS,
  type EventRow,
  EXECUTION_COLUMNS,
  type ExecutionRow,
  SIGNAL_COLUMNS,
  type SignalRow,
  STATE_MACHINE_COLUMNS,
  type StateMachineRow,
} from '../rows.js';

/** Every fixed statement of the SQLite store, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  const ended = 'owner = NULL, lease_until = NULL';
  // The append guard: the row changes only if this owner holds the lease and nobody appended since.
  const guard = "WHERE id = ? AND owner = ? AND last_seq = ? AND status = 'RUNNING'";
  return {
    insertStateMachine: db.prepare<[string, string, number, number]>(
      'INSERT INTO state_machines (name, definition, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)',
    ),
    updateStateMachine: db.prepare<[string, number, string], StateMachineRow>(
      'UPDATE state_machines SET definition = ?, version = version + 1, updated_at = ? WHERE name = ? ' +
        `RETURNING ${STATE_MACHINE_COLUMNS}`,
    ),
    getStateMachine: db.prepare<[string], StateMachineRow>(
      `SELECT ${STATE_MACHINE_COLUMNS} FROM state_machines WHERE name = ?`,
    ),
    listStateMachines: db.prepare<[], StateMachineRow>(
      `SELECT ${STATE_MACHINE_COLUMNS} FROM state_machines ORDER BY name`,
    ),
    deleteStateMachine: db.prepare<[string]>('DELETE FROM state_machines WHERE name = ?'),

    insertExecution: db.prepare<
      [string, string, string, number, string, string, number, string | null, string, number, number]
    >(
      'INSERT INTO executions (id, name, state_machine_name, state_machine_version, definition, input, status, ' +
        "started_at, parent_id, owner, lease_until, last_seq) VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?)",
    ),
    getExecution: db.prepare<[string], ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = ?`),
    findExecutionByName: db.prepare<[string, string], ExecutionRow>(
      `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE state_machine_name = ? AND name = ?`,
    ),

    advance: db.prepare<[number, string, string, number]>(`UPDATE executions SET last_seq = ? ${guard}`),
    end: db.prepare<[number, string, string | null, string | null, string | null, number, string, string, number]>(
      'UPDATE executions SET last_seq = ?, status = ?, output = ?, error = ?, cause = ?, stopped_at = ?, ' +
        `${ended} ${guard}`,
    ),
    appendState: db.prepare<[string], AppendStateRow>('SELECT status, owner, last_seq FROM executions WHERE id = ?'),
    insertEvent: db.prepare<[string, number, string, number, string]>(
      'INSERT INTO events (execution_id, seq, type, occurred_at, body) VALUES (?, ?, ?, ?, ?)',
    ),
    readHistory: db.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE execution_id = ? AND seq > ? ORDER BY seq`,
    ),

    // One statement, so it is atomic against other connections without an explicit transaction.
    claim: db.prepare<[string, number, number, number], ExecutionRow>(
      'UPDATE executions SET owner = ?, lease_until = ? WHERE id IN (SELECT id FROM executions ' +
        "WHERE status = 'RUNNING' AND (lease_until IS NULL OR lease_until <= ?) ORDER BY started_at, id LIMIT ?) " +
        `RETURNING ${EXECUTION_COLUMNS}`,
    ),
    renew: db.prepare<[number, string]>("UPDATE executions SET lease_until = ? WHERE owner = ? AND status = 'RUNNING'"),
    release: db.prepare<[string]>(`UPDATE executions SET ${ended} WHERE owner = ? AND status = 'RUNNING'`),

    addSignal: db.prepare<[string, string, string, number, string]>(
      'INSERT INTO signals (execution_id, kind, body, created_at) ' +
        'SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM executions WHERE id = ?)',
    ),
    takeSignals: db.prepare<[string, number], SignalRow>(
      'DELETE FROM signals WHERE id IN (SELECT s.id FROM signals s JOIN executions e ON e.id = s.execution_id ' +
        `WHERE e.owner = ? AND e.status = 'RUNNING' ORDER BY s.id LIMIT ?) RETURNING ${SIGNAL_COLUMNS}`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
