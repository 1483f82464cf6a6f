/**
 * Model references in an endpoint config: a file path (relative to the server's folder) or a registry reference
 * `group:version` (a version number or an alias), resolved through a ModelResolver the server wires to the registry.
 */
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { EndpointError, EndpointErrors } from './errors.js';
import { MODEL_LOADERS } from './model-loader.js';

/** Where a replica finds a model, and which loader reads it. */
export interface ResolvedModel {
  /** As the config wrote it, e.g. `churn:3` or `models/churn.json`. */
  ref: string;
  /** Absolute path of the model file. */
  path: string;
  format: string;
}

/** The model registry, as the endpoint service sees it. */
export interface ModelResolver {
  /**
   * The file and format of version (or alias) `version` of model group `group`.
   * Throws EndpointError `Endpoint.ModelNotFound` when there is no such version.
   */
  resolve(group: string, version: string): Promise<{ path: string; format: string }>;
}

const REGISTRY_REF = /^([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9][A-Za-z0-9._@-]*)$/;
const FORMAT_BY_EXTENSION: Readonly<Record<string, string>> = { '.json': 'xgboost-json' };

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Resolves one reference; a file that exists wins over a registry reference of the same spelling. */
export async function resolveModelRef(
  ref: string,
  options: { cwd: string; resolver?: ModelResolver | undefined },
): Promise<ResolvedModel> {
  const path = resolve(options.cwd, ref);
  const registry = REGISTRY_REF.exec(ref);
  if (registry && !(await isFile(path))) {
    if (options.resolver === undefined) {
      throw new EndpointError(
        EndpointErrors.ModelNotFound,
        `model "${ref}" looks like a registry reference (group:version) but this server has no model registry; ` +
          'give a model file path',
      );
    }
    const found = await options.resolver.resolve(registry[1]!, registry[2]!);
    return { ref, ...found };
  }
  if (!(await isFile(path))) {
    throw new EndpointError(EndpointErrors.ModelNotFound, `model file ${path} does not exist (model "${ref}")`);
  }
  const format = FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (format === undefined || MODEL_LOADERS[format] === undefined) {
    throw new EndpointError(
      EndpointErrors.ModelNotFound,
      `model file ${path}: no loader for "${extname(path)}" files (supported: ${Object.keys(FORMAT_BY_EXTENSION).join(', ')})`,
    );
  }
  return { ref, path, format };
}
