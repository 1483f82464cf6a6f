import { DatabaseError, type Pool } from 'pg';
import { AlreadyExists, InvalidState, NotFound } from '../port.js';
import { checkLimit } from '../rows.js';
import type {
  ExperimentRecord,
  ExperimentSummary,
  MetricPoint,
  NewRun,
  RunArtifact,
  RunQuery,
  RunRecord,
  RunStatus,
  TrackingStore,
} from '../tracking-port.js';
import {
  assembleRuns,
  type ExperimentRow,
  type KeyValueRow,
  type MetricRow,
  type RunArtifactRow,
  type RunRow,
  runSearchSql,
  type SummaryRow,
  summarize,
  toExperiment,
  toMetricPoint,
  toRunArtifact,
} from '../tracking-rows.js';
import { bind } from './sql.js';
import { trackingSql as sql } from './tracking-sql.js';

const uniqueViolation = (error: unknown): string | undefined =>
  error instanceof DatabaseError && error.code === '23505' ? (error.constraint ?? '') : undefined;

const artifactArrays = (list: readonly RunArtifact[]) => [
  list.map((a) => a.name),
  list.map((a) => a.sha256),
  list.map((a) => a.kind),
  list.map((a) => a.size),
  list.map((a) => a.role),
  list.map((a) => a.createdAt),
];

const pairArrays = (record: Record<string, string>) => [Object.keys(record), Object.values(record)];

const toRecord = (row: ExperimentRow): ExperimentRecord => ({
  id: row.id,
  name: row.name,
  createdAt: Number(row.created_at),
});

/** `store.tracking` of the PostgreSQL store: each write is one statement (see tracking-sql.ts), so one transaction. */
export class PostgresTracking implements TrackingStore {
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  async createExperiment(experiment: ExperimentRecord): Promise<ExperimentRecord> {
    try {
      await this.pool.query(bind(sql.insertExperiment, [experiment.id, experiment.name, experiment.createdAt]));
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'experiments_pkey') throw new AlreadyExists(`experiment id ${experiment.id}`);
      if (constraint !== undefined) throw new AlreadyExists(`experiment "${experiment.name}"`);
      throw error;
    }
    return { ...experiment };
  }

  async getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    const { rows } = await this.pool.query<ExperimentRow>(bind(sql.getExperiment, [id]));
    return rows[0] && toRecord(rows[0]);
  }

  async findExperimentByName(name: string): Promise<ExperimentRecord | undefined> {
    const { rows } = await this.pool.query<ExperimentRow>(bind(sql.findExperiment, [name]));
    return rows[0] && toRecord(rows[0]);
  }

  async listExperiments(): Promise<ExperimentSummary[]> {
    const { rows } = await this.pool.query<ExperimentRow>(bind(sql.listExperiments, []));
    return rows.map(toExperiment);
  }

  async createRun(run: NewRun, artifacts: RunArtifact[] = []): Promise<RunRecord> {
    const values = [run.id, run.experimentId, run.name, run.startedAt, run.executionId, run.stateName];
    let created: number | undefined;
    try {
      const { rows } = await this.pool.query<{ created: number }>(
        bind(sql.createRun, [
          ...values,
          run.parentRunId,
          JSON.stringify(run.lineage),
          ...pairArrays(run.params),
          ...pairArrays(run.tags),
          ...artifactArrays(artifacts),
        ]),
      );
      created = rows[0]?.created;
    } catch (error) {
      if (uniqueViolation(error) === 'runs_pkey') throw new AlreadyExists(`run ${run.id}`);
      throw error;
    }
    if (created !== 1) throw new NotFound(`experiment ${run.experimentId}`);
    return this.mustGetRun(run.id);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const { rows } = await this.pool.query<RunRow>(bind(sql.getRun, [id]));
    return (await this.withDetails(rows))[0];
  }

  private async mustGetRun(id: string): Promise<RunRecord> {
    const run = await this.getRun(id);
    if (run === undefined) throw new NotFound(`run ${id}`);
    return run;
  }

  private async withDetails(rows: RunRow[]): Promise<RunRecord[]> {
    if (rows.length === 0) return [];
    const ids = [rows.map((r) => r.id)];
    const [params, tags, summaries] = await Promise.all([
      this.pool.query<KeyValueRow>(bind(sql.paramsOf, ids)),
      this.pool.query<KeyValueRow>(bind(sql.tagsOf, ids)),
      this.pool.query<SummaryRow>(bind(sql.summariesOf, ids)),
    ]);
    return assembleRuns(rows, params.rows, tags.rows, summaries.rows);
  }

  async searchRuns(query: RunQuery): Promise<RunRecord[]> {
    checkLimit('searchRuns', query.limit ?? 100);
    const { text, params } = runSearchSql(query, 'postgres');
    const { rows } = await this.pool.query<RunRow>(text, params);
    return this.withDetails(rows);
  }

  async addRunParams(runId: string, params: Record<string, string>): Promise<void> {
    const { rows } = await this.pool.query<{ found: number; conflicts: string[] }>(
      bind(sql.addParams, [runId, ...pairArrays(params)]),
    );
    if (rows[0]?.found !== 1) throw new NotFound(`run ${runId}`);
    const conflicts = rows[0].conflicts;
    if (conflicts.length > 0) {
      throw new InvalidState(
        `run ${runId}`,
        `a param keeps its first value; ${conflicts.map((k) => `"${k}"`).join(', ')} already set to another value`,
      );
    }
  }

  async setRunTags(runId: string, tags: Record<string, string>): Promise<void> {
    const { rows } = await this.pool.query<{ found: number }>(bind(sql.setTags, [runId, ...pairArrays(tags)]));
    if (rows[0]?.found !== 1) throw new NotFound(`run ${runId}`);
  }

  async logMetrics(runId: string, points: MetricPoint[]): Promise<void> {
    const deltas = summarize(points);
    const { rows } = await this.pool.query<{ running: number }>(
      bind(sql.logMetrics, [
        runId,
        points.map((p) => p.key),
        points.map((p) => p.step),
        points.map((p) => p.value),
        points.map((p) => p.timestamp),
        deltas.map((d) => d.key),
        deltas.map((d) => d.last.value),
        deltas.map((d) => d.last.step),
        deltas.map((d) => d.last.timestamp),
        deltas.map((d) => d.min),
        deltas.map((d) => d.max),
        deltas.map((d) => d.count),
      ]),
    );
    if (rows[0]?.running !== 1) await this.refuseEnded(runId, 'metrics can only be logged while it is RUNNING');
  }

  /** Throws NotFound for an unknown run, InvalidState for an ended one (`why` says what was refused). */
  private async refuseEnded(runId: string, why: string): Promise<never> {
    const { rows } = await this.pool.query<{ status: RunStatus }>(bind(sql.runStatus, [runId]));
    const status = rows[0]?.status;
    if (status === undefined) throw new NotFound(`run ${runId}`);
    throw new InvalidState(`run ${runId}`, `it has ended (${status}); ${why}`);
  }

  async readMetrics(runId: string, key?: string): Promise<MetricPoint[]> {
    const { rows } = await this.pool.query<MetricRow>(
      key === undefined ? bind(sql.readMetrics, [runId]) : bind(sql.readMetric, [runId, key]),
    );
    return rows.map(toMetricPoint);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>, endedAt: number): Promise<RunRecord> {
    const { rowCount } = await this.pool.query(bind(sql.endRun, [runId, status, endedAt]));
    if (rowCount === 0) await this.refuseEnded(runId, 'only a RUNNING run can be ended');
    return this.mustGetRun(runId);
  }

  async addRunArtifacts(runId: string, artifacts: RunArtifact[]): Promise<void> {
    const { rows } = await this.pool.query<{ found: number }>(
      bind(sql.addArtifacts, [runId, ...artifactArrays(artifacts)]),
    );
    if (rows[0]?.found !== 1) throw new NotFound(`run ${runId}`);
  }

  async listRunArtifacts(runId: string): Promise<RunArtifact[]> {
    const { rows } = await this.pool.query<RunArtifactRow>(bind(sql.listArtifacts, [runId]));
    return rows.map(toRunArtifact);
  }

  async referencedArtifacts(): Promise<string[]> {
    const { rows } = await this.pool.query<{ sha256: string }>(bind(sql.referenced, []));
    return rows.map((r) => r.sha256);
  }
}
