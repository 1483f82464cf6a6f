/**
 * An invocation, whatever HTTP server carried it: route to a variant, check the body's type, sample capture, and hand
 * the body to the variant's replicas. The answer goes back through a `Reply`: node:http's response
 * (invocation-listener.ts) or the data plane's own HTTP/1.1 connection (fast-front.ts).
 */
import type { EndpointStatus } from './config.js';
import { errorBody, InvocationError } from './errors.js';
import { type InvocationJob, JSON_TYPE, type LiveVariant } from './live-variant.js';
import type { MetricsRegistry } from './metrics-registry.js';
import { bodyFormat } from './request-rows.js';
import type { RoutingTable } from './routing-table.js';

/** The data plane's paths: `/endpoints/<name>/invocations` and `/endpoints/<name>/ping` (name, action). */
export const ENDPOINT_PATH = /^\/endpoints\/([^/?]+)\/(invocations|ping)\/?(?:\?.*)?$/;

/** Where a response goes: written once, whole; a client that went away is skipped. */
export interface Reply {
  send(status: number, type: string, body: string | Buffer, variant?: string): void;
}

/** One `POST /endpoints/<name>/invocations`, its body read. Header names are lower case. */
export interface InvocationRequest {
  name: string;
  header(name: string): string | undefined;
  body: Buffer;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
}

/** What the data plane needs of the control plane: an endpoint's status and, while it serves, its routing table. */
export interface EndpointRoutes {
  route(name: string): { status: EndpointStatus; table: RoutingTable | null } | undefined;
}

export interface InvokerOptions {
  endpoints: EndpointRoutes;
  metrics: MetricsRegistry;
}

export type Invoke = (request: InvocationRequest, reply: Reply) => void;

export const refuse = (reply: Reply, status: number, code: string, message: string): void =>
  reply.send(status, JSON_TYPE, errorBody(code, message));

export function createInvoker({ endpoints, metrics }: InvokerOptions): Invoke {
  /** The variant to answer with, or a refusal already sent. */
  function routeTo(request: InvocationRequest, reply: Reply): LiveVariant | undefined {
    const { name } = request;
    const route = endpoints.route(name);
    if (route === undefined) refuse(reply, 404, 'NotFound', `endpoint "${name}" does not exist`);
    else if (route.table === null) {
      refuse(reply, 503, 'EndpointNotInService', `endpoint "${name}" is ${route.status}; it has no variant serving`);
    } else {
      const target = request.header('x-flywheel-target-variant') ?? request.header('x-amzn-sagemaker-target-variant');
      const variant = route.table.pick(target);
      if (variant !== undefined) return variant;
      metrics.variant(name, '').observe(400, 0, 0);
      const names = route.table.names().join(', ');
      refuse(reply, 400, 'BadRequest', `endpoint "${name}" has no variant "${target}" (variants: ${names})`);
    }
    return undefined;
  }

  function submit(request: InvocationRequest, reply: Reply, variant: LiveVariant): void {
    const contentType = request.header('content-type');
    const format = bodyFormat(contentType);
    if (request.body.length === 0)
      throw new InvocationError(400, 'BadRequest', 'the request body is empty: send one or more rows');
    // The body is parsed in the replica (a client mistake comes back as this job's 4xx answer).
    const sampled = variant.capture?.sample() === true;
    const job: InvocationJob = {
      body: request.body,
      format,
      answer: null,
      modelMs: 0,
      reply,
      startedAt: request.startedAt,
      capturedByReplica: false,
      capture: sampled
        ? {
            contentType: contentType ?? '',
            inferenceId: request.header('x-amzn-sagemaker-inference-id') ?? request.header('x-flywheel-inference-id'),
          }
        : null,
    };
    variant.pool.submit(job);
  }

  return (request, reply) => {
    const variant = routeTo(request, reply);
    if (variant === undefined) return;
    try {
      submit(request, reply, variant);
    } catch (error) {
      const status = error instanceof InvocationError ? error.status : 500;
      const code = error instanceof InvocationError ? error.code : 'InternalError';
      variant.metrics.observe(status, 0, 0);
      reply.send(status, JSON_TYPE, errorBody(code, (error as Error).message), variant.name);
    }
  };
}
