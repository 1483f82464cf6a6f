/**
 * The canonical folder manifest. A folder's id is the sha256 of these exact bytes, so the same tree always gets the
 * same id wherever and whenever it is stored: compact JSON, keys in a fixed order, entries sorted by the UTF-8 bytes
 * of their '/'-separated path. Only regular files are recorded (no empty folders, modes or times).
 */
import { posix } from 'node:path';
import { checkSha256, InvalidArtifactName } from './errors.js';
import type { FolderEntry, FolderManifest } from './port.js';

export const MANIFEST_FORMAT = 'flywheel.folder/1';

const byPathBytes = (a: FolderEntry, b: FolderEntry): number =>
  Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));

/** The manifest's canonical bytes. */
export function encodeManifest(entries: readonly FolderEntry[]): Buffer {
  const sorted = [...entries].sort(byPathBytes);
  for (const [i, e] of sorted.entries()) {
    checkEntryPath(e.path);
    if (i > 0 && sorted[i - 1]!.path === e.path) throw new InvalidArtifactName(`folder path "${e.path}" appears twice`);
  }
  const manifest: FolderManifest = {
    format: MANIFEST_FORMAT,
    entries: sorted.map((e) => ({ path: e.path, sha256: e.sha256, size: e.size })),
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** Parses stored manifest bytes, checking every entry so that no path can leave the folder it is written into. */
export function decodeManifest(bytes: Buffer, sha256: string): FolderManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidArtifactName(`folder manifest ${sha256} is not JSON`);
  }
  const m = parsed as Partial<FolderManifest>;
  if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.entries)) {
    throw new InvalidArtifactName(`folder manifest ${sha256} is not a ${MANIFEST_FORMAT} manifest`);
  }
  for (const e of m.entries) {
    checkEntryPath(e.path);
    checkSha256(e.sha256, `folder manifest ${sha256}: "${e.path}" sha256`);
    if (!Number.isSafeInteger(e.size) || e.size < 0) {
      throw new InvalidArtifactName(`folder manifest ${sha256}: "${e.path}" has no valid size`);
    }
  }
  return m as FolderManifest;
}

/**
 * A relative '/'-separated path whose segments are neither empty, '.' nor '..', without backslashes or NUL: joined to
 * any folder, it stays inside it.
 */
export function checkEntryPath(path: unknown): string {
  const fail = (why: string): never => {
    throw new InvalidArtifactName(`folder entry path ${JSON.stringify(path)} ${why}`);
  };
  if (typeof path !== 'string' || path === '') return fail('must be a non-empty string');
  if (path.includes('\\') || path.includes('\0')) fail('must not contain "\\" or NUL');
  if (posix.isAbsolute(path) || /^[A-Za-z]:/.test(path)) fail('must be relative');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') fail('must not have empty, "." or ".." segments');
  }
  return path;
}
