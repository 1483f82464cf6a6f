import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { type ArtifactInfo, type ArtifactStore, checkSha256 } from '../artifacts/index.js';
import {
  AlreadyExists,
  type ExperimentRecord,
  type ExperimentSummary,
  type MetricPoint,
  NotFound,
  type RunArtifact,
  type RunLineage,
  type RunRecord,
  type RunStatus,
  type TrackingStore,
} from '../store/index.js';
import { compareRuns, type RunComparison } from './compare.js';
import { InvalidInput } from './errors.js';
import { configHash, gitLineage } from './lineage.js';
import { createMetricsSink, type MetricsSink, type MetricsSinkOptions } from './metrics-sink.js';
import { parseRunFilter, parseRunOrder } from './search-syntax.js';
import { checkKey, checkName, checkPoints, checkStrings } from './validate.js';

export interface TrackingServiceOptions {
  store: TrackingStore;
  artifacts: ArtifactStore;
  /** Flywheel's own version, recorded in every run's lineage. */
  flywheelVersion: string;
  now?: () => number;
}

/** What a caller says about where a run comes from; the service turns it into the stored RunLineage. */
export interface LineageInput {
  /** Read the git commit, repository and dirtiness of this folder (`git rev-parse HEAD` as a child process). */
  gitDir?: string;
  /** Given values win over what `gitDir` finds (e.g. a CI system's commit). */
  gitCommit?: string;
  gitRepository?: string;
  gitDirty?: boolean;
  /** Input data by name -> sha256 of an artifact already in the artifact store. */
  data?: Record<string, string>;
  /** The run's configuration; its canonical JSON is hashed. */
  config?: unknown;
  /** Or the hash itself. */
  configHash?: string;
}

export interface StartRunRequest {
  experiment: string;
  name?: string;
  /** Chosen by the caller to make a retried start idempotent (task resources derive it); default random. */
  id?: string;
  params?: Record<string, unknown>;
  tags?: Record<string, unknown>;
  parentRunId?: string;
  executionId?: string;
  stateName?: string;
  lineage?: LineageInput;
}

export interface RunSearchRequest {
  /** Experiment names; default all. */
  experiments?: string[];
  /** See search-syntax.ts, e.g. `params.max_depth = '6' and metrics.auc > 0.8`. */
  filter?: string;
  /** e.g. `metrics.auc DESC`; default newest first. */
  orderBy?: string;
  /** 1..10000, default 100. */
  limit?: number;
}

export interface RunArtifactRequest {
  name: string;
  /** An artifact already stored, or a file or folder to store first. */
  sha256?: string;
  path?: string;
  role?: 'input' | 'output';
}

const MAX_COMPARE = 1000;
const MAX_LIMIT = 10_000;

/** Experiments, runs, metrics, lineage and run search, over the store's tracking port and the artifact store. */
export class TrackingService {
  readonly store: TrackingStore;
  readonly artifacts: ArtifactStore;
  private readonly version: string;
  private readonly now: () => number;

  constructor(options: TrackingServiceOptions) {
    this.store = options.store;
    this.artifacts = options.artifacts;
    this.version = options.flywheelVersion;
    this.now = options.now ?? Date.now;
  }

  /** Throws AlreadyExists. */
  createExperiment(name: string): Promise<ExperimentRecord> {
    checkName(name, 'experiment name');
    return this.store.createExperiment({ id: randomUUID(), name, createdAt: this.now() });
  }

  /** The experiment of that name, created if missing (safe when two callers race). */
  async ensureExperiment(name: string): Promise<ExperimentRecord> {
    checkName(name, 'experiment name');
    const found = await this.store.findExperimentByName(name);
    if (found) return found;
    return this.createExperiment(name).catch(async (error: unknown) => {
      const raced = error instanceof AlreadyExists ? await this.store.findExperimentByName(name) : undefined;
      if (raced === undefined) throw error;
      return raced;
    });
  }

  listExperiments(): Promise<ExperimentSummary[]> {
    return this.store.listExperiments();
  }

  /** Starts a RUNNING run, creating its experiment if needed and recording its lineage. */
  async startRun(request: StartRunRequest): Promise<RunRecord> {
    // Everything is checked before the experiment is created, so a refused start leaves nothing behind.
    checkName(request.experiment, 'experiment name');
    const id = request.id ?? randomUUID().replaceAll('-', '');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new InvalidInput(`run id must be 1-64 letters, digits, "_" or "-"`);
    const name = request.name === undefined ? `run-${id.slice(0, 8)}` : checkName(request.name, 'run name');
    const params = checkStrings(request.params, 'param');
    const tags = checkStrings(request.tags, 'tag');
    if (request.parentRunId !== undefined) await this.getRun(request.parentRunId, 'parent run');
    const { lineage, inputs } = await this.lineage(request.lineage ?? {});
    const experiment = await this.ensureExperiment(request.experiment);
    return this.store.createRun(
      {
        id,
        experimentId: experiment.id,
        name,
        startedAt: this.now(),
        executionId: request.executionId ?? null,
        stateName: request.stateName ?? null,
        parentRunId: request.parentRunId ?? null,
        params,
        tags,
        lineage,
      },
      inputs,
    );
  }

  private async lineage(input: LineageInput): Promise<{ lineage: RunLineage; inputs: RunArtifact[] }> {
    const git = input.gitDir === undefined ? undefined : await gitLineage(input.gitDir);
    const data = checkStrings(input.data, 'data');
    const inputs: RunArtifact[] = [];
    for (const [name, sha] of Object.entries(data)) {
      const info = await this.storedArtifact(checkSha256(sha, `lineage data "${name}"`), `lineage data "${name}"`);
      inputs.push({ name: `data/${name}`, ...artifactFields(info), role: 'input', createdAt: this.now() });
    }
    const hash = input.configHash ?? (input.config === undefined ? null : configHash(input.config));
    if (hash !== null) checkSha256(hash, 'lineage configHash');
    return {
      lineage: {
        gitCommit: input.gitCommit ?? git?.gitCommit ?? null,
        gitRepository: input.gitRepository ?? git?.gitRepository ?? null,
        gitDirty: input.gitDirty ?? git?.gitDirty ?? null,
        data,
        configHash: hash,
        flywheelVersion: this.version,
      },
      inputs,
    };
  }

  private async storedArtifact(sha256: string, what: string): Promise<ArtifactInfo> {
    return this.artifacts.stat(sha256).catch((error: unknown) => {
      throw error instanceof NotFound ? new NotFound(`artifact ${sha256} (${what})`) : error;
    });
  }

  /** Throws NotFound naming `what`. */
  async getRun(id: string, what = 'run'): Promise<RunRecord> {
    const run = await this.store.getRun(id);
    if (run === undefined) throw new NotFound(`${what} ${id}`);
    return run;
  }

  /** A run with its artifacts. */
  async describeRun(id: string): Promise<RunRecord & { artifacts: RunArtifact[] }> {
    const run = await this.getRun(id);
    return { ...run, artifacts: await this.store.listRunArtifacts(id) };
  }

  logParams(runId: string, params: Record<string, unknown>): Promise<void> {
    return this.store.addRunParams(runId, checkStrings(params, 'param'));
  }

  setTags(runId: string, tags: Record<string, unknown>): Promise<void> {
    return this.store.setRunTags(runId, checkStrings(tags, 'tag'));
  }

  /** The batch API: every point is checked (finite value, integer step) before any is written, in one transaction. */
  async logMetrics(runId: string, points: unknown): Promise<number> {
    const checked = checkPoints(points, this.now());
    await this.store.logMetrics(runId, checked);
    return checked.length;
  }

  async metricHistory(runId: string, key?: string): Promise<MetricPoint[]> {
    await this.getRun(runId);
    return this.store.readMetrics(runId, key);
  }

  /** Ends a run; ending it again with the same status is a no-op (a retried task), another status is InvalidState. */
  async endRun(runId: string, status: Exclude<RunStatus, 'RUNNING'> = 'FINISHED'): Promise<RunRecord> {
    if (!['FINISHED', 'FAILED', 'KILLED'].includes(status)) {
      throw new InvalidInput(`run status must be FINISHED, FAILED or KILLED (got ${JSON.stringify(status)})`);
    }
    const run = await this.getRun(runId);
    if (run.status === status) return run;
    return this.store.endRun(runId, status, this.now());
  }

  /** Records an artifact of a run, storing the file or folder at `path` first when given. */
  async logArtifact(runId: string, request: RunArtifactRequest): Promise<RunArtifact> {
    const name = checkKey(request.name, 'artifact name');
    await this.getRun(runId);
    let info: ArtifactInfo;
    if (request.path !== undefined) {
      const isFolder = (await stat(request.path).catch(() => undefined))?.isDirectory() ?? false;
      info = await (isFolder ? this.artifacts.putFolder(request.path) : this.artifacts.putFile(request.path));
    } else if (request.sha256 !== undefined) {
      info = await this.storedArtifact(checkSha256(request.sha256), `run artifact "${name}"`);
    } else {
      throw new InvalidInput(`run artifact "${name}" needs a sha256 or a path`);
    }
    const artifact: RunArtifact = {
      name,
      ...artifactFields(info),
      role: request.role ?? 'output',
      createdAt: this.now(),
    };
    await this.store.addRunArtifacts(runId, [artifact]);
    return artifact;
  }

  /** Runs matching a filter, in an order, at most `limit`. Unknown experiment names are NotFound. */
  async searchRuns(request: RunSearchRequest = {}): Promise<RunRecord[]> {
    const limit = request.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInput(`limit must be an integer between 1 and ${MAX_LIMIT} (got ${limit})`);
    }
    let experimentIds: string[] | undefined;
    if (request.experiments !== undefined) {
      experimentIds = [];
      for (const name of request.experiments) {
        const found = await this.store.findExperimentByName(name);
        if (found === undefined) throw new NotFound(`experiment "${name}"`);
        experimentIds.push(found.id);
      }
    }
    return this.store.searchRuns({
      limit,
      ...(experimentIds !== undefined && { experimentIds }),
      ...(request.filter !== undefined && request.filter.trim() !== '' && { filters: parseRunFilter(request.filter) }),
      ...(request.orderBy !== undefined &&
        request.orderBy.trim() !== '' && { orderBy: parseRunOrder(request.orderBy) }),
    });
  }

  /** Compares runs in the given order; NotFound names every unknown id. */
  async compareRuns(ids: readonly string[]): Promise<RunComparison> {
    const unique = [...new Set(ids)];
    if (unique.length < 1 || unique.length > MAX_COMPARE) {
      throw new InvalidInput(`compare 1 to ${MAX_COMPARE} runs (got ${unique.length})`);
    }
    const found = new Map(
      (await this.store.searchRuns({ runIds: unique, limit: unique.length })).map((r) => [r.id, r] as const),
    );
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw new NotFound(`run ${missing.join(', ')}`);
    return compareRuns(unique.map((id) => found.get(id)!));
  }

  /**
   * A function the trainer calls once per boosting round; it batches the points and writes them in the background.
   * @example const sink = tracking.runMetricsSink(run.id); train({ onRound: (r) => sink(r.round, m) }); await sink.close();
   */
  runMetricsSink(runId: string, options?: MetricsSinkOptions): MetricsSink {
    return createMetricsSink((points) => this.logMetrics(runId, points), options);
  }
}

const artifactFields = (info: ArtifactInfo) => ({ sha256: info.sha256, kind: info.kind, size: info.size });
