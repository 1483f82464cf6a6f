import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * A staging folder beside the output folder (same file system, so publishing is a rename): `out` collects the
 * splits, `work` holds scratch files and DuckDB's spill. Nothing of a failed run stays behind.
 */
export interface Staging {
  root: string;
  out: string;
  work: string;
}

export async function createStaging(outputDir: string): Promise<Staging> {
  const parent = path.dirname(outputDir);
  await mkdir(parent, { recursive: true });
  const root = path.join(parent, `.${path.basename(outputDir)}.prep-${process.pid}-${randomBytes(4).toString('hex')}`);
  const staging = { root, out: path.join(root, 'out'), work: path.join(root, 'work') };
  await mkdir(staging.out, { recursive: true });
  await mkdir(staging.work, { recursive: true });
  return staging;
}

/** Moves `staging.out` to `outputDir`, replacing a folder already there only once the new one is in place. */
export async function publish(staging: Staging, outputDir: string): Promise<void> {
  const previous = path.join(staging.root, 'previous');
  const existed = await stat(outputDir).then(
    () => true,
    () => false,
  );
  if (existed) await rename(outputDir, previous);
  try {
    await rename(staging.out, outputDir);
  } catch (err) {
    if (existed) await rename(previous, outputDir);
    throw err;
  }
}

export async function removeStaging(staging: Staging): Promise<void> {
  await rm(staging.root, { recursive: true, force: true });
}
