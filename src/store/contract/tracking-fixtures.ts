import { randomUUID } from 'node:crypto';
import type { NewModelVersion } from '../registry-port.js';
import type { MetricPoint, NewRun, RunArtifact, RunLineage, TrackingStore } from '../tracking-port.js';
import { T0 } from './harness.js';

export const SHA_A = 'a'.repeat(64);
export const SHA_B = 'b'.repeat(64);
export const SHA_C = 'c'.repeat(64);

export const LINEAGE: RunLineage = {
  gitCommit: '0123456789abcdef0123456789abcdef01234567',
  gitRepository: 'https://example.com/churn.git',
  gitDirty: false,
  data: { train: SHA_A, validation: SHA_B },
  configHash: 'f'.repeat(64),
  flywheelVersion: '0.1.0',
};

let counter = 0;

/** Creates an experiment named `name` and returns its id. */
export async function experiment(store: TrackingStore, name = `exp-${++counter}`): Promise<string> {
  const id = `e-${randomUUID()}`;
  await store.createExperiment({ id, name, createdAt: T0 });
  return id;
}

/** A run of `experimentId`; each call starts one ms later. */
export function newRun(experimentId: string, overrides: Partial<NewRun> = {}): NewRun {
  counter += 1;
  return {
    id: `run-${counter}-${randomUUID()}`,
    experimentId,
    name: `run-${counter}`,
    startedAt: T0 + counter,
    executionId: null,
    stateName: null,
    parentRunId: null,
    params: {},
    tags: {},
    lineage: LINEAGE,
    ...overrides,
  };
}

export const point = (key: string, step: number, value: number, timestamp = T0 + step): MetricPoint => ({
  key,
  step,
  value,
  timestamp,
});

export const artifact = (name: string, sha256: string, overrides: Partial<RunArtifact> = {}): RunArtifact => ({
  name,
  sha256,
  kind: 'file',
  size: 10,
  role: 'output',
  createdAt: T0,
  ...overrides,
});

export function newModelVersion(group: string, overrides: Partial<NewModelVersion> = {}): NewModelVersion {
  return {
    group,
    artifactSha256: SHA_C,
    format: 'xgboost-json',
    signature: [
      { name: 'tenure', type: 'float' },
      { name: 'plan', type: 'categorical' },
    ],
    runId: null,
    metrics: { auc: 0.91 },
    lineage: LINEAGE,
    actor: 'ana',
    comment: 'first try',
    createdAt: T0,
    ...overrides,
  };
}
