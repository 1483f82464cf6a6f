import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type Constraints, readConstraints, readStatistics, type Statistics } from './statistics/index.js';

/** The file names SageMaker uses for a baseline (and Flywheel too). */
export const STATISTICS_FILE = 'statistics.json';
export const CONSTRAINTS_FILE = 'constraints.json';

/** Reads and validates a statistics.json (SageMaker's or Flywheel's); errors name the file and key path. */
export async function readStatisticsFile(file: string): Promise<Statistics> {
  return readStatistics(await readFile(file, 'utf8'), file);
}

/** Reads and validates a constraints.json (SageMaker's or Flywheel's); errors name the file and key path. */
export async function readConstraintsFile(file: string): Promise<Constraints> {
  return readConstraints(await readFile(file, 'utf8'), file);
}

/**
 * Writes `text` to `file` so that a reader sees the old file or the new one, never a part: a temporary file in the
 * same folder, then a rename over the target.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
