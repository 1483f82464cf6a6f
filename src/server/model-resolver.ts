/**
 * Serves registry models: resolves `group:version` (or `group:alias`) through the model registry and copies the
 * version's artifact once to `<data-dir>/models/<sha256><ext>`, a path that never changes for that content, so an
 * endpoint restored after a restart loads the very bytes it served before.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactStore } from '../artifacts/index.js';
import { EndpointError, EndpointErrors, type ModelResolver } from '../serving/index.js';
import { NotFound } from '../store/index.js';
import type { RegistryService } from '../tracking/index.js';

const EXTENSION: Readonly<Record<string, string>> = { 'xgboost-json': '.json' };

export function registryModelResolver(
  registry: RegistryService,
  artifacts: ArtifactStore,
  modelsDir: string,
): ModelResolver {
  return {
    async resolve(group, version) {
      let record: Awaited<ReturnType<RegistryService['getVersion']>>;
      try {
        record = await registry.getVersion(group, version);
      } catch (error) {
        if (error instanceof NotFound)
          throw new EndpointError(EndpointErrors.ModelNotFound, `model "${group}:${version}": ${error.message}`);
        throw error;
      }
      const path = join(modelsDir, `${record.artifactSha256}${EXTENSION[record.format] ?? ''}`);
      if (!existsSync(path)) await artifacts.getToPath(record.artifactSha256, path);
      return { path, format: record.format };
    },
  };
}
