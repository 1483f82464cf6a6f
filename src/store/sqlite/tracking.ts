import Database from 'better-sqlite3';
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
  listParam,
  type RunRow,
  runSearchSql,
  summarize,
  toExperiment,
  toMetricPoint,
  toRunArtifact,
} from '../tracking-rows.js';
import { METRIC_CHUNK, prepareTrackingStatements, type TrackingStatements } from './tracking-statements.js';

const isConstraint = (error: unknown, code: string) => error instanceof Database.SqliteError && error.code === code;

/** `store.tracking` of the SQLite store: synchronous better-sqlite3 calls on the store's connection. */
export class SqliteTracking implements TrackingStore {
  private readonly db: Database.Database;
  private readonly s: TrackingStatements;
  private readonly searchCache = new Map<string, Database.Statement<unknown[], RunRow>>();
  private readonly createRunTx;
  private readonly logMetricsTx;
  private readonly addParamsTx;
  private readonly setTagsTx;
  private readonly addArtifactsTx;

  constructor(db: Database.Database) {
    this.db = db;
    this.s = prepareTrackingStatements(db);
    this.createRunTx = db.transaction((run: NewRun, artifacts: RunArtifact[]) => {
      if (this.s.getExperiment.get(run.experimentId) === undefined) {
        throw new NotFound(`experiment ${run.experimentId}`);
      }
      const { id } = run;
      this.s.insertRun.run(
        id,
        run.experimentId,
        run.name,
        run.startedAt,
        run.executionId,
        run.stateName,
        run.parentRunId,
        JSON.stringify(run.lineage),
      );
      for (const [key, value] of Object.entries(run.params)) this.s.insertParam.run(id, key, value);
      for (const [key, value] of Object.entries(run.tags)) this.s.upsertTag.run(id, key, value);
      for (const a of artifacts) this.s.upsertArtifact.run(id, a.name, a.sha256, a.kind, a.size, a.role, a.createdAt);
    });
    this.logMetricsTx = db.transaction((runId: string, points: MetricPoint[]) => {
      this.requireRunning(runId, 'metrics can only be logged while it is RUNNING');
      let i = 0;
      for (; i + METRIC_CHUNK <= points.length; i += METRIC_CHUNK) {
        const values: unknown[] = [];
        for (let j = i; j < i + METRIC_CHUNK; j++) {
          const p = points[j]!;
          values.push(runId, p.key, p.step, p.value, p.timestamp);
        }
        this.s.insertMetricChunk.run(...values);
      }
      for (; i < points.length; i++) {
        const p = points[i]!;
        this.s.insertMetric.run(runId, p.key, p.step, p.value, p.timestamp);
      }
      for (const d of summarize(points)) {
        this.s.mergeSummary.run(runId, d.key, d.last.value, d.last.step, d.last.timestamp, d.min, d.max, d.count);
      }
    });
    this.addParamsTx = db.transaction((runId: string, params: Record<string, string>) => {
      this.requireRun(runId);
      const differing = Object.entries(params).filter(([key, value]) => {
        const existing = this.s.getParam.get(runId, key);
        return existing !== undefined && existing.value !== value;
      });
      if (differing.length > 0) {
        throw new InvalidState(
          `run ${runId}`,
          `a param keeps its first value; ${differing.map(([k]) => `"${k}"`).join(', ')} already set to another value`,
        );
      }
      for (const [key, value] of Object.entries(params)) this.s.insertParam.run(runId, key, value);
    });
    this.setTagsTx = db.transaction((runId: string, tags: Record<string, string>) => {
      this.requireRun(runId);
      for (const [key, value] of Object.entries(tags)) this.s.upsertTag.run(runId, key, value);
    });
    this.addArtifactsTx = db.transaction((runId: string, artifacts: RunArtifact[]) => {
      this.requireRun(runId);
      for (const a of artifacts)
        this.s.upsertArtifact.run(runId, a.name, a.sha256, a.kind, a.size, a.role, a.createdAt);
    });
  }

  private requireRun(runId: string): RunStatus {
    const row = this.s.runStatus.get(runId);
    if (row === undefined) throw new NotFound(`run ${runId}`);
    return row.status;
  }

  private requireRunning(runId: string, why: string): void {
    const status = this.requireRun(runId);
    if (status !== 'RUNNING') throw new InvalidState(`run ${runId}`, `it has ended (${status}); ${why}`);
  }

  async createExperiment(experiment: ExperimentRecord): Promise<ExperimentRecord> {
    try {
      this.s.insertExperiment.run(experiment.id, experiment.name, experiment.createdAt);
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_PRIMARYKEY'))
        throw new AlreadyExists(`experiment id ${experiment.id}`);
      if (isConstraint(error, 'SQLITE_CONSTRAINT_UNIQUE')) throw new AlreadyExists(`experiment "${experiment.name}"`);
      throw error;
    }
    return { ...experiment };
  }

  async getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    const row = this.s.getExperiment.get(id);
    return row && { id: row.id, name: row.name, createdAt: Number(row.created_at) };
  }

  async findExperimentByName(name: string): Promise<ExperimentRecord | undefined> {
    const row = this.s.findExperiment.get(name);
    return row && { id: row.id, name: row.name, createdAt: Number(row.created_at) };
  }

  async listExperiments(): Promise<ExperimentSummary[]> {
    return this.s.listExperiments.all().map(toExperiment);
  }

  async createRun(run: NewRun, artifacts: RunArtifact[] = []): Promise<RunRecord> {
    try {
      this.createRunTx.immediate(run, artifacts);
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new AlreadyExists(`run ${run.id}`);
      throw error;
    }
    return this.mustGetRun(run.id);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = this.s.getRun.get(id);
    return row && this.withDetails([row])[0];
  }

  private mustGetRun(id: string): RunRecord {
    const row = this.s.getRun.get(id);
    if (row === undefined) throw new NotFound(`run ${id}`);
    return this.withDetails([row])[0]!;
  }

  private withDetails(rows: RunRow[]): RunRecord[] {
    if (rows.length === 0) return [];
    const ids = listParam(
      'sqlite',
      rows.map((r) => r.id),
    ) as string;
    return assembleRuns(rows, this.s.paramsOf.all(ids), this.s.tagsOf.all(ids), this.s.summariesOf.all(ids));
  }

  async searchRuns(query: RunQuery): Promise<RunRecord[]> {
    checkLimit('searchRuns', query.limit ?? 100);
    const { text, params } = runSearchSql(query, 'sqlite');
    let statement = this.searchCache.get(text);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], RunRow>(text);
      if (this.searchCache.size > 200) this.searchCache.clear();
      this.searchCache.set(text, statement);
    }
    return this.withDetails(statement.all(...params));
  }

  async addRunParams(runId: string, params: Record<string, string>): Promise<void> {
    this.addParamsTx.immediate(runId, params);
  }

  async setRunTags(runId: string, tags: Record<string, string>): Promise<void> {
    this.setTagsTx.immediate(runId, tags);
  }

  async logMetrics(runId: string, points: MetricPoint[]): Promise<void> {
    this.logMetricsTx.immediate(runId, points);
  }

  async readMetrics(runId: string, key?: string): Promise<MetricPoint[]> {
    const rows = key === undefined ? this.s.readMetrics.all(runId) : this.s.readMetric.all(runId, key);
    return rows.map(toMetricPoint);
  }

  async endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>, endedAt: number): Promise<RunRecord> {
    if (this.s.endRun.run(status, endedAt, runId).changes === 0) {
      this.requireRunning(runId, 'only a RUNNING run can be ended');
    }
    return this.mustGetRun(runId);
  }

  async addRunArtifacts(runId: string, artifacts: RunArtifact[]): Promise<void> {
    this.addArtifactsTx.immediate(runId, artifacts);
  }

  async listRunArtifacts(runId: string): Promise<RunArtifact[]> {
    return this.s.listArtifacts.all(runId).map(toRunArtifact);
  }

  async referencedArtifacts(): Promise<string[]> {
    return this.s.referenced.all();
  }
}
