import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Engine } from '../engine/runtime/index.js';
import type { EndpointService } from '../serving/index.js';
import type { TrackingServices } from '../tracking/index.js';
import { artifactRoutes } from './artifact-routes.js';
import { endpointRoutes } from './endpoint-routes.js';
import { errorResponse } from './errors.js';
import { registryRoutes } from './registry-routes.js';
import { trackingRoutes } from './tracking-routes.js';
import { workflowRoutes } from './workflow-routes.js';

export interface ApiOptions {
  engine: Engine;
  /** Experiments, runs, the model registry and the artifact store. */
  tracking: TrackingServices;
  /** Model endpoints' control plane (`/v1/endpoints`); invocations are served in front of the API. */
  endpoints?: EndpointService;
  /** Every route but /health needs `Authorization: Bearer <token>`. */
  token: string;
  version: string;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The REST API as a fetch handler (Hono): thin routes over the services, documented in docs/api.md. */
export function createApi(options: ApiOptions): Hono {
  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => c.json({ error: 'NotFound', message: `no route ${c.req.method} ${c.req.path}` }, 404));

  app.get('/health', (c) =>
    c.json({ status: 'ok', version: options.version, store: options.engine.store.kind, owner: options.engine.owner }),
  );

  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1] || !sameToken(match[1], options.token)) {
      return c.json(
        { error: 'Unauthorized', message: 'send "Authorization: Bearer <token>" (the token is in the data directory)' },
        401,
      );
    }
    await next();
    return undefined;
  });

  workflowRoutes(app, options.engine);
  trackingRoutes(app, options.tracking.tracking);
  registryRoutes(app, options.tracking.registry);
  artifactRoutes(app, options.tracking);
  if (options.endpoints) endpointRoutes(app, options.endpoints);
  return app;
}
