import type { Context, Hono } from 'hono';
import type { JsonObject } from '../engine/asl/index.js';
import type { ModelFeature, RunLineage } from '../store/index.js';
import type { ChangeRequest, RegistryService } from '../tracking/index.js';
import { jsonBody, optionalString, requiredString } from './body.js';
import { BadRequest } from './errors.js';
import { modelEventView, modelGroupView, modelVersionView } from './tracking-shapes.js';

/** Who asks (default "api": the token says nothing about a person) and why. */
function change(body: JsonObject): ChangeRequest {
  return { actor: optionalString(body, 'actor') ?? 'api', comment: optionalString(body, 'comment') ?? '' };
}

function nonNegativeQuery(c: Context, name: string, fallback: number): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw))
    throw new BadRequest(`query parameter "${name}" must be a non-negative integer (got "${raw}")`);
  return Number(raw);
}

/** Model groups, versions, approvals, aliases and their events (see docs/api.md#model-registry). */
export function registryRoutes(app: Hono, registry: RegistryService): void {
  app.get('/v1/models', async (c) => c.json({ groups: (await registry.listGroups()).map(modelGroupView) }));

  app.get('/v1/models/:group', async (c) => {
    const group = await registry.getGroup(c.req.param('group'));
    const versions = await registry.listVersions(group.name);
    return c.json({ ...modelGroupView(group), versions: versions.map(modelVersionView) });
  });

  app.get('/v1/models/:group/versions', async (c) => {
    const versions = await registry.listVersions(c.req.param('group'));
    return c.json({ versions: versions.map(modelVersionView) });
  });

  app.post('/v1/models/:group/versions', async (c) => {
    const body = await jsonBody(c);
    const runId = optionalString(body, 'runId');
    const comment = optionalString(body, 'comment');
    const version = await registry.registerModel({
      group: c.req.param('group'),
      artifactSha256: requiredString(body, 'artifactSha256'),
      format: requiredString(body, 'format'),
      signature: body.signature as unknown as ModelFeature[],
      actor: optionalString(body, 'actor') ?? 'api',
      ...(runId !== undefined && { runId }),
      ...(body.metrics !== undefined && { metrics: body.metrics as Record<string, number> }),
      ...(body.lineage !== undefined && { lineage: body.lineage as unknown as RunLineage }),
      ...(comment !== undefined && { comment }),
    });
    return c.json(modelVersionView(version), 201);
  });

  /** `:version` is a number or an alias. */
  app.get('/v1/models/:group/versions/:version', async (c) => {
    return c.json(modelVersionView(await registry.getVersion(c.req.param('group'), c.req.param('version'))));
  });

  for (const [verb, status] of [
    ['approve', 'Approved'],
    ['reject', 'Rejected'],
  ] as const) {
    app.post(`/v1/models/:group/versions/:version/${verb}`, async (c) => {
      const body = await jsonBody(c);
      const version = await registry.setStatus(c.req.param('group'), c.req.param('version'), status, change(body));
      return c.json(modelVersionView(version));
    });
  }

  app.put('/v1/models/:group/aliases/:alias', async (c) => {
    const body = await jsonBody(c);
    const version = body.version;
    if (typeof version !== 'number' && typeof version !== 'string') {
      throw new BadRequest('"version" must be the version number the alias points at');
    }
    return c.json(await registry.setAlias(c.req.param('group'), c.req.param('alias'), version, change(body)));
  });

  app.delete('/v1/models/:group/aliases/:alias', async (c) => {
    const by = { actor: c.req.query('actor') ?? 'api', comment: c.req.query('comment') ?? '' };
    await registry.removeAlias(c.req.param('group'), c.req.param('alias'), by);
    return c.body(null, 204);
  });

  app.get('/v1/model-events', async (c) => {
    const events = await registry.events(nonNegativeQuery(c, 'after', 0), nonNegativeQuery(c, 'limit', 100));
    return c.json({ events: events.map(modelEventView) });
  });
}
