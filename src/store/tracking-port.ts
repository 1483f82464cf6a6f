/**
 * The tracking part of the store port: experiments, their runs, each run's params, tags, metric points, artifacts
 * and lineage. Reached as `store.tracking`; both implementations pass the same contract cases
 * (`contract/tracking-*.ts`). The store never reads the clock or makes ids: the tracking service passes them in.
 */

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface ExperimentRecord {
  id: string;
  /** Unique. */
  name: string;
  createdAt: number;
}

export interface ExperimentSummary extends ExperimentRecord {
  runCount: number;
  /** Start time of the newest run, or null before the first. */
  lastRunAt: number | null;
}

/** What produced a run beyond its params, recorded once when it starts. */
export interface RunLineage {
  /** `git rev-parse HEAD` of the project folder, when it is a git checkout. */
  gitCommit: string | null;
  /** The `origin` remote's URL, else the checkout's top folder. */
  gitRepository: string | null;
  /** True when the checkout had uncommitted changes. */
  gitDirty: boolean | null;
  /** Input data by name (e.g. `train`, `validation`) -> artifact sha256. */
  data: Record<string, string>;
  /** sha256 of the canonical JSON of the run's configuration. */
  configHash: string | null;
  /** Flywheel's own version. */
  flywheelVersion: string;
}

export interface NewRun {
  id: string;
  experimentId: string;
  name: string;
  startedAt: number;
  /** The workflow execution and Task state that started the run, if a workflow did. */
  executionId: string | null;
  stateName: string | null;
  parentRunId: string | null;
  params: Record<string, string>;
  tags: Record<string, string>;
  lineage: RunLineage;
}

/** The newest point of one metric of a run (largest step, then latest logged) and its range. */
export interface MetricSummary {
  last: number;
  lastStep: number;
  lastTimestamp: number;
  min: number;
  max: number;
  count: number;
}

export interface RunRecord extends NewRun {
  experimentName: string;
  status: RunStatus;
  endedAt: number | null;
  metrics: Record<string, MetricSummary>;
}

/** One value of a metric. Several points may share a step; the later timestamp is the newer. */
export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export interface RunArtifact {
  /** Unique within the run, e.g. `model`, `report`, `data/train`. */
  name: string;
  sha256: string;
  kind: 'file' | 'folder';
  size: number;
  /** `input`: data the run read (lineage); `output`: what it made. */
  role: 'input' | 'output';
  createdAt: number;
}

/** A condition of a run search. `!=` matches runs that have the key with another value. */
export type RunFilter =
  | { on: 'param' | 'tag'; key: string; op: '=' | '!='; value: string }
  | { on: 'metric'; key: string; op: '<' | '<=' | '=' | '!=' | '>' | '>='; value: number }
  | { on: 'attribute'; key: 'status' | 'name'; op: '=' | '!='; value: string };

/** A metric orders by its newest value; runs without it come last. Ties go newest run first. */
export type RunOrder = { by: 'metric'; key: string; descending: boolean } | { by: 'startedAt'; descending: boolean };

export interface RunQuery {
  experimentIds?: string[];
  runIds?: string[];
  /** All must hold. */
  filters?: RunFilter[];
  /** Default: newest first. */
  orderBy?: RunOrder;
  /** Default 100. */
  limit?: number;
}

export interface TrackingStore {
  /** Throws AlreadyExists for a taken name or id. */
  createExperiment(experiment: ExperimentRecord): Promise<ExperimentRecord>;
  getExperiment(id: string): Promise<ExperimentRecord | undefined>;
  findExperimentByName(name: string): Promise<ExperimentRecord | undefined>;
  /** By name. */
  listExperiments(): Promise<ExperimentSummary[]>;

  /**
   * Creates a RUNNING run with its params, tags, lineage and first artifacts (the service passes the lineage's data
   * as `input` artifacts) in one transaction. Throws AlreadyExists for a taken id, NotFound for an unknown experiment.
   */
  createRun(run: NewRun, artifacts?: RunArtifact[]): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | undefined>;
  searchRuns(query: RunQuery): Promise<RunRecord[]>;
  /** Adds params; a param keeps its first value (InvalidState names the keys that differ; nothing is written). */
  addRunParams(runId: string, params: Record<string, string>): Promise<void>;
  /** Sets tags, replacing the values of existing keys. Throws NotFound. */
  setRunTags(runId: string, tags: Record<string, string>): Promise<void>;
  /**
   * Appends metric points in one transaction and updates each key's summary. Values must be finite (the service
   * checks). Throws NotFound for an unknown run and InvalidState for a run that has ended; nothing is written then.
   */
  logMetrics(runId: string, points: MetricPoint[]): Promise<void>;
  /** Points in (key, step, timestamp) order; only `key`'s when given. */
  readMetrics(runId: string, key?: string): Promise<MetricPoint[]>;
  /** Ends a RUNNING run. Throws NotFound, or InvalidState when it has already ended. */
  endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>, endedAt: number): Promise<RunRecord>;
  /** Records artifacts of a run (replacing one of the same name). Throws NotFound. */
  addRunArtifacts(runId: string, artifacts: RunArtifact[]): Promise<void>;
  /** By name. */
  listRunArtifacts(runId: string): Promise<RunArtifact[]>;
  /** Every artifact sha256 a run refers to (inputs and outputs), each once. */
  referencedArtifacts(): Promise<string[]>;
}
