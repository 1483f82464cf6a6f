/** Lineage capture: which commit of which repository, and which configuration, produced a run. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { InvalidInput } from './errors.js';

const run = promisify(execFile);

export interface GitLineage {
  gitCommit: string | null;
  gitRepository: string | null;
  gitDirty: boolean | null;
}

const NO_GIT: GitLineage = { gitCommit: null, gitRepository: null, gitDirty: null };

async function git(folder: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd: folder, timeout: 10_000, windowsHide: true });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * The commit checked out in `folder` (`git rev-parse HEAD`), the repository (the `origin` remote's URL, else the
 * checkout's top folder) and whether there are uncommitted changes. All null when `folder` is not in a git checkout
 * or git is not installed: a run outside git is still a run.
 */
export async function gitLineage(folder: string): Promise<GitLineage> {
  const commit = await git(folder, ['rev-parse', '--verify', 'HEAD']);
  if (commit === undefined || !/^[0-9a-f]{40,64}$/.test(commit)) return NO_GIT;
  const [origin, top, status] = await Promise.all([
    git(folder, ['config', '--get', 'remote.origin.url']),
    git(folder, ['rev-parse', '--show-toplevel']),
    git(folder, ['status', '--porcelain', '--untracked-files=no']),
  ]);
  return {
    gitCommit: commit,
    gitRepository: origin || top || null,
    gitDirty: status === undefined ? null : status !== '',
  };
}

/** JSON with object keys sorted at every level, so equal configurations give equal text whatever their key order. */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidInput(`config ${path} must be a finite number (got ${value})`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, `${path}.${k}`)}`).join(',')}}`;
  }
  throw new InvalidInput(`config ${path} must be JSON (got ${typeof value})`);
}

/** sha256 of the canonical JSON of a run's configuration. */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}
