import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Hono } from 'hono';
import { checkSha256 } from '../artifacts/index.js';
import type { TrackingServices } from '../tracking/index.js';
import { jsonBody } from './body.js';
import { BadRequest } from './errors.js';
import { artifactView } from './tracking-shapes.js';

/** The artifact store over HTTP (see docs/api.md#artifacts). Downloads stream the bytes as they are verified. */
export function artifactRoutes(app: Hono, services: TrackingServices): void {
  const { artifacts } = services;

  /** The request body, streamed into the store; nothing is stored if the upload breaks off. */
  app.put('/v1/artifacts', async (c) => {
    const body = c.req.raw.body;
    if (body === null) throw new BadRequest('send the file as the request body');
    const info = await artifacts.putStream(Readable.fromWeb(body as WebReadableStream<Uint8Array>));
    return c.json(artifactView(info), 201);
  });

  app.get('/v1/artifacts', async (c) => c.json({ artifacts: (await artifacts.list()).map(artifactView) }));

  /** A folder's answer lists its files, each of which is a file artifact of its own. */
  app.get('/v1/artifacts/:sha256', async (c) => {
    const info = await artifacts.stat(c.req.param('sha256'));
    if (info.kind === 'file') return c.json(artifactView(info));
    return c.json({ ...artifactView(info), entries: (await artifacts.manifest(info.sha256)).entries });
  });

  app.get('/v1/artifacts/:sha256/content', async (c) => {
    const sha256 = checkSha256(c.req.param('sha256'));
    const info = await artifacts.stat(sha256);
    if (info.kind === 'folder') {
      throw new BadRequest(`artifact ${sha256} is a folder: GET /v1/artifacts/${sha256} lists its files`);
    }
    // Verified before the first byte goes out, so a damaged object is a 500 naming it, never a complete-looking body;
    // the stream checks again as it passes (and aborts the response on a mismatch).
    await artifacts.verify(sha256);
    const stream = Readable.toWeb(await artifacts.open(sha256)) as unknown as ReadableStream<Uint8Array>;
    return new Response(stream, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(info.size),
        etag: `"${sha256}"`,
        'cache-control': 'public, max-age=31536000, immutable',
      },
    });
  });

  app.post('/v1/artifacts/gc', async (c) => {
    const body = await jsonBody(c);
    const grace = body.graceSeconds ?? 3600;
    if (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0) {
      throw new BadRequest('"graceSeconds" must be a non-negative number');
    }
    if (body.dryRun !== undefined && typeof body.dryRun !== 'boolean')
      throw new BadRequest('"dryRun" must be true or false');
    return c.json(await services.collectGarbage({ graceMs: grace * 1000, dryRun: body.dryRun === true }));
  });
}
