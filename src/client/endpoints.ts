import type { EndpointView, VariantWindows } from '../serving/index.js';
import { ApiError } from './client.js';

export type { EndpointView, VariantView, VariantWindows, WindowView } from '../serving/index.js';

/** What to serve: a whole config (variants and capture), or one model. */
export type EndpointSpec = { config: unknown } | { model: string; replicas?: number; capturePercent?: number };

/** An invocation's answer as it came. */
export interface Invocation {
  status: number;
  contentType: string;
  /** The variant that answered (`X-Flywheel-Invoked-Variant`). */
  variant: string | null;
  body: string;
}

const SETTLED = new Set(['InService', 'Failed']);

/** The endpoints part of the REST API (`client.endpoints`), and invocations on the data plane. */
export class EndpointsClient {
  constructor(
    private readonly api: { baseUrl: string; request<T>(method: string, path: string, body?: unknown): Promise<T> },
  ) {}

  private path(name: string, rest = ''): string {
    return `/v1/endpoints/${encodeURIComponent(name)}${rest}`;
  }

  create(name: string, spec: EndpointSpec): Promise<EndpointView> {
    return this.api.request('POST', '/v1/endpoints', { name, ...spec });
  }

  update(name: string, spec: EndpointSpec): Promise<EndpointView> {
    return this.api.request('PUT', this.path(name), spec);
  }

  describe(name: string): Promise<EndpointView> {
    return this.api.request('GET', this.path(name));
  }

  async list(): Promise<EndpointView[]> {
    return (await this.api.request<{ endpoints: EndpointView[] }>('GET', '/v1/endpoints')).endpoints;
  }

  delete(name: string): Promise<null> {
    return this.api.request('DELETE', this.path(name));
  }

  /** Recent windows (last minute, last 5 minutes) of every variant. */
  async metrics(name: string): Promise<VariantWindows[]> {
    return (await this.api.request<{ variants: VariantWindows[] }>('GET', this.path(name, '/metrics'))).variants;
  }

  /** Long-polls until the endpoint is InService or Failed with no create or update running. */
  async wait(name: string): Promise<EndpointView> {
    for (;;) {
      const view = await this.api.request<EndpointView>('GET', this.path(name, '/wait?timeout=30000'));
      if (SETTLED.has(view.status)) return view;
    }
  }

  /**
   * Sends one invocation to `POST /endpoints/<name>/invocations` (no token). Throws ApiError for a non-2xx answer.
   * @example await client.endpoints.invoke('churn', '1,2,3', 'text/csv')
   */
  async invoke(name: string, body: string, contentType: string, targetVariant?: string): Promise<Invocation> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (targetVariant !== undefined) headers['x-flywheel-target-variant'] = targetVariant;
    const url = new URL(`/endpoints/${encodeURIComponent(name)}/invocations`, this.api.baseUrl);
    const response = await fetch(url, { method: 'POST', headers, body }).catch((error: Error) => {
      throw new Error(`cannot reach the Flywheel server at ${this.api.baseUrl} (${error.cause ?? error.message})`);
    });
    const text = await response.text();
    if (!response.ok) {
      let parsed: { error?: string; message?: string } | null = null;
      try {
        parsed = JSON.parse(text) as { error?: string; message?: string };
      } catch {
        // not JSON
      }
      throw new ApiError(response.status, parsed?.error ?? 'Error', parsed?.message ?? text, parsed);
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      variant: response.headers.get('x-flywheel-invoked-variant'),
      body: text,
    };
  }
}
