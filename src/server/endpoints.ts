/**
 * How `flywheel server` wires model endpoints: the endpoint service over the store, `group:version` models through
 * the registry, the endpoint task resources, and the data plane (its fast path, then the invocation listener) in front
 * of the REST API on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Engine } from '../engine/runtime/index.js';
import {
  attachFastFront,
  createEndpointRunners,
  createInvocationListener,
  createInvoker,
  DEFAULT_MAX_BODY_BYTES,
  EndpointService,
  type FastFront,
  type InvocationListener,
  type Invoke,
} from '../serving/index.js';
import type { Store } from '../store/index.js';
import type { TrackingServices } from '../tracking/index.js';
import { registryModelResolver } from './model-resolver.js';

export interface EndpointWiring {
  service: EndpointService;
  /** node:http's handler for the data plane (pings, metrics, and invocations the fast path hands over). */
  listener: InvocationListener;
  /** Puts the data plane's fast path in front of the server (see serving/fast-front.ts). */
  front(server: Server): FastFront;
}

/** The endpoint service of a server whose data directory is `dataDir`; registers its task resources on `engine`. */
export function wireEndpoints(options: {
  engine: Engine;
  store: Store;
  tracking: TrackingServices;
  dataDir: string;
  cwd: string;
  log: (message: string) => void;
  maxInvocationBytes?: number | undefined;
}): EndpointWiring {
  const service = new EndpointService({
    store: options.store.endpoints,
    cwd: options.cwd,
    captureRoot: join(options.dataDir, 'capture'),
    resolver: registryModelResolver(
      options.tracking.registry,
      options.tracking.artifacts,
      join(options.dataDir, 'models'),
    ),
    log: options.log,
  });
  for (const [name, runner] of Object.entries(createEndpointRunners(service)))
    options.engine.registerRunner(name, runner);
  const maxBodyBytes = options.maxInvocationBytes ?? DEFAULT_MAX_BODY_BYTES;
  const invoke: Invoke = createInvoker({ endpoints: service, metrics: service.metrics });
  const listener = createInvocationListener({ endpoints: service, metrics: service.metrics, maxBodyBytes, invoke });
  return { service, listener, front: (server) => attachFastFront(server, { invoke, maxBodyBytes }) };
}

/**
 * A `createServer` for @hono/node-server's `serve`: invocations, pings and /metrics go to `listener` on plain
 * node:http (measured: a framework's Request/Response per call costs more than the whole invocation path), the rest
 * to the API.
 */
export function withInvocations(listener: InvocationListener): typeof createServer {
  return ((options: object, api: (req: IncomingMessage, res: ServerResponse) => void) =>
    createServer(options, (req, res) => {
      if (!listener(req, res)) api(req, res);
    })) as typeof createServer;
}
