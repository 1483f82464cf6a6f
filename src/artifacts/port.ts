/**
 * The artifact port: content-addressed storage of files and folders (data splits, models, reports). An artifact is
 * named by the sha256 of its content; a folder by the sha256 of its canonical manifest (see manifest.ts). The local
 * implementation keeps them under `<data-dir>/artifacts/`; an S3-compatible one can follow behind the same interface
 * and the same contract suite (`describeArtifactStore`).
 */
import type { Readable } from 'node:stream';

export type ArtifactKind = 'file' | 'folder';

export interface ArtifactInfo {
  sha256: string;
  kind: ArtifactKind;
  /** Bytes of a file; for a folder, the sum of its files. */
  size: number;
  /** 1 for a file; the number of files in a folder. */
  files: number;
  /** When it was stored (or last stored again). */
  storedAt: number;
}

/** One file of a folder: its path inside the folder ('/'-separated, no '.' or '..' segments). */
export interface FolderEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface FolderManifest {
  format: 'flywheel.folder/1';
  /** Sorted by the UTF-8 bytes of `path`. */
  entries: FolderEntry[];
}

export interface GcOptions {
  /** Unreferenced artifacts younger than this are kept (default one hour): a put is referenced a moment later. */
  graceMs?: number;
  /** The time to measure age from (default: now). */
  now?: number;
  /** Report what would be deleted without deleting. */
  dryRun?: boolean;
}

export interface GcReport {
  deleted: Pick<ArtifactInfo, 'sha256' | 'kind' | 'size'>[];
  freedBytes: number;
  /** Artifacts left in place. */
  kept: number;
}

export interface ArtifactStore {
  /** Stores bytes; storing the same content again keeps one copy. */
  putBuffer(data: Uint8Array): Promise<ArtifactInfo>;
  /** Stores a stream; nothing becomes visible if it fails part-way. */
  putStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ArtifactInfo>;
  putFile(path: string): Promise<ArtifactInfo>;
  /** Stores each file of a folder tree, then its manifest. Empty folders and file modes are not kept. */
  putFolder(path: string): Promise<ArtifactInfo>;

  has(sha256: string): Promise<boolean>;
  /** Throws NotFound. */
  stat(sha256: string): Promise<ArtifactInfo>;
  /** A folder's manifest, verified against its hash. Throws NotFound (also for a file). */
  manifest(sha256: string): Promise<FolderManifest>;
  /** A file's bytes, verified against its hash (ArtifactCorrupted otherwise). Throws NotFound. */
  read(sha256: string): Promise<Buffer>;
  /**
   * A file's bytes as a stream, verified as they pass: on a mismatch the stream ends with ArtifactCorrupted instead of
   * ending cleanly. Throws NotFound before streaming.
   */
  open(sha256: string): Promise<Readable>;
  /** Checks a stored artifact against its hash (a folder: its manifest and every file). Throws ArtifactCorrupted. */
  verify(sha256: string): Promise<ArtifactInfo>;
  /** Writes a file to `destination` (atomically) or a folder's tree into `destination`, verifying every byte. */
  getToPath(sha256: string, destination: string): Promise<ArtifactInfo>;

  /** Every artifact, by sha256. */
  list(): Promise<ArtifactInfo[]>;
  /** Removes one artifact (a folder's files stay until gc); false when there was none. */
  delete(sha256: string): Promise<boolean>;
  /** Deletes what `referenced` (and the folders in it) do not reach, sparing young artifacts. */
  gc(referenced: Iterable<string>, options?: GcOptions): Promise<GcReport>;
}
