import { ARTIFACT_COLUMNS, RUN_COLUMNS, RUN_FROM, SUMMARY_COLUMNS, summaryMerge } from '../tracking-rows.js';
import { named } from './sql.js';

// Batches arrive as parallel arrays unnested in one statement, so a batch of any size is one statement text, one
// round trip and one implicit transaction: when the guarding CTE finds no row, the INSERTs read nothing and write
// nothing.
const artifacts = (first: number) =>
  `unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::bigint[], ` +
  `$${first + 4}::text[], $${first + 5}::bigint[]) AS a(name, sha256, kind, size, role, created_at)`;
const insertArtifacts = (run: string, first: number) =>
  `INSERT INTO run_artifacts (run_id, ${ARTIFACT_COLUMNS}) SELECT ${run}.id, a.name, a.sha256, a.kind, a.size, a.role, ` +
  `a.created_at FROM ${run}, ${artifacts(first)} ON CONFLICT (run_id, name) DO UPDATE SET sha256 = excluded.sha256, ` +
  'kind = excluded.kind, size = excluded.size, role = excluded.role, created_at = excluded.created_at';
const pairs = (first: number) => `unnest($${first}::text[], $${first + 1}::text[]) AS g(key, value)`;

export const trackingSql = named(
  {
    insertExperiment: 'INSERT INTO experiments (id, name, created_at) VALUES ($1, $2, $3)',
    getExperiment: 'SELECT id, name, created_at FROM experiments WHERE id = $1',
    findExperiment: 'SELECT id, name, created_at FROM experiments WHERE name = $1',
    listExperiments:
      'SELECT e.id, e.name, e.created_at, count(r.id) AS run_count, max(r.started_at) AS last_run_at ' +
      'FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id GROUP BY e.id, e.name, e.created_at ORDER BY e.name',

    createRun: `
WITH run AS (
  INSERT INTO runs (id, experiment_id, name, status, started_at, execution_id, state_name, parent_run_id, lineage)
  SELECT $1::text, $2::text, $3::text, 'RUNNING', $4::bigint, $5::text, $6::text, $7::text, $8::text
  WHERE EXISTS (SELECT 1 FROM experiments WHERE id = $2)
  RETURNING id
), params AS (
  INSERT INTO run_params (run_id, key, value) SELECT run.id, g.key, g.value FROM run, ${pairs(9)}
), tags AS (
  INSERT INTO run_tags (run_id, key, value) SELECT run.id, g.key, g.value FROM run, ${pairs(11)}
), inputs AS (
  ${insertArtifacts('run', 13)}
)
SELECT count(*)::int AS created FROM run`,
    getRun: `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.id = $1`,
    runStatus: 'SELECT status FROM runs WHERE id = $1',
    endRun: "UPDATE runs SET status = $2, ended_at = $3 WHERE id = $1 AND status = 'RUNNING' RETURNING id",

    paramsOf: 'SELECT run_id, key, value FROM run_params WHERE run_id = ANY($1::text[])',
    tagsOf: 'SELECT run_id, key, value FROM run_tags WHERE run_id = ANY($1::text[])',
    summariesOf: `SELECT ${SUMMARY_COLUMNS} FROM metric_summaries WHERE run_id = ANY($1::text[])`,

    // A param keeps its first value: when any given key already has another value, nothing is written.
    addParams: `
WITH run AS (SELECT id FROM runs WHERE id = $1),
conflicts AS (
  SELECT p.key FROM run_params p JOIN ${pairs(2)} ON g.key = p.key WHERE p.run_id = $1 AND p.value <> g.value
), inserted AS (
  INSERT INTO run_params (run_id, key, value) SELECT run.id, g.key, g.value FROM run, ${pairs(2)}
  WHERE NOT EXISTS (SELECT 1 FROM conflicts) ON CONFLICT (run_id, key) DO NOTHING
)
SELECT (SELECT count(*) FROM run)::int AS found, ARRAY(SELECT key FROM conflicts ORDER BY key) AS conflicts`,
    setTags: `
WITH run AS (SELECT id FROM runs WHERE id = $1), upserted AS (
  INSERT INTO run_tags (run_id, key, value) SELECT run.id, g.key, g.value FROM run, ${pairs(2)}
  ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
)
SELECT count(*)::int AS found FROM run`,

    // FOR SHARE: an endRun that races this batch waits for it, so no point lands after the run ended.
    logMetrics: `
WITH run AS (SELECT id FROM runs WHERE id = $1 AND status = 'RUNNING' FOR SHARE), points AS (
  INSERT INTO metrics (run_id, key, step, value, logged_at)
  SELECT run.id, p.key, p.step, p.value, p.logged_at
  FROM run, unnest($2::text[], $3::bigint[], $4::float8[], $5::bigint[]) AS p(key, step, value, logged_at)
), summaries AS (
  INSERT INTO metric_summaries (${SUMMARY_COLUMNS})
  SELECT run.id, s.key, s.last_value, s.last_step, s.last_logged_at, s.min_value, s.max_value, s.count
  FROM run, unnest($6::text[], $7::float8[], $8::bigint[], $9::bigint[], $10::float8[], $11::float8[], $12::bigint[])
    AS s(key, last_value, last_step, last_logged_at, min_value, max_value, count)
  ${summaryMerge('postgres')}
)
SELECT count(*)::int AS running FROM run`,
    readMetrics: 'SELECT key, value, step, logged_at FROM metrics WHERE run_id = $1 ORDER BY key, step, logged_at',
    readMetric:
      'SELECT key, value, step, logged_at FROM metrics WHERE run_id = $1 AND key = $2 ORDER BY step, logged_at',

    addArtifacts: `
WITH run AS (SELECT id FROM runs WHERE id = $1), added AS (${insertArtifacts('run', 2)})
SELECT count(*)::int AS found FROM run`,
    listArtifacts: `SELECT ${ARTIFACT_COLUMNS} FROM run_artifacts WHERE run_id = $1 ORDER BY name`,
    referenced: 'SELECT DISTINCT sha256 FROM run_artifacts ORDER BY sha256',
  },
  'flywheel.tracking',
);
