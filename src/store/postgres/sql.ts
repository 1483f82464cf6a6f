import type { QueryConfig } from 'pg';
import { EVENT_COLUMNS, EXECUTION_COLUMNS, SIGNAL_COLUMNS, STATE_MACHINE_COLUMNS } from '../rows.js';

/**
 * The fixed statements of the PostgreSQL store. Each has a name, so every pooled connection prepares it once and
 * then only binds and executes it. Names must be unique per connection: other files pass their own `prefix`.
 */
export const named = <T extends Record<string, string>>(
  texts: T,
  prefix = 'flywheel',
): { [K in keyof T]: { name: string; text: string } } =>
  Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, { name: `${prefix}.${key}`, text }])) as {
    [K in keyof T]: { name: string; text: string };
  };

/** Binds `values` to a named statement. */
export const bind = (statement: { name: string; text: string }, values: unknown[]): QueryConfig => ({
  ...statement,
  values,
});

// The new events arrive as three parallel arrays (type, occurred_at, body) so that a batch of any size is one
// statement text; WITH ORDINALITY numbers them 1..n.
const newEvents = (firstArray: number) =>
  `unnest($${firstArray}::text[], $${firstArray + 1}::bigint[], $${firstArray + 2}::text[]) ` +
  'WITH ORDINALITY AS e(type, occurred_at, body, n)';

// The append guard: the row changes only if this owner holds the lease and nobody appended since.
const append = (end: string) => `
WITH execution AS (
  UPDATE executions SET last_seq = $3::int + cardinality($4::text[])${end}
  WHERE id = $1 AND owner = $2 AND last_seq = $3::int AND status = 'RUNNING'
  RETURNING id
), appended AS (
  INSERT INTO events (execution_id, seq, type, occurred_at, body)
  SELECT execution.id, $3::int + e.n, e.type, e.occurred_at, e.body FROM execution, ${newEvents(4)}
)
SELECT count(*)::int AS updated FROM execution`;

const ended = 'owner = NULL, lease_until = NULL';

export const sql = named({
  insertStateMachine:
    'INSERT INTO state_machines (name, definition, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3)',
  updateStateMachine:
    'UPDATE state_machines SET definition = $2, version = version + 1, updated_at = $3 WHERE name = $1 ' +
    `RETURNING ${STATE_MACHINE_COLUMNS}`,
  getStateMachine: `SELECT ${STATE_MACHINE_COLUMNS} FROM state_machines WHERE name = $1`,
  listStateMachines: `SELECT ${STATE_MACHINE_COLUMNS} FROM state_machines ORDER BY name`,
  deleteStateMachine: 'DELETE FROM state_machines WHERE name = $1',

  // One statement: a duplicate fails it whole, so no event is written either.
  createExecution: `
WITH execution AS (
  INSERT INTO executions (id, name, state_machine_name, state_machine_version, definition, input, status,
    started_at, parent_id, owner, lease_until, last_seq)
  VALUES ($1, $2, $3, $4, $5, $6, 'RUNNING', $7, $8, $9, $10, cardinality($11::text[]))
  RETURNING id
)
INSERT INTO events (execution_id, seq, type, occurred_at, body)
SELECT execution.id, e.n, e.type, e.occurred_at, e.body FROM execution, ${newEvents(11)}`,
  getExecution: `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = $1`,
  findExecutionByName: `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE state_machine_name = $1 AND name = $2`,

  // One statement, one round trip, one implicit transaction: when the guarded UPDATE matches no row, the INSERT
  // reads an empty `execution` and writes nothing.
  append: append(''),
  appendAndEnd: append(`, status = $7, output = $8, error = $9, cause = $10, stopped_at = $11, ${ended}`),
  appendState: 'SELECT status, owner, last_seq FROM executions WHERE id = $1',
  readHistory: `SELECT ${EVENT_COLUMNS} FROM events WHERE execution_id = $1 AND seq > $2 ORDER BY seq`,

  // SKIP LOCKED: concurrent claimers split the candidates instead of queueing on the same rows; a row another
  // claimer took meanwhile is re-checked against the lease condition and dropped.
  claim: `
UPDATE executions SET owner = $1, lease_until = $2
WHERE id IN (
  SELECT id FROM executions
  WHERE status = 'RUNNING' AND (lease_until IS NULL OR lease_until <= $3)
  ORDER BY started_at, id LIMIT $4
  FOR UPDATE SKIP LOCKED
)
RETURNING ${EXECUTION_COLUMNS}`,
  renew: "UPDATE executions SET lease_until = $2 WHERE owner = $1 AND status = 'RUNNING'",
  release: `UPDATE executions SET ${ended} WHERE owner = $1 AND status = 'RUNNING'`,

  addSignal:
    'INSERT INTO signals (execution_id, kind, body, created_at) SELECT $1::text, $2::text, $3::text, $4::bigint ' +
    'WHERE EXISTS (SELECT 1 FROM executions WHERE id = $1)',
  takeSignals: `
DELETE FROM signals WHERE id IN (
  SELECT s.id FROM signals s JOIN executions e ON e.id = s.execution_id
  WHERE e.owner = $1 AND e.status = 'RUNNING'
  ORDER BY s.id LIMIT $2
  FOR UPDATE OF s SKIP LOCKED
)
RETURNING ${SIGNAL_COLUMNS}`,
});
