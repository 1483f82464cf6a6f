/**
 * The data plane's HTTP handler, on plain `node:http` (no framework: it runs for every invocation):
 * `POST /endpoints/<name>/invocations`, `GET /endpoints/<name>/ping` and `GET /metrics`. No bearer token, like
 * SageMaker's runtime plane. The caller's mistakes get 4xx with a reason; 5xx means the server or a replica failed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createInvoker,
  ENDPOINT_PATH,
  type Invoke,
  type InvokerOptions,
  type Reply,
  refuse as refuseWith,
} from './invoker.js';
import { JSON_TYPE, sendResponse } from './live-variant.js';

export interface InvocationListenerOptions extends InvokerOptions {
  /** Largest body accepted (SageMaker's limit, 6 MB, by default). */
  maxBodyBytes: number;
  /** The invocation handling to use (one is made from the options by default). */
  invoke?: Invoke;
}

/** A Node request listener's front: returns false for a path it does not own, so the caller can route it on. */
export type InvocationListener = (req: IncomingMessage, res: ServerResponse) => boolean;

export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** node:http's response as an invocation's reply. */
function nodeReply(res: ServerResponse): Reply {
  return { send: (status, type, body, variant) => sendResponse(res, status, type, body, variant) };
}

export function createInvocationListener(options: InvocationListenerOptions): InvocationListener {
  const { endpoints, metrics, maxBodyBytes } = options;
  const invoke = options.invoke ?? createInvoker(options);
  const refuse = (res: ServerResponse, status: number, code: string, message: string): void =>
    refuseWith(nodeReply(res), status, code, message);

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
    const match = ENDPOINT_PATH.exec(url);
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
    streamBody(req, res, name, startedAt);
  }

  function tooLarge(res: ServerResponse): void {
    res.setHeader('connection', 'close');
    refuse(res, 413, 'PayloadTooLarge', `the request body is larger than ${maxBodyBytes} bytes`);
  }

  /** The body, gathered chunk by chunk, refused once it passes the limit. */
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
      invoke({ name, header: (key) => header(req, key), body, startedAt }, nodeReply(res));
    } catch (error) {
      refuse(res, 500, 'InternalError', (error as Error).message);
    }
  }
}
