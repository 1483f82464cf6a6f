/** The API's views of tracking and registry records: ids named for what they are, times as ISO strings. */
import type { ArtifactInfo } from '../artifacts/index.js';
import type {
  ExperimentRecord,
  ExperimentSummary,
  MetricPoint,
  ModelEvent,
  ModelGroupRecord,
  ModelVersionRecord,
  RunArtifact,
  RunRecord,
} from '../store/index.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const experimentView = (e: ExperimentRecord & Partial<ExperimentSummary>) => ({
  experimentId: e.id,
  name: e.name,
  createdAt: iso(e.createdAt),
  ...(e.runCount !== undefined && { runCount: e.runCount, lastRunDate: iso(e.lastRunAt ?? null) }),
});

export function runView(run: RunRecord, artifacts?: RunArtifact[]): Record<string, unknown> {
  return {
    runId: run.id,
    name: run.name,
    experimentId: run.experimentId,
    experiment: run.experimentName,
    status: run.status,
    startDate: iso(run.startedAt),
    endDate: iso(run.endedAt),
    executionId: run.executionId,
    stateName: run.stateName,
    parentRunId: run.parentRunId,
    params: run.params,
    tags: run.tags,
    metrics: Object.fromEntries(
      Object.entries(run.metrics).map(([key, m]) => [
        key,
        { last: m.last, lastStep: m.lastStep, lastDate: iso(m.lastTimestamp), min: m.min, max: m.max, count: m.count },
      ]),
    ),
    lineage: run.lineage,
    ...(artifacts !== undefined && { artifacts: artifacts.map(runArtifactView) }),
  };
}

export const runArtifactView = (a: RunArtifact) => ({
  name: a.name,
  sha256: a.sha256,
  kind: a.kind,
  size: a.size,
  role: a.role,
  createdAt: iso(a.createdAt),
});

export const metricPointView = (p: MetricPoint) => ({
  key: p.key,
  value: p.value,
  step: p.step,
  timestamp: iso(p.timestamp),
});

export const modelVersionView = (v: ModelVersionRecord) => ({
  group: v.group,
  version: v.version,
  status: v.status,
  statusChangedBy: v.statusChangedBy,
  statusChangedAt: iso(v.statusChangedAt),
  statusComment: v.statusComment,
  aliases: v.aliases,
  artifactSha256: v.artifactSha256,
  format: v.format,
  signature: v.signature,
  runId: v.runId,
  metrics: v.metrics,
  lineage: v.lineage,
  createdAt: iso(v.createdAt),
});

export const modelGroupView = (g: ModelGroupRecord) => ({
  name: g.name,
  latestVersion: g.latestVersion,
  aliases: g.aliases,
  createdAt: iso(g.createdAt),
  updatedAt: iso(g.updatedAt),
});

export const modelEventView = (e: ModelEvent) => ({ ...e, timestamp: iso(e.timestamp) });

export const artifactView = (a: ArtifactInfo) => ({
  sha256: a.sha256,
  kind: a.kind,
  size: a.size,
  files: a.files,
  storedAt: iso(Math.floor(a.storedAt)),
});
