import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeChurnData } from '../ml/data/index.js';

/** The example project's files, shipped in the package under examples/ml-pipeline/. */
const TEMPLATE = fileURLToPath(new URL('../../examples/ml-pipeline/', import.meta.url));
const COPIED = ['ml-pipeline.asl.json', 'ml-pipeline-config.json', 'etl/prep.json'];
const DATA = 'data/churn.csv';

export const PROJECT_FILES = { definition: 'ml-pipeline.asl.json', config: 'ml-pipeline-config.json' } as const;

/** Files exist where the project would go and `force` was not given. */
export class ProjectExists extends Error {
  constructor(readonly files: string[]) {
    super(`refusing to overwrite ${files.join(', ')} (use --force to replace them)`);
    this.name = 'ProjectExists';
  }
}

/**
 * `flywheel init [dir]`: writes the example ML project (workflow, config, prep spec, generated churn data). Checks
 * every target first, so it either writes the whole project or nothing.
 */
export async function initProject(
  dir: string,
  options: { force?: boolean; rows?: number; seed?: number } = {},
): Promise<{ dir: string; files: string[] }> {
  const root = resolve(dir);
  const files = [...COPIED, DATA];
  const existing = files.filter((f) => existsSync(join(root, f)));
  if (existing.length > 0 && !options.force) throw new ProjectExists(existing);
  for (const file of COPIED) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(TEMPLATE, file), join(root, file));
  }
  await writeChurnData(join(root, DATA), { rows: options.rows ?? 3333, seed: options.seed ?? 42 });
  return { dir: root, files };
}
