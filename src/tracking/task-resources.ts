/**
 * Task resources that let a workflow record runs and register models without glue code. They are Flywheel's own
 * code (no user code), so they run inside the engine's process. Inputs are spelled like every Flywheel resource's
 * (`RunId`, `Experiment`, ...); see docs/tracking.md for each one's fields and result.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArtifactName, isSha256 } from '../artifacts/index.js';
import type { Json, JsonObject } from '../engine/asl/index.js';
import { type Engine, TaskFailure, type TaskRequest, type TaskRunner } from '../engine/runtime/index.js';
import { InvalidState, type ModelFeature, NotFound, type RunStatus } from '../store/index.js';
import { InvalidInput } from './errors.js';
import type { TrackingServices } from './services.js';

export const TRACKING_RESOURCES = {
  startRun: 'flywheel:tracking.startRun',
  logMetrics: 'flywheel:tracking.logMetrics',
  logArtifact: 'flywheel:tracking.logArtifact',
  endRun: 'flywheel:tracking.endRun',
  registerModel: 'flywheel:registry.registerModel',
} as const;

/** The service's precise exceptions as ASL errors a Retry or Catch can match. */
function asTaskFailure(error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidInput || error instanceof InvalidArtifactName) {
    return new TaskFailure('Flywheel.InvalidInput', message);
  }
  if (error instanceof NotFound) return new TaskFailure('Flywheel.NotFound', message);
  if (error instanceof InvalidState) return new TaskFailure('Flywheel.InvalidState', message);
  return new TaskFailure('States.TaskFailed', message);
}

/** Reads the task input's fields; a missing or mistyped one is Flywheel.InvalidInput naming the resource and field. */
function fields(request: TaskRequest) {
  const input: JsonObject =
    typeof request.input === 'object' && request.input !== null && !Array.isArray(request.input) ? request.input : {};
  const fail = (field: string, wanted: string): never => {
    throw new InvalidInput(`${request.resource}: "${field}" must be ${wanted}`);
  };
  const optional = (field: string): string | undefined => {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' && value !== '' ? value : fail(field, 'a non-empty string');
  };
  return {
    input,
    optional,
    required: (field: string): string => optional(field) ?? fail(field, 'a non-empty string'),
    object: (field: string): JsonObject | undefined => {
      const value = input[field];
      if (value === undefined || value === null) return undefined;
      return typeof value === 'object' && !Array.isArray(value) ? value : fail(field, 'an object');
    },
    /** A path relative to the definition's project folder. */
    path: (relative: string): string => resolve(request.cwd ?? process.cwd(), relative),
  };
}

type Handler = (request: TaskRequest, services: TrackingServices) => Promise<Json>;

/** A sha256 stays as it is; anything else is a file or folder path, stored first. */
async function artifactOf(services: TrackingServices, value: string, path: (p: string) => string): Promise<string> {
  if (isSha256(value)) return value;
  const full = path(value);
  const folder = (await stat(full).catch(() => undefined))?.isDirectory() ?? false;
  return (await (folder ? services.artifacts.putFolder(full) : services.artifacts.putFile(full))).sha256;
}

const handlers: Record<keyof typeof TRACKING_RESOURCES, Handler> = {
  async startRun(request, services) {
    const f = fields(request);
    const lineage = f.object('Lineage') ?? {};
    const data: Record<string, string> = {};
    for (const [name, value] of Object.entries((lineage.Data ?? {}) as JsonObject)) {
      if (typeof value !== 'string')
        throw new InvalidInput(`${request.resource}: "Lineage.Data.${name}" must be a string`);
      data[name] = await artifactOf(services, value, f.path);
    }
    const text = (v: Json | undefined) => (typeof v === 'string' ? v : undefined);
    const parentRunId = f.optional('ParentRunId');
    const name = f.optional('RunName') ?? request.stateName.replace(/[^A-Za-z0-9._ -]/g, '-');
    // The id derives from the execution and task, so a resumed attempt finds the run it already started.
    const id = createHash('sha256').update(`${request.executionId}/${request.taskId}`).digest('hex').slice(0, 32);
    const existing = await services.tracking.store.getRun(id);
    const run =
      existing ??
      (await services.tracking.startRun({
        id,
        experiment: f.required('Experiment'),
        name,
        params: f.object('Params') ?? {},
        tags: f.object('Tags') ?? {},
        executionId: request.executionId,
        stateName: request.stateName,
        ...(parentRunId !== undefined && { parentRunId }),
        lineage: {
          gitDir: f.path(text(lineage.GitDir) ?? '.'),
          data,
          ...(lineage.Config !== undefined && { config: lineage.Config }),
          ...(text(lineage.ConfigHash) !== undefined && { configHash: text(lineage.ConfigHash)! }),
          ...(text(lineage.GitCommit) !== undefined && { gitCommit: text(lineage.GitCommit)! }),
          ...(text(lineage.GitRepository) !== undefined && { gitRepository: text(lineage.GitRepository)! }),
        },
      }));
    return { runId: run.id, experimentId: run.experimentId, runName: run.name };
  },

  async logMetrics(request, services) {
    const f = fields(request);
    const metrics = f.input.Metrics;
    const step = f.input.Step ?? 0;
    // Either {name: value} for one step, or [{key, value, step?}] for many.
    const points = Array.isArray(metrics)
      ? metrics
      : Object.entries((metrics ?? {}) as JsonObject).map(([key, value]) => ({ key, value, step }));
    return { logged: await services.tracking.logMetrics(f.required('RunId'), points) };
  },

  async logArtifact(request, services) {
    const f = fields(request);
    const value = f.optional('Sha256') ?? f.required('Path');
    const role = f.optional('Role');
    if (role !== undefined && role !== 'input' && role !== 'output') {
      throw new InvalidInput(`${request.resource}: "Role" must be "input" or "output"`);
    }
    const artifact = await services.tracking.logArtifact(f.required('RunId'), {
      name: f.required('Name'),
      sha256: await artifactOf(services, value, f.path),
      ...(role !== undefined && { role }),
    });
    return { name: artifact.name, sha256: artifact.sha256, kind: artifact.kind, size: artifact.size };
  },

  async endRun(request, services) {
    const f = fields(request);
    const status = (f.optional('Status') ?? 'FINISHED') as Exclude<RunStatus, 'RUNNING'>;
    const run = await services.tracking.endRun(f.required('RunId'), status);
    return { runId: run.id, status: run.status };
  },

  async registerModel(request, services) {
    const f = fields(request);
    const group = f.required('Group');
    const sha = await artifactOf(services, f.optional('ModelSha256') ?? f.required('ModelPath'), f.path);
    const runId = f.optional('RunId');
    // A resumed attempt finds the version it already registered for this run and model.
    const same = runId === undefined ? undefined : await sameVersion(services, group, runId, sha);
    // {Name, Type} as the definition spells it (or {name, type}); registerModel checks the shape and says what is wrong.
    const raw = f.input.Signature;
    const signature = (
      Array.isArray(raw)
        ? raw.map((s) => {
            const o = (typeof s === 'object' && s !== null && !Array.isArray(s) ? s : {}) as JsonObject;
            return { name: o.Name ?? o.name, type: o.Type ?? o.type };
          })
        : raw
    ) as ModelFeature[];
    const version =
      same ??
      (await services.registry.registerModel({
        group,
        artifactSha256: sha,
        format: f.optional('Format') ?? 'xgboost-json',
        signature,
        ...(runId !== undefined && { runId }),
        ...(f.object('Metrics') !== undefined && { metrics: f.object('Metrics') as Record<string, number> }),
        actor: `execution ${request.executionId}`,
        comment: f.optional('Comment') ?? `registered by state ${request.stateName}`,
      }));
    return { group: version.group, version: version.version, status: version.status, artifactSha256: sha };
  },
};

async function sameVersion(services: TrackingServices, group: string, runId: string, sha: string) {
  const versions = await services.registry.store.listModelVersions(group);
  return versions.find((v) => v.runId === runId && v.artifactSha256 === sha);
}

/** Registers the tracking and registry task resources on `engine`. */
export function registerTrackingRunners(engine: Engine, services: TrackingServices): TaskRunner[] {
  return Object.entries(TRACKING_RESOURCES).map(([key, resource]) => {
    const handler = handlers[key as keyof typeof TRACKING_RESOURCES];
    const runner: TaskRunner = {
      // Re-running after a crash is safe for all but logMetrics, which would log its points twice.
      resumable: key !== 'logMetrics',
      async run(request) {
        try {
          return await handler(request, services);
        } catch (error) {
          throw asTaskFailure(error);
        }
      },
    };
    engine.registerRunner(resource, runner);
    return runner;
  });
}
