/** File-level building blocks of the local artifact store: atomic hashed writes and hash-checking reads. */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { ArtifactCorrupted } from './errors.js';

/** Flushes a folder's entry table, so a rename into it survives a power loss. Best effort where unsupported. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync().catch(() => {});
  } finally {
    await handle.close();
  }
}

/**
 * Writes `source` to a new file in `tmpDir` while hashing it, flushes it to disk, then renames it to `finalPath(sha)`
 * (or drops it when that path already holds the content: stored once, its time refreshed for gc's grace period).
 * A failure at any point removes the temporary file, so no partial artifact is ever visible.
 */
export async function writeAtomically(
  tmpDir: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  finalPath: (sha256: string) => string,
): Promise<{ sha256: string; size: number; path: string }> {
  await mkdir(tmpDir, { recursive: true });
  const temp = join(tmpDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(temp, 'wx', 0o644);
  try {
    try {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.byteLength;
        await handle.write(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const sha256 = hash.digest('hex');
    const path = finalPath(sha256);
    if (await exists(path)) {
      const now = new Date();
      await utimes(path, now, now);
      await rm(temp, { force: true });
      return { sha256, size, path };
    }
    await mkdir(dirname(path), { recursive: true });
    await rename(temp, path);
    await syncFolder(dirname(path));
    return { sha256, size, path };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Reads a whole stored file and checks it against `sha256`. */
export async function readVerified(path: string, sha256: string): Promise<Buffer> {
  const bytes = await readFile(path);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new ArtifactCorrupted(sha256, actual);
  return bytes;
}

/** A stream of a stored file that fails with ArtifactCorrupted at its end when the bytes do not hash to `sha256`. */
export function openVerified(path: string, sha256: string): Transform {
  const hash = createHash('sha256');
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      callback(actual === sha256 ? null : new ArtifactCorrupted(sha256, actual));
    },
  });
  const file = createReadStream(path);
  file.on('error', (error) => check.destroy(error));
  return file.pipe(check);
}
