import * as path from 'node:path';
import { PrepError } from './errors.js';
import { type PrepResult, runDataPrep } from './prep.js';
import { loadPrepSpec } from './spec.js';
import { splitNames } from './write-splits.js';

export interface PrepCommandOptions {
  /** Print the result (or the failure) as JSON instead of a summary. */
  json: boolean;
  signal?: AbortSignal;
  /** Where output goes (default: the process's stdout and stderr). */
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

/**
 * `flywheel data prep <spec.json>`: runs the spec and prints a summary or the result JSON.
 * @returns the exit code: 0 done, 1 the data was rejected or unreadable, 2 the spec is wrong
 */
export async function runPrepCommand(specPath: string, options: PrepCommandOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  try {
    const spec = await loadPrepSpec(specPath);
    const result = await runDataPrep(spec, options.signal ? { signal: options.signal } : {});
    stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : summary(result, specPath));
    return 0;
  } catch (err) {
    if (!(err instanceof PrepError)) throw err;
    if (options.json) {
      const failure = { error: err.error, cause: err.message, ...(err.report ?? {}) };
      stdout.write(`${JSON.stringify(failure, null, 2)}\n`);
    } else {
      stderr.write(`${err.error}: ${err.message}\n`);
    }
    return err.error === 'DataPrep.InvalidSpec' ? 2 : 1;
  }
}

function summary(result: PrepResult, specPath: string): string {
  const lines = [`Data prep ${path.basename(specPath)}: done in ${(result.durationMs / 1000).toFixed(1)} s`];
  for (const split of splitNames) {
    for (const file of result.splits[split]) {
      const rows = String(file.rows).padStart(9);
      lines.push(`  ${split.padEnd(10)} ${rows} rows  ${file.path}  sha256 ${file.sha256.slice(0, 12)}`);
    }
  }
  const types = new Map<string, number>();
  for (const f of result.features) types.set(f.type, (types.get(f.type) ?? 0) + 1);
  const typeList = [...types].map(([type, n]) => `${n} ${type}`).join(', ');
  lines.push(`  label "${result.label}" (column 1); ${result.features.length} features: ${typeList}`);
  lines.push(`  rejected rows: ${result.rejectedRows}`);
  for (const r of result.rejects) {
    const where = `${r.file === null ? 'transformed row' : path.basename(r.file)}${r.line === null ? '' : ` line ${r.line}`}`;
    lines.push(`    ${where}: ${r.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
