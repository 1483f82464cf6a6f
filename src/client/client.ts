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
}
