import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFound } from '../store/index.js';
import { checkSha256, isSha256 } from './errors.js';
import { exists, openVerified, readVerified, writeAtomically } from './local-files.js';
import { checkEntryPath, decodeManifest, encodeManifest } from './manifest.js';
import type { ArtifactInfo, ArtifactStore, FolderEntry, FolderManifest, GcOptions, GcReport } from './port.js';

const HOUR = 3_600_000;

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Opens the artifact store kept in the folder `root` (created on first write):
 * `objects/<2 hex>/<sha256>` holds file contents, `folders/<2 hex>/<sha256>` folder manifests, `tmp/` writes in
 * progress. Every write lands in `tmp/` first and is renamed into place once complete and flushed.
 */
export function openLocalArtifactStore(root: string): ArtifactStore {
  return new LocalArtifactStore(resolve(root));
}

class LocalArtifactStore implements ArtifactStore {
  private readonly tmp: string;
  constructor(private readonly root: string) {
    this.tmp = join(root, 'tmp');
  }

  private objectPath = (sha256: string): string => join(this.root, 'objects', sha256.slice(0, 2), sha256);
  private folderPath = (sha256: string): string => join(this.root, 'folders', sha256.slice(0, 2), sha256);

  putBuffer(data: Uint8Array): Promise<ArtifactInfo> {
    return this.putStream([data]);
  }

  async putStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ArtifactInfo> {
    const { sha256, size } = await writeAtomically(this.tmp, source, this.objectPath);
    return { sha256, kind: 'file', size, files: 1, storedAt: Date.now() };
  }

  async putFile(path: string): Promise<ArtifactInfo> {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot store ${path}: ${error.code ?? error.message}`);
    });
    if (!info.isFile()) throw new Error(`cannot store ${path}: not a file (use putFolder for a folder)`);
    return this.putStream(createReadStream(path));
  }

  async putFolder(path: string): Promise<ArtifactInfo> {
    const root = resolve(path);
    const entries: FolderEntry[] = [];
    for (const file of await walk(root)) {
      const { sha256, size } = await this.putFile(file);
      entries.push({ path: relative(root, file).split(sep).join('/'), sha256, size });
    }
    const { sha256 } = await writeAtomically(this.tmp, [encodeManifest(entries)], this.folderPath);
    const size = entries.reduce((sum, e) => sum + e.size, 0);
    return { sha256, kind: 'folder', size, files: entries.length, storedAt: Date.now() };
  }

  async has(sha256: string): Promise<boolean> {
    checkSha256(sha256);
    return (await exists(this.folderPath(sha256))) || (await exists(this.objectPath(sha256)));
  }

  async stat(sha256: string): Promise<ArtifactInfo> {
    checkSha256(sha256);
    const folder = await stat(this.folderPath(sha256)).catch(() => undefined);
    if (folder !== undefined) {
      const { entries } = await this.manifest(sha256);
      const size = entries.reduce((sum, e) => sum + e.size, 0);
      return { sha256, kind: 'folder', size, files: entries.length, storedAt: folder.mtimeMs };
    }
    const file = await stat(this.objectPath(sha256)).catch(() => undefined);
    if (file === undefined) throw new NotFound(`artifact ${sha256}`);
    return { sha256, kind: 'file', size: file.size, files: 1, storedAt: file.mtimeMs };
  }

  async manifest(sha256: string): Promise<FolderManifest> {
    checkSha256(sha256);
    const bytes = await readVerified(this.folderPath(sha256), sha256).catch((error: unknown) => {
      throw isMissing(error) ? new NotFound(`folder artifact ${sha256}`) : error;
    });
    return decodeManifest(bytes, sha256);
  }

  async read(sha256: string): Promise<Buffer> {
    checkSha256(sha256);
    return readVerified(this.objectPath(sha256), sha256).catch((error: unknown) => {
      throw isMissing(error) ? new NotFound(`file artifact ${sha256}`) : error;
    });
  }

  async open(sha256: string): Promise<Readable> {
    checkSha256(sha256);
    const path = this.objectPath(sha256);
    if (!(await exists(path))) throw new NotFound(`file artifact ${sha256}`);
    return openVerified(path, sha256);
  }

  async verify(sha256: string): Promise<ArtifactInfo> {
    const info = await this.stat(sha256);
    const files = info.kind === 'file' ? [sha256] : (await this.manifest(sha256)).entries.map((e) => e.sha256);
    for (const file of files) {
      for await (const _ of await this.open(file)) {
        // the stream hashes what passes and fails at its end on a mismatch
      }
    }
    return info;
  }

  async getToPath(sha256: string, destination: string): Promise<ArtifactInfo> {
    const info = await this.stat(sha256);
    const target = resolve(destination);
    if (info.kind === 'file') {
      await this.copyOut(sha256, target);
      return info;
    }
    await writeFolderTree(target, (await this.manifest(sha256)).entries, (sha, file) => this.copyOut(sha, file));
    return info;
  }

  /** Writes a verified copy of a stored file: into a temporary sibling first, renamed only once it checked out. */
  private async copyOut(sha256: string, target: string): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.part`;
    try {
      await pipeline(await this.open(sha256), createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async list(): Promise<ArtifactInfo[]> {
    const shas = new Set([...(await this.stored('folders')), ...(await this.stored('objects'))]);
    const infos = await Promise.all([...shas].map((sha) => this.stat(sha)));
    return infos.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
  }

  /** The sha256 names under `objects/` or `folders/`. */
  private async stored(kind: 'objects' | 'folders'): Promise<string[]> {
    const top = join(this.root, kind);
    const shards = await readdir(top).catch(() => [] as string[]);
    const names = await Promise.all(shards.map((s) => readdir(join(top, s)).catch(() => [] as string[])));
    return names.flat().filter(isSha256);
  }

  async delete(sha256: string): Promise<boolean> {
    checkSha256(sha256);
    for (const path of [this.folderPath(sha256), this.objectPath(sha256)]) {
      if (await exists(path)) {
        await rm(path, { force: true });
        return true;
      }
    }
    return false;
  }

  async gc(referenced: Iterable<string>, options: GcOptions = {}): Promise<GcReport> {
    const cutoff = (options.now ?? Date.now()) - (options.graceMs ?? HOUR);
    const wanted = new Set([...referenced].filter(isSha256));
    const report: GcReport = { deleted: [], freedBytes: 0, kept: 0 };
    const remove = async (path: string, entry: GcReport['deleted'][number]): Promise<void> => {
      if (!options.dryRun) await rm(path, { force: true });
      report.deleted.push(entry);
      report.freedBytes += entry.size;
    };
    // A folder that stays (referenced or young) keeps every file it lists.
    const live = new Set(wanted);
    for (const sha of await this.stored('folders')) {
      const info = await stat(this.folderPath(sha));
      if (wanted.has(sha) || info.mtimeMs > cutoff) {
        report.kept += 1;
        for (const entry of (await this.manifest(sha)).entries) live.add(entry.sha256);
      } else {
        await remove(this.folderPath(sha), { sha256: sha, kind: 'folder', size: info.size });
      }
    }
    for (const sha of await this.stored('objects')) {
      const info = await stat(this.objectPath(sha));
      if (live.has(sha) || info.mtimeMs > cutoff) report.kept += 1;
      else await remove(this.objectPath(sha), { sha256: sha, kind: 'file', size: info.size });
    }
    // Leftovers of writes that died with their process.
    for (const name of await readdir(this.tmp).catch(() => [] as string[])) {
      const info = await lstat(join(this.tmp, name)).catch(() => undefined);
      if (info !== undefined && info.mtimeMs <= cutoff && !options.dryRun)
        await rm(join(this.tmp, name), { force: true });
    }
    return report;
  }
}

/**
 * Writes a folder artifact's tree to `target` (a new folder, or in place of an empty one; anything else there is
 * refused). The tree is written beside the target and renamed into place whole, so a failure leaves no partial tree;
 * every entry path is checked again so none can leave it. `writeFile` writes one verified file.
 */
export async function writeFolderTree(
  target: string,
  entries: readonly FolderEntry[],
  writeFile: (sha256: string, file: string) => Promise<void>,
): Promise<void> {
  await prepareFolderTarget(target);
  const temp = `${target}.${randomUUID()}.part`;
  try {
    for (const entry of entries) {
      const file = resolve(temp, ...checkEntryPath(entry.path).split('/'));
      if (!file.startsWith(temp + sep)) throw new Error(`folder entry "${entry.path}" leaves ${target}`);
      await writeFile(checkSha256(entry.sha256), file);
    }
    await mkdir(temp, { recursive: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** A folder artifact is written to a new folder, or in place of an empty one; anything else there is refused. */
async function prepareFolderTarget(target: string): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  if (existing === undefined) return mkdir(dirname(target), { recursive: true }).then(() => undefined);
  if (!existing.isDirectory() || (await readdir(target)).length > 0) {
    throw new Error(`cannot write a folder artifact to ${target}: it exists; give a new or empty folder`);
  }
  await rm(target, { recursive: true });
}

/** The regular files under `root`, in a stable order. Symbolic links and special files are refused, not followed. */
async function walk(root: string): Promise<string[]> {
  const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot store ${root}: ${error.code ?? error.message}`);
  });
  if (!info.isDirectory()) throw new Error(`cannot store ${root}: not a folder (use putFile for a file)`);
  const files: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) files.push(path);
      else throw new Error(`cannot store ${root}: ${relative(root, path)} is not a regular file or folder`);
    }
  };
  await visit(root);
  return files;
}
