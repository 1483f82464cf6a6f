/**
 * The data plane's HTTP handler, on plain `node:http` (no framework: it runs for every invocation):
 * `POST /endpoints/<name>/invocations`, `GET /endpoints/<name>/ping` and `GET /metrics`. No bearer token, like
 * SageMaker's runtime plane. The caller's mistakes get 4xx with a reason; 5xx means the server or a replica failed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointStatus } from './config.js';
import { errorBody, InvocationError } from './errors.js';
import { type InvocationJob, JSON_TYPE, type LiveVariant, sendResponse } from './live-variant.js';
import type { MetricsRegistry } from './metrics-registry.js';
import { bodyFormat } from './request-rows.js';
import type { RoutingTable } from './routing-table.js';

/** What the listener needs of the control plane: an endpoint's status and, while it serves, its routing table. */
export interface EndpointRoutes {
  route(name: string): { status: EndpointStatus; table: RoutingTable | null } | undefined;
}

export interface InvocationListenerOptions {
  endpoints: EndpointRoutes;
  metrics: MetricsRegistry;
  /** Largest body accepted (SageMaker's limit, 6 MB, by default). */
  maxBodyBytes: number;
}

/** A Node request listener's front: returns false for a path it does not own, so the caller can route it on. */
export type InvocationListener = (req: IncomingMessage, res: ServerResponse) => boolean;

export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
const PATH = /^\/endpoints\/([^/?]+)\/(invocations|ping)\/?(?:\?.*)?$/;
const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const EMPTY = Buffer.alloc(0);

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function createInvocationListener(options: InvocationListenerOptions): InvocationListener {
  const { endpoints, metrics, maxBodyBytes } = options;
  const refuse = (res: ServerResponse, status: number, code: string, message: string): void =>
    sendResponse(res, status, JSON_TYPE, errorBody(code, message));

  /** The variant to answer with, or a refusal already sent. */
  function routeTo(req: IncomingMessage, res: ServerResponse, name: string): LiveVariant | undefined {
    const route = endpoints.route(name);
    if (route === undefined) refuse(res, 404, 'NotFound', `endpoint "${name}" does not exist`);
    else if (route.table === null) {
      refuse(res, 503, 'EndpointNotInService', `endpoint "${name}" is ${route.status}; it has no variant serving`);
    } else {
      const target = header(req, 'x-flywheel-target-variant') ?? header(req, 'x-amzn-sagemaker-target-variant');
      const variant = route.table.pick(target);
      if (variant !== undefined) return variant;
      metrics.variant(name, '').observe(400, 0, 0);
      const names = route.table.names().join(', ');
      refuse(res, 400, 'BadRequest', `endpoint "${name}" has no variant "${target}" (variants: ${names})`);
    }
    return undefined;
  }

  function invoke(req: IncomingMessage, res: ServerResponse, name: string, body: Buffer, startedAt: number): void {
    const variant = routeTo(req, res, name);
    if (variant === undefined) return;
    try {
      submit(req, res, variant, body, startedAt);
    } catch (error) {
      const status = error instanceof InvocationError ? error.status : 500;
      const code = error instanceof InvocationError ? error.code : 'InternalError';
      variant.metrics.observe(status, 0, 0);
      sendResponse(res, status, JSON_TYPE, errorBody(code, (error as Error).message), variant.name);
    }
  }

  function submit(
    req: IncomingMessage,
    res: ServerResponse,
    variant: LiveVariant,
    body: Buffer,
    startedAt: number,
  ): void {
    const contentType = header(req, 'content-type');
    const format = bodyFormat(contentType);
    if (body.length === 0)
      throw new InvocationError(400, 'BadRequest', 'the request body is empty: send one or more rows');
    // The body is parsed in the replica (a client mistake comes back as this job's 4xx answer).
    const sampled = variant.capture?.sample() === true;
    const job: InvocationJob = {
      body,
      format,
      answer: null,
      modelMs: 0,
      res,
      startedAt,
      capturedByReplica: false,
      capture: sampled
        ? {
            contentType: contentType ?? '',
            inferenceId: header(req, 'x-amzn-sagemaker-inference-id') ?? header(req, 'x-flywheel-inference-id'),
          }
        : null,
    };
    variant.pool.submit(job);
  }

  function ping(res: ServerResponse, name: string): void {
    const route = endpoints.route(name);
    if (route === undefined) refuse(res, 404, 'NotFound', `endpoint "${name}" does not exist`);
    else if (route.status !== 'InService' || route.table === null) {
      refuse(res, 503, 'EndpointNotInService', `endpoint "${name}" is ${route.status} and not serving yet`);
    } else sendResponse(res, 200, JSON_TYPE, JSON.stringify({ status: route.status }));
  }

  return (req, res) => {
    const url = req.url ?? '';
    if (url === '/metrics' || url.startsWith('/metrics?')) {
      if (req.method !== 'GET') refuse(res, 405, 'MethodNotAllowed', 'use GET /metrics');
      else sendResponse(res, 200, PROMETHEUS_TYPE, metrics.prometheus());
      return true;
    }
    if (!url.startsWith('/endpoints/')) return false;
    const match = PATH.exec(url);
    const name = match?.[1];
    const action = match?.[2];
    if (name === undefined) refuse(res, 404, 'NotFound', `no route ${req.method} ${url}`);
    else if (action === 'ping' && req.method === 'GET') ping(res, name);
    else if (action === 'invocations' && req.method === 'POST') readBody(req, res, name);
    else refuse(res, 405, 'MethodNotAllowed', `use POST /endpoints/${name}/invocations or GET /endpoints/${name}/ping`);
    return true;
  };

  function readBody(req: IncomingMessage, res: ServerResponse, name: string): void {
    const startedAt = performance.now();
    if (Number(header(req, 'content-length') ?? 0) > maxBodyBytes) {
      tooLarge(res);
      req.resume();
      return;
    }
    // The HTTP parser pushes a body that came with the headers right after this event, in the same turn: take it whole
    // on the next tick with one read(), without the stream's flowing-mode events (measured ~1 µs a request).
    process.nextTick(takeBody, req, res, name, startedAt);
  }

  function tooLarge(res: ServerResponse): void {
    res.setHeader('connection', 'close');
    refuse(res, 413, 'PayloadTooLarge', `the request body is larger than ${maxBodyBytes} bytes`);
  }

  function takeBody(req: IncomingMessage, res: ServerResponse, name: string, startedAt: number): void {
    if (!req.complete) {
      streamBody(req, res, name, startedAt);
      return;
    }
    const body = (req.read() as Buffer | null) ?? EMPTY;
    if (body.length > maxBodyBytes) tooLarge(res);
    else finish(req, res, name, body, startedAt);
  }

  /** A body that is still arriving: gathered chunk by chunk, refused once it passes the limit. */
  function streamBody(req: IncomingMessage, res: ServerResponse, name: string, startedAt: number): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
      else if (!res.headersSent) tooLarge(res);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) return;
      finish(req, res, name, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), startedAt);
    });
  }

  function finish(req: IncomingMessage, res: ServerResponse, name: string, body: Buffer, startedAt: number): void {
    try {
      invoke(req, res, name, body, startedAt);
    } catch (error) {
      refuse(res, 500, 'InternalError', (error as Error).message);
    }
  }
}
