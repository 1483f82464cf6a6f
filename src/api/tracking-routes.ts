import type { Context, Hono } from 'hono';
import type { JsonObject } from '../engine/asl/index.js';
import type { RunStatus } from '../store/index.js';
import type { LineageInput, TrackingService } from '../tracking/index.js';
import { intQuery, jsonBody, optionalString, requiredString } from './body.js';
import { BadRequest } from './errors.js';
import { experimentView, metricPointView, runArtifactView, runView } from './tracking-shapes.js';

function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadRequest(`"${field}" must be a JSON object`);
  return value;
}

/** Lineage a client reports (git is read on the client's side: the server never runs git in a caller's folder). */
function lineageInput(body: JsonObject): LineageInput {
  const l = optionalObject(body, 'lineage') ?? {};
  const text = (field: string) => optionalString(l, field);
  const commit = text('gitCommit');
  const repository = text('gitRepository');
  const hash = text('configHash');
  if (l.gitDirty !== undefined && l.gitDirty !== null && typeof l.gitDirty !== 'boolean') {
    throw new BadRequest('"lineage.gitDirty" must be true or false');
  }
  return {
    ...(commit !== undefined && { gitCommit: commit }),
    ...(repository !== undefined && { gitRepository: repository }),
    ...(typeof l.gitDirty === 'boolean' && { gitDirty: l.gitDirty }),
    ...(hash !== undefined && { configHash: hash }),
    ...(l.config !== undefined && { config: l.config }),
    ...(optionalObject(l, 'data') !== undefined && { data: optionalObject(l, 'data') as Record<string, string> }),
  };
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').filter((s) => s !== '');

/** Experiments and runs (see docs/api.md#experiments-and-runs). */
export function trackingRoutes(app: Hono, tracking: TrackingService): void {
  app.get('/v1/experiments', async (c) => {
    return c.json({ experiments: (await tracking.listExperiments()).map(experimentView) });
  });

  app.post('/v1/experiments', async (c) => {
    const created = await tracking.createExperiment(requiredString(await jsonBody(c), 'name'));
    return c.json(experimentView(created), 201);
  });

  app.post('/v1/runs', async (c) => {
    const body = await jsonBody(c);
    const name = optionalString(body, 'name');
    const parentRunId = optionalString(body, 'parentRunId');
    const run = await tracking.startRun({
      experiment: requiredString(body, 'experiment'),
      params: optionalObject(body, 'params') ?? {},
      tags: optionalObject(body, 'tags') ?? {},
      lineage: lineageInput(body),
      ...(name !== undefined && { name }),
      ...(parentRunId !== undefined && { parentRunId }),
    });
    return c.json(runView(run, []), 201);
  });

  app.get('/v1/runs', async (c) => {
    const experiments = list(c.req.query('experiment'));
    const filter = c.req.query('filter');
    const orderBy = c.req.query('orderBy');
    const runs = await tracking.searchRuns({
      limit: intQuery(c, 'limit', 100, 10_000),
      ...(experiments !== undefined && { experiments }),
      ...(filter !== undefined && { filter }),
      ...(orderBy !== undefined && { orderBy }),
    });
    return c.json({ runs: runs.map((r) => runView(r)) });
  });

  const compare = async (c: Context, ids: unknown) => {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      throw new BadRequest('"runIds" must be an array of run ids');
    }
    return c.json(await tracking.compareRuns(ids as string[]));
  };
  app.get('/v1/runs/compare', (c) => compare(c, list(c.req.query('ids')) ?? []));
  app.post('/v1/runs/compare', async (c) => compare(c, (await jsonBody(c)).runIds));

  app.get('/v1/runs/:id', async (c) => {
    const run = await tracking.describeRun(c.req.param('id'));
    return c.json(runView(run, run.artifacts));
  });

  app.post('/v1/runs/:id/params', async (c) => {
    await tracking.logParams(c.req.param('id'), optionalObject(await jsonBody(c), 'params') ?? {});
    return c.json(runView(await tracking.getRun(c.req.param('id'))));
  });

  app.post('/v1/runs/:id/tags', async (c) => {
    await tracking.setTags(c.req.param('id'), optionalObject(await jsonBody(c), 'tags') ?? {});
    return c.json(runView(await tracking.getRun(c.req.param('id'))));
  });

  app.post('/v1/runs/:id/metrics', async (c) => {
    const logged = await tracking.logMetrics(c.req.param('id'), (await jsonBody(c)).metrics);
    return c.json({ logged });
  });

  app.get('/v1/runs/:id/metrics', async (c) => {
    const points = await tracking.metricHistory(c.req.param('id'), c.req.query('key'));
    return c.json({ points: points.map(metricPointView) });
  });

  app.post('/v1/runs/:id/artifacts', async (c) => {
    const body = await jsonBody(c);
    const role = optionalString(body, 'role');
    if (role !== undefined && role !== 'input' && role !== 'output') {
      throw new BadRequest(`"role" must be "input" or "output" (got "${role}")`);
    }
    const artifact = await tracking.logArtifact(c.req.param('id'), {
      name: requiredString(body, 'name'),
      sha256: requiredString(body, 'sha256'),
      ...(role !== undefined && { role }),
    });
    return c.json(runArtifactView(artifact), 201);
  });

  app.post('/v1/runs/:id/end', async (c) => {
    const status = optionalString(await jsonBody(c), 'status') ?? 'FINISHED';
    const run = await tracking.endRun(c.req.param('id'), status as Exclude<RunStatus, 'RUNNING'>);
    return c.json(runView(run));
  });
}
