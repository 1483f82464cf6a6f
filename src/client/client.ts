import { downloadArtifact, uploadFile } from './artifact-transfer.js';
import { EndpointsClient } from './endpoints.js';
import { fetchRaw, queryString, seg } from './http.js';
import type {
  AliasMove,
  ArtifactView,
  ChangeBy,
  Experiment,
  GcReportView,
  MetricInputBody,
  MetricPointView,
  ModelEventView,
  ModelGroup,
  ModelVersion,
  RegisterModelBody,
  Run,
  RunArtifactView,
  RunComparisonView,
  StartRunBody,
} from './tracking-types.js';

/** A failed API call: the HTTP status and the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Execution {
  executionId: string;
  name: string;
  stateMachineName: string;
  stateMachineVersion: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  startDate: string;
  stopDate: string | null;
  parentExecutionId: string | null;
}

export interface StateMachine {
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  definition?: unknown;
}

export interface HistoryEventView {
  id: number;
  type: string;
  timestamp: string;
  [field: string]: unknown;
}

/** Typed HTTP client for Flywheel's REST API (docs/api.md), used by the CLI and the tests. */
export class FlywheelClient {
  /** Model endpoints (`/v1/endpoints`) and their invocations. */
  get endpoints(): EndpointsClient {
    return new EndpointsClient(this);
  }

  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the Flywheel server at ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message}); start it with "flywheel server"`,
      );
    }
    const text = await response.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    if (!response.ok) {
      const { error, message } = (parsed ?? {}) as { error?: string; message?: string };
      throw new ApiError(
        response.status,
        error ?? 'Error',
        message ?? `${method} ${path} answered ${response.status}`,
        parsed,
      );
    }
    return parsed as T;
  }

  health(): Promise<{ status: string; version: string; store: string }> {
    return this.request('GET', '/health');
  }

  createStateMachine(name: string, definition: unknown): Promise<StateMachine> {
    return this.request('POST', '/v1/state-machines', { name, definition });
  }

  updateStateMachine(name: string, definition: unknown): Promise<StateMachine> {
    return this.request('PUT', `/v1/state-machines/${encodeURIComponent(name)}`, { definition });
  }

  async listStateMachines(): Promise<StateMachine[]> {
    return (await this.request<{ stateMachines: StateMachine[] }>('GET', '/v1/state-machines')).stateMachines;
  }

  describeStateMachine(name: string): Promise<StateMachine> {
    return this.request('GET', `/v1/state-machines/${encodeURIComponent(name)}`);
  }

  deleteStateMachine(name: string): Promise<null> {
    return this.request('DELETE', `/v1/state-machines/${encodeURIComponent(name)}`);
  }

  startExecution(stateMachineName: string, input: unknown, name?: string): Promise<Execution> {
    return this.request('POST', '/v1/executions', { stateMachineName, input, ...(name !== undefined && { name }) });
  }

  describeExecution(id: string): Promise<Execution> {
    return this.request('GET', `/v1/executions/${encodeURIComponent(id)}`);
  }

  async listExecutions(query: { stateMachine?: string; status?: string; limit?: number } = {}): Promise<Execution[]> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.size > 0 ? `?${params}` : '';
    return (await this.request<{ executions: Execution[] }>('GET', `/v1/executions${qs}`)).executions;
  }

  async history(id: string): Promise<HistoryEventView[]> {
    return (
      await this.request<{ events: HistoryEventView[] }>('GET', `/v1/executions/${encodeURIComponent(id)}/history`)
    ).events;
  }

  stopExecution(id: string, error?: string, cause?: string): Promise<Execution> {
    return this.request('POST', `/v1/executions/${encodeURIComponent(id)}/stop`, { error, cause });
  }

  /** Waits until the execution has ended, long-polling the server. */
  async waitForExecution(id: string): Promise<Execution> {
    for (;;) {
      const execution = await this.request<Execution>(
        'GET',
        `/v1/executions/${encodeURIComponent(id)}/wait?timeout=30000`,
      );
      if (execution.status !== 'RUNNING') return execution;
    }
  }

  sendTaskSuccess(taskToken: string, output: unknown): Promise<{ accepted: boolean }> {
    return this.request('POST', '/v1/tasks/success', { taskToken, output });
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<{ accepted: boolean }> {
    return this.request('POST', '/v1/tasks/failure', { taskToken, error, cause });
  }

  sendTaskHeartbeat(taskToken: string): Promise<{ accepted: boolean }> {
    return this.request('POST', '/v1/tasks/heartbeat', { taskToken });
  }

  // Experiments and runs (docs/api.md#experiments-and-runs)

  async listExperiments(): Promise<Experiment[]> {
    return (await this.request<{ experiments: Experiment[] }>('GET', '/v1/experiments')).experiments;
  }

  createExperiment(name: string): Promise<Experiment> {
    return this.request('POST', '/v1/experiments', { name });
  }

  startRun(body: StartRunBody): Promise<Run> {
    return this.request('POST', '/v1/runs', body);
  }

  /** Search: `filter` like `params.max_depth = '6' and metrics.auc > 0.8`, `orderBy` like `metrics.auc DESC`. */
  async listRuns(
    query: { experiment?: string; filter?: string; orderBy?: string; limit?: number } = {},
  ): Promise<Run[]> {
    return (await this.request<{ runs: Run[] }>('GET', `/v1/runs${queryString(query)}`)).runs;
  }

  getRun(runId: string): Promise<Run> {
    return this.request('GET', `/v1/runs/${seg(runId)}`);
  }

  compareRuns(runIds: string[]): Promise<RunComparisonView> {
    return this.request('POST', '/v1/runs/compare', { runIds });
  }

  logParams(runId: string, params: Record<string, unknown>): Promise<Run> {
    return this.request('POST', `/v1/runs/${seg(runId)}/params`, { params });
  }

  setRunTags(runId: string, tags: Record<string, unknown>): Promise<Run> {
    return this.request('POST', `/v1/runs/${seg(runId)}/tags`, { tags });
  }

  /** The batch API: all points are stored in one transaction, or none (400 names the bad point). */
  logMetrics(runId: string, metrics: MetricInputBody[]): Promise<{ logged: number }> {
    return this.request('POST', `/v1/runs/${seg(runId)}/metrics`, { metrics });
  }

  async metricHistory(runId: string, key?: string): Promise<MetricPointView[]> {
    const path = `/v1/runs/${seg(runId)}/metrics${queryString({ key })}`;
    return (await this.request<{ points: MetricPointView[] }>('GET', path)).points;
  }

  addRunArtifact(runId: string, artifact: { name: string; sha256: string; role?: 'input' | 'output' }) {
    return this.request<RunArtifactView>('POST', `/v1/runs/${seg(runId)}/artifacts`, artifact);
  }

  endRun(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED' = 'FINISHED'): Promise<Run> {
    return this.request('POST', `/v1/runs/${seg(runId)}/end`, { status });
  }

  // Model registry (docs/api.md#model-registry); `version` is a number or, where reading, an alias.

  async listModelGroups(): Promise<ModelGroup[]> {
    return (await this.request<{ groups: ModelGroup[] }>('GET', '/v1/models')).groups;
  }

  getModelGroup(group: string): Promise<ModelGroup> {
    return this.request('GET', `/v1/models/${seg(group)}`);
  }

  async listModelVersions(group: string): Promise<ModelVersion[]> {
    return (await this.request<{ versions: ModelVersion[] }>('GET', `/v1/models/${seg(group)}/versions`)).versions;
  }

  getModelVersion(group: string, version: number | string): Promise<ModelVersion> {
    return this.request('GET', `/v1/models/${seg(group)}/versions/${seg(version)}`);
  }

  registerModel(group: string, body: RegisterModelBody): Promise<ModelVersion> {
    return this.request('POST', `/v1/models/${seg(group)}/versions`, body);
  }

  approveModel(group: string, version: number | string, comment: string, actor?: string): Promise<ModelVersion> {
    return this.request('POST', `/v1/models/${seg(group)}/versions/${seg(version)}/approve`, { comment, actor });
  }

  rejectModel(group: string, version: number | string, comment: string, actor?: string): Promise<ModelVersion> {
    return this.request('POST', `/v1/models/${seg(group)}/versions/${seg(version)}/reject`, { comment, actor });
  }

  setModelAlias(group: string, alias: string, version: number | string, by: ChangeBy = {}): Promise<AliasMove> {
    return this.request('PUT', `/v1/models/${seg(group)}/aliases/${seg(alias)}`, { version, ...by });
  }

  removeModelAlias(group: string, alias: string, by: ChangeBy = {}): Promise<null> {
    return this.request('DELETE', `/v1/models/${seg(group)}/aliases/${seg(alias)}${queryString(by)}`);
  }

  async listModelEvents(after = 0, limit = 100): Promise<ModelEventView[]> {
    const path = `/v1/model-events${queryString({ after, limit })}`;
    return (await this.request<{ events: ModelEventView[] }>('GET', path)).events;
  }

  // Artifacts (docs/api.md#artifacts)

  /** Streams a file into the server's artifact store. */
  uploadArtifact(path: string): Promise<ArtifactView> {
    return uploadFile((m, p, init) => fetchRaw(this.baseUrl, this.token, m, p, init), path);
  }

  async listArtifacts(): Promise<ArtifactView[]> {
    return (await this.request<{ artifacts: ArtifactView[] }>('GET', '/v1/artifacts')).artifacts;
  }

  statArtifact(sha256: string): Promise<ArtifactView> {
    return this.request('GET', `/v1/artifacts/${seg(sha256)}`);
  }

  /** Writes a file artifact to `out`, or a folder artifact's tree under `out`, verifying every byte. */
  downloadArtifact(sha256: string, out: string): Promise<ArtifactView> {
    return downloadArtifact((m, p, init) => fetchRaw(this.baseUrl, this.token, m, p, init), sha256, out);
  }

  collectArtifactGarbage(options: { dryRun?: boolean; graceSeconds?: number } = {}): Promise<GcReportView> {
    return this.request('POST', '/v1/artifacts/gc', options);
  }
}
