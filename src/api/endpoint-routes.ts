import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JsonObject } from '../engine/asl/index.js';
import {
  type EndpointConfig,
  EndpointError,
  type EndpointErrorCode,
  EndpointErrors,
  type EndpointService,
  InvalidEndpointConfig,
  parseEndpointConfig,
  singleModelConfig,
} from '../serving/index.js';
import { intQuery, jsonBody, requiredString } from './body.js';
import { BadRequest } from './errors.js';

const STATUS: Record<EndpointErrorCode, ContentfulStatusCode> = {
  [EndpointErrors.NotFound]: 404,
  [EndpointErrors.AlreadyExists]: 409,
  [EndpointErrors.Updating]: 409,
  [EndpointErrors.InvalidConfig]: 400,
  [EndpointErrors.ModelNotFound]: 400,
  [EndpointErrors.Failed]: 409,
  [EndpointErrors.UpdateFailed]: 409,
  [EndpointErrors.Timeout]: 408,
};

/** `{"config": {...}}`, or `{"model", "replicas"?, "capturePercent"?}` for one model. */
function configOf(body: JsonObject): EndpointConfig {
  if (body.config !== undefined) return parseEndpointConfig(body.config, 'request body "config"');
  const model = requiredString(body, 'model');
  const { replicas, capturePercent } = body;
  if (replicas !== undefined && typeof replicas !== 'number') throw new BadRequest('"replicas" must be a number');
  if (capturePercent !== undefined && typeof capturePercent !== 'number') {
    throw new BadRequest('"capturePercent" must be a number between 0 and 100');
  }
  return singleModelConfig(model, replicas ?? 1, capturePercent);
}

const nameOf = (c: Context): string => c.req.param('name') ?? '';

/** Runs a route, answering the endpoint service's own errors with their status and name. */
const guarded =
  (handler: (c: Context) => Promise<Response>) =>
  async (c: Context): Promise<Response> => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof EndpointError)
        return c.json({ error: error.code, message: error.message }, STATUS[error.code]);
      if (error instanceof InvalidEndpointConfig) {
        return c.json({ error: EndpointErrors.InvalidConfig, message: error.message }, 400);
      }
      throw error;
    }
  };

/** Model endpoints' control plane over HTTP (see docs/endpoints.md); invocations are served outside Hono. */
export function endpointRoutes(app: Hono, endpoints: EndpointService): void {
  app.post(
    '/v1/endpoints',
    guarded(async (c) => {
      const body = await jsonBody(c);
      return c.json(await endpoints.create(requiredString(body, 'name'), configOf(body)), 201);
    }),
  );
  app.put(
    '/v1/endpoints/:name',
    guarded(async (c) => c.json(await endpoints.update(nameOf(c), configOf(await jsonBody(c))))),
  );
  app.get(
    '/v1/endpoints',
    guarded(async (c) => c.json({ endpoints: await endpoints.list() })),
  );
  app.get(
    '/v1/endpoints/:name',
    guarded(async (c) => c.json(await endpoints.describe(nameOf(c)))),
  );
  app.get(
    '/v1/endpoints/:name/wait',
    guarded(async (c) => {
      const timeout = intQuery(c, 'timeout', 30_000, 60_000);
      return c.json(await endpoints.waitUntilSettled(nameOf(c), timeout, c.req.raw.signal));
    }),
  );
  app.get(
    '/v1/endpoints/:name/metrics',
    guarded(async (c) => c.json({ endpoint: nameOf(c), variants: endpoints.windows(nameOf(c)) })),
  );
  app.delete(
    '/v1/endpoints/:name',
    guarded(async (c) => {
      await endpoints.delete(nameOf(c));
      return c.body(null, 204);
    }),
  );
}
