/** Streaming artifact upload and verified download for the client: nothing half-written is ever left at the target. */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { checkSha256, encodeManifest, writeFolderTree } from '../artifacts/index.js';
import type { RawInit } from './http.js';
import type { ArtifactView } from './tracking-types.js';

/** How the client sends a request and gets the raw answer (ApiError for a non-2xx one). */
export type RawFetch = (method: string, path: string, init?: RawInit) => Promise<Response>;

/** Streams a file as the body of `PUT /v1/artifacts`. */
export async function uploadFile(fetchRaw: RawFetch, path: string): Promise<ArtifactView> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot upload ${path}: ${error.code ?? error.message}`);
  });
  if (!info.isFile()) throw new Error(`cannot upload ${path}: not a file`);
  const body = Readable.toWeb(createReadStream(path)) as unknown as NonNullable<RequestInit['body']>;
  const response = await fetchRaw('PUT', '/v1/artifacts', {
    body,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(info.size) },
  });
  return (await response.json()) as ArtifactView;
}

/** Downloads one file artifact to `target`, checking its sha256 before renaming it into place. */
async function downloadFile(fetchRaw: RawFetch, sha256: string, target: string): Promise<void> {
  const response = await fetchRaw('GET', `/v1/artifacts/${sha256}/content`);
  if (response.body === null) throw new Error(`artifact ${sha256}: the server sent no content`);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${randomUUID()}.part`;
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), hashing, createWriteStream(temp));
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new Error(`artifact ${sha256}: the downloaded bytes hash to ${actual}`);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes an artifact to `out`: a file to that path, a folder as a tree under it. Every byte is verified against its
 * sha256, and a folder's listing against the folder's own id, so a damaged store or transfer never goes unnoticed.
 */
export async function downloadArtifact(fetchRaw: RawFetch, sha256: string, out: string): Promise<ArtifactView> {
  checkSha256(sha256);
  const info = (await (await fetchRaw('GET', `/v1/artifacts/${sha256}`)).json()) as ArtifactView;
  const target = resolve(out);
  if (info.kind === 'file') {
    await downloadFile(fetchRaw, sha256, target);
    return info;
  }
  const entries = info.entries ?? [];
  const listed = createHash('sha256').update(encodeManifest(entries)).digest('hex');
  if (listed !== sha256) throw new Error(`folder artifact ${sha256}: the server's file list hashes to ${listed}`);
  await writeFolderTree(target, entries, (sha, file) => downloadFile(fetchRaw, sha, file));
  return info;
}
