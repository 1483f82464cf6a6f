/** Model files: XGBoost JSON on disk, written atomically (a temporary file in the same folder, then a rename). */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fromXgboostJson, type Model, toXgboostJson } from '../gbdt/index.js';

/** Reads an XGBoost JSON model; errors name the file and the JSON field. */
export async function loadModel(path: string): Promise<Model> {
  const text = await readFile(path, 'utf8');
  try {
    return fromXgboostJson(text);
  } catch (error) {
    const e = error as Error;
    e.message = `${path}: ${e.message}`;
    throw e;
  }
}

/** Writes a model (or its JSON text) so that readers see the old file or the whole new one, never a partial one. */
export async function saveModel(path: string, model: Model | string): Promise<void> {
  const text = typeof model === 'string' ? model : toXgboostJson(model);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
