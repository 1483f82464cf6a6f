/**
 * Tracking rows and their mapping to the port's records, and the SQL both implementations share: the run search and
 * the metric-summary upsert. BIGINT columns arrive as strings from PostgreSQL, hence `int`.
 */
import type { Dialect } from './migrations.js';
import type {
  ExperimentSummary,
  MetricPoint,
  MetricSummary,
  RunArtifact,
  RunLineage,
  RunQuery,
  RunRecord,
  RunStatus,
} from './tracking-port.js';

type BigIntColumn = number | string;
const int = (value: BigIntColumn): number => (typeof value === 'number' ? value : Number(value));
const intOrNull = (value: BigIntColumn | null): number | null => (value === null ? null : int(value));

export interface ExperimentRow {
  id: string;
  name: string;
  created_at: BigIntColumn;
  run_count?: BigIntColumn;
  last_run_at?: BigIntColumn | null;
}

export interface RunRow {
  id: string;
  experiment_id: string;
  experiment_name: string;
  name: string;
  status: RunStatus;
  started_at: BigIntColumn;
  ended_at: BigIntColumn | null;
  execution_id: string | null;
  state_name: string | null;
  parent_run_id: string | null;
  lineage: string;
}

export interface KeyValueRow {
  run_id: string;
  key: string;
  value: string;
}

export interface SummaryRow {
  run_id: string;
  key: string;
  last_value: number;
  last_step: BigIntColumn;
  last_logged_at: BigIntColumn;
  min_value: number;
  max_value: number;
  count: BigIntColumn;
}

export interface MetricRow {
  key: string;
  value: number;
  step: BigIntColumn;
  logged_at: BigIntColumn;
}

export interface RunArtifactRow {
  name: string;
  sha256: string;
  kind: 'file' | 'folder';
  size: BigIntColumn;
  role: 'input' | 'output';
  created_at: BigIntColumn;
}

export const RUN_COLUMNS =
  'r.id, r.experiment_id, e.name AS experiment_name, r.name, r.status, r.started_at, r.ended_at, r.execution_id, ' +
  'r.state_name, r.parent_run_id, r.lineage';
export const RUN_FROM = 'runs r JOIN experiments e ON e.id = r.experiment_id';
export const SUMMARY_COLUMNS = 'run_id, key, last_value, last_step, last_logged_at, min_value, max_value, count';
export const ARTIFACT_COLUMNS = 'name, sha256, kind, size, role, created_at';

export const toExperiment = (row: ExperimentRow): ExperimentSummary => ({
  id: row.id,
  name: row.name,
  createdAt: int(row.created_at),
  runCount: int(row.run_count ?? 0),
  lastRunAt: intOrNull(row.last_run_at ?? null),
});

export const toMetricPoint = (row: MetricRow): MetricPoint => ({
  key: row.key,
  value: row.value,
  step: int(row.step),
  timestamp: int(row.logged_at),
});

export const toRunArtifact = (row: RunArtifactRow): RunArtifact => ({
  name: row.name,
  sha256: row.sha256,
  kind: row.kind,
  size: int(row.size),
  role: row.role,
  createdAt: int(row.created_at),
});

/** Runs in `rows`' order, with the params, tags and metric summaries that belong to them. */
export function assembleRuns(
  rows: RunRow[],
  params: KeyValueRow[],
  tags: KeyValueRow[],
  summaries: SummaryRow[],
): RunRecord[] {
  const byId = new Map<string, RunRecord>();
  const runs = rows.map((row) => {
    const run: RunRecord = {
      id: row.id,
      experimentId: row.experiment_id,
      experimentName: row.experiment_name,
      name: row.name,
      status: row.status,
      startedAt: int(row.started_at),
      endedAt: intOrNull(row.ended_at),
      executionId: row.execution_id,
      stateName: row.state_name,
      parentRunId: row.parent_run_id,
      lineage: JSON.parse(row.lineage) as RunLineage,
      params: {},
      tags: {},
      metrics: {},
    };
    byId.set(run.id, run);
    return run;
  });
  for (const p of params) {
    const run = byId.get(p.run_id);
    if (run) run.params[p.key] = p.value;
  }
  for (const t of tags) {
    const run = byId.get(t.run_id);
    if (run) run.tags[t.key] = t.value;
  }
  for (const s of summaries) {
    const run = byId.get(s.run_id);
    if (run) run.metrics[s.key] = toSummary(s);
  }
  return runs;
}

const toSummary = (s: SummaryRow): MetricSummary => ({
  last: s.last_value,
  lastStep: int(s.last_step),
  lastTimestamp: int(s.last_logged_at),
  min: s.min_value,
  max: s.max_value,
  count: int(s.count),
});

/** One batch's contribution to a key's summary: its newest point, its range and its size. */
export interface SummaryDelta {
  key: string;
  last: MetricPoint;
  min: number;
  max: number;
  count: number;
}

/** Newest = largest step, then latest timestamp, then later in the batch. */
export function summarize(points: readonly MetricPoint[]): SummaryDelta[] {
  const byKey = new Map<string, SummaryDelta>();
  for (const p of points) {
    const d = byKey.get(p.key);
    if (d === undefined) {
      byKey.set(p.key, { key: p.key, last: p, min: p.value, max: p.value, count: 1 });
      continue;
    }
    if (p.step > d.last.step || (p.step === d.last.step && p.timestamp >= d.last.timestamp)) d.last = p;
    if (p.value < d.min) d.min = p.value;
    if (p.value > d.max) d.max = p.value;
    d.count += 1;
  }
  return [...byKey.values()];
}

/** The ON CONFLICT clause that merges a batch's summary into the stored one (`excluded` is the batch's). */
export function summaryMerge(dialect: Dialect): string {
  const t = 'metric_summaries';
  const newer = `excluded.last_step > ${t}.last_step OR (excluded.last_step = ${t}.last_step AND excluded.last_logged_at >= ${t}.last_logged_at)`;
  const pick = (column: string) => `${column} = CASE WHEN ${newer} THEN excluded.${column} ELSE ${t}.${column} END`;
  const [least, greatest] = dialect === 'sqlite' ? ['min', 'max'] : ['LEAST', 'GREATEST'];
  return (
    `ON CONFLICT (run_id, key) DO UPDATE SET ${pick('last_value')}, ${pick('last_step')}, ${pick('last_logged_at')}, ` +
    `min_value = ${least}(${t}.min_value, excluded.min_value), max_value = ${greatest}(${t}.max_value, excluded.max_value), ` +
    `count = ${t}.count + excluded.count`
  );
}

/** `column IN <the ids>`: one parameter either way (a JSON array in SQLite, a text[] in PostgreSQL). */
export function inList(dialect: Dialect, column: string, placeholder: string): string {
  return dialect === 'sqlite'
    ? `${column} IN (SELECT value FROM json_each(${placeholder}))`
    : `${column} = ANY(${placeholder}::text[])`;
}

/** The value to bind for `inList`. */
export const listParam = (dialect: Dialect, ids: readonly string[]): unknown =>
  dialect === 'sqlite' ? JSON.stringify(ids) : ids;

/** The run search as one SELECT and its parameters. Filter keys and values are always bound, never spliced. */
export function runSearchSql(query: RunQuery, dialect: Dialect): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return dialect === 'sqlite' ? '?' : `$${params.length}`;
  };
  const order = query.orderBy ?? { by: 'startedAt', descending: true };
  const direction = order.descending ? 'DESC' : 'ASC';
  let from = RUN_FROM;
  let orderBy = `r.started_at ${direction}, r.id ${direction}`;
  if (order.by === 'metric') {
    from += ` LEFT JOIN metric_summaries o ON o.run_id = r.id AND o.key = ${bind(order.key)}`;
    orderBy = `o.last_value ${direction} NULLS LAST, r.started_at DESC, r.id DESC`;
  }
  const where: string[] = [];
  if (query.experimentIds !== undefined) {
    where.push(inList(dialect, 'r.experiment_id', bind(listParam(dialect, query.experimentIds))));
  }
  if (query.runIds !== undefined) where.push(inList(dialect, 'r.id', bind(listParam(dialect, query.runIds))));
  for (const f of query.filters ?? []) {
    const op = f.op === '!=' ? '<>' : f.op;
    if (f.on === 'attribute') {
      where.push(`${f.key === 'status' ? 'r.status' : 'r.name'} ${op} ${bind(f.value)}`);
    } else if (f.on === 'metric') {
      where.push(
        `EXISTS (SELECT 1 FROM metric_summaries m WHERE m.run_id = r.id AND m.key = ${bind(f.key)} ` +
          `AND m.last_value ${op} ${bind(f.value)})`,
      );
    } else {
      const table = f.on === 'param' ? 'run_params' : 'run_tags';
      where.push(
        `EXISTS (SELECT 1 FROM ${table} k WHERE k.run_id = r.id AND k.key = ${bind(f.key)} AND k.value ${op} ${bind(f.value)})`,
      );
    }
  }
  const text =
    `SELECT ${RUN_COLUMNS} FROM ${from}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ` +
    `ORDER BY ${orderBy} LIMIT ${bind(query.limit ?? 100)}`;
  return { text, params };
}
