/** What the tracking, registry and artifact routes answer (docs/api.md), as the client sees it. */

export interface Experiment {
  experimentId: string;
  name: string;
  createdAt: string;
  runCount?: number;
  lastRunDate?: string | null;
}

export interface MetricSummaryView {
  last: number;
  lastStep: number;
  lastDate: string;
  min: number;
  max: number;
  count: number;
}

export interface RunLineageView {
  gitCommit: string | null;
  gitRepository: string | null;
  gitDirty: boolean | null;
  data: Record<string, string>;
  configHash: string | null;
  flywheelVersion: string;
}

export interface RunArtifactView {
  name: string;
  sha256: string;
  kind: 'file' | 'folder';
  size: number;
  role: 'input' | 'output';
  createdAt: string;
}

export interface Run {
  runId: string;
  name: string;
  experimentId: string;
  experiment: string;
  status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';
  startDate: string;
  endDate: string | null;
  executionId: string | null;
  stateName: string | null;
  parentRunId: string | null;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, MetricSummaryView>;
  lineage: RunLineageView;
  /** Only in `getRun`. */
  artifacts?: RunArtifactView[];
}

export interface StartRunBody {
  experiment: string;
  name?: string;
  params?: Record<string, unknown>;
  tags?: Record<string, unknown>;
  parentRunId?: string;
  lineage?: Partial<Omit<RunLineageView, 'flywheelVersion'>> & { config?: unknown };
}

export interface MetricPointView {
  key: string;
  value: number;
  step: number;
  timestamp: string;
}

export interface RunComparisonView {
  runs: { id: string; name: string; experimentName: string; status: Run['status']; startedAt: number }[];
  params: { differing: Record<string, (string | null)[]>; same: Record<string, string> };
  metrics: Record<
    string,
    {
      direction: 'higher' | 'lower';
      directionKnown: boolean;
      final: (number | null)[];
      best: (number | null)[];
      bestRunId: string | null;
    }
  >;
}

export type ApprovalStatus = 'PendingManualApproval' | 'Approved' | 'Rejected';

export interface ModelVersion {
  group: string;
  version: number;
  status: ApprovalStatus;
  statusChangedBy: string;
  statusChangedAt: string;
  statusComment: string;
  aliases: string[];
  artifactSha256: string;
  format: string;
  signature: { name: string; type: string }[];
  runId: string | null;
  metrics: Record<string, number>;
  lineage: RunLineageView | null;
  createdAt: string;
}

export interface ModelGroup {
  name: string;
  latestVersion: number;
  aliases: Record<string, number>;
  createdAt: string;
  updatedAt: string;
  /** Only in `getModelGroup`, newest first. */
  versions?: ModelVersion[];
}

export interface RegisterModelBody {
  artifactSha256: string;
  format: string;
  signature: { name: string; type: string }[];
  runId?: string;
  metrics?: Record<string, number>;
  actor?: string;
  comment?: string;
}

export interface ModelEventView {
  seq: number;
  type: 'VersionRegistered' | 'StatusChanged' | 'AliasSet' | 'AliasRemoved';
  group: string;
  version: number;
  actor: string;
  comment: string;
  timestamp: string;
  [detail: string]: unknown;
}

export interface ArtifactView {
  sha256: string;
  kind: 'file' | 'folder';
  size: number;
  files: number;
  storedAt: string;
  /** Folders only. */
  entries?: { path: string; sha256: string; size: number }[];
}

export interface GcReportView {
  deleted: { sha256: string; kind: 'file' | 'folder'; size: number }[];
  freedBytes: number;
  kept: number;
}

export interface MetricInputBody {
  key: string;
  value: number;
  step?: number;
  timestamp?: number;
}

/** Who makes a registry change and why. */
export interface ChangeBy {
  comment?: string;
  actor?: string;
}

export interface AliasMove {
  group: string;
  alias: string;
  version: number;
  previousVersion: number | null;
}
