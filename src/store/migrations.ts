/**
 * The store's schema, as numbered migrations shared by SQLite and PostgreSQL. Each runs once per database, in its own
 * transaction, recorded in `schema_migrations(version, name, applied_at)`; the runners live in `sqlite/migrations.ts`
 * and `postgres/migrations.ts`.
 *
 * To change the schema, append one entry with the next version, e.g.
 * `{ version: 2, name: 'experiments and runs', sql: 'CREATE TABLE experiments (...); CREATE TABLE runs (...);' }`.
 * Never edit or reorder an entry that has shipped: databases out there have already run it.
 * Use a function of the dialect only where the SQL differs (as `autoId` does below).
 */

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  /** 1, 2, 3, ... with no gaps. */
  version: number;
  name: string;
  /** One or more statements separated by semicolons. */
  sql: string | ((dialect: Dialect) => string);
}

/** An auto-increment primary key that never reuses an id, even after the newest rows are deleted. */
const autoId = (dialect: Dialect): string =>
  dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';

// Times are epoch milliseconds (BIGINT). Executions keep no foreign key to state_machines: a deleted state machine's
// executions stay readable. Invariant: owner IS NULL exactly when lease_until IS NULL.
const v1StateMachinesExecutionsHistorySignals = (dialect: Dialect): string => `
CREATE TABLE state_machines (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE executions (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  state_machine_name TEXT NOT NULL,
  state_machine_version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  input TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')),
  output TEXT,
  error TEXT,
  cause TEXT,
  started_at BIGINT NOT NULL,
  stopped_at BIGINT,
  parent_id TEXT,
  owner TEXT,
  lease_until BIGINT,
  last_seq INTEGER NOT NULL,
  CONSTRAINT executions_name_unique UNIQUE (state_machine_name, name)
);
CREATE INDEX executions_started ON executions (started_at, id);
CREATE INDEX executions_machine_started ON executions (state_machine_name, started_at, id);
CREATE INDEX executions_status_started ON executions (status, started_at, id);
CREATE INDEX executions_claimable ON executions (lease_until) WHERE status = 'RUNNING';
CREATE INDEX executions_owner ON executions (owner) WHERE status = 'RUNNING';
CREATE TABLE events (
  execution_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (execution_id, seq)
);
CREATE TABLE signals (
  id ${autoId(dialect)},
  execution_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX signals_execution ON signals (execution_id, id);
`;

// Tracking and registry (issue 5). JSON columns are TEXT written by the store. No foreign keys, as in v1: the store
// checks existence inside its transactions. `metric_summaries` keeps each (run, key)'s newest point and range, updated
// with every batch, so search, ordering and comparison never scan the points. Run ids are unique across experiments.
const v2TrackingAndRegistry = (dialect: Dialect): string => `
CREATE TABLE experiments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL CONSTRAINT experiments_name_unique UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  experiment_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  execution_id TEXT,
  state_name TEXT,
  parent_run_id TEXT,
  lineage TEXT NOT NULL
);
CREATE INDEX runs_started ON runs (started_at, id);
CREATE INDEX runs_experiment_started ON runs (experiment_id, started_at, id);
CREATE INDEX runs_execution ON runs (execution_id);
CREATE TABLE run_params (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX run_params_key_value ON run_params (key, value);
CREATE TABLE run_tags (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX run_tags_key_value ON run_tags (key, value);
CREATE TABLE metrics (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  step BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  logged_at BIGINT NOT NULL
);
CREATE INDEX metrics_run_key_step ON metrics (run_id, key, step);
CREATE TABLE metric_summaries (
  run_id TEXT NOT NULL,
  key TEXT NOT NULL,
  last_value DOUBLE PRECISION NOT NULL,
  last_step BIGINT NOT NULL,
  last_logged_at BIGINT NOT NULL,
  min_value DOUBLE PRECISION NOT NULL,
  max_value DOUBLE PRECISION NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX metric_summaries_key_value ON metric_summaries (key, last_value);
CREATE TABLE run_artifacts (
  run_id TEXT NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('file', 'folder')),
  size BIGINT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('input', 'output')),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE INDEX run_artifacts_sha256 ON run_artifacts (sha256);
CREATE TABLE model_groups (
  name TEXT PRIMARY KEY,
  latest_version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE model_versions (
  group_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  artifact_sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  signature TEXT NOT NULL,
  run_id TEXT,
  metrics TEXT NOT NULL,
  lineage TEXT,
  status TEXT NOT NULL CHECK (status IN ('PendingManualApproval', 'Approved', 'Rejected')),
  status_changed_by TEXT NOT NULL,
  status_changed_at BIGINT NOT NULL,
  status_comment TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (group_name, version)
);
CREATE INDEX model_versions_run ON model_versions (run_id);
CREATE TABLE model_aliases (
  group_name TEXT NOT NULL,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (group_name, alias)
);
CREATE TABLE model_events (
  seq ${autoId(dialect)},
  group_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  comment TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  detail TEXT NOT NULL
);
`;

// Model endpoints (issue 6). Configs are JSON text the endpoint service writes; the store does not look inside.
const v3Endpoints = `
CREATE TABLE endpoints (
  name TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('Creating', 'InService', 'Updating', 'RollingBack', 'Failed', 'Deleting')),
  config TEXT NOT NULL,
  pending_config TEXT,
  failure_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
`;

/** Every migration, oldest first. Append only. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'state machines, executions, history, signals', sql: v1StateMachinesExecutionsHistorySignals },
  { version: 2, name: 'experiments, runs, metrics, model registry', sql: v2TrackingAndRegistry },
  { version: 3, name: 'model endpoints', sql: v3Endpoints },
];

/** The SQL text of `migration` for `dialect`. */
export function migrationSql(migration: Migration, dialect: Dialect): string {
  return typeof migration.sql === 'string' ? migration.sql : migration.sql(dialect);
}

/** The newest version this code knows. */
export const latestVersion = migrations.length;

/**
 * Checks the list (versions 1..n in order) and that the database is not newer than this code. `newest` is the
 * highest version the database has applied (0 for a new database); `where` names the database for the message.
 */
export function checkMigrations(newest: number, where: string): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`src/store/migrations.ts: migration #${i + 1} ("${m.name}") must have version ${i + 1}`);
    }
  });
  if (newest > latestVersion) {
    throw new Error(
      `${where}: the database schema is at version ${newest} but this Flywheel knows versions up to ${latestVersion}; ` +
        'upgrade Flywheel or use another database',
    );
  }
}
