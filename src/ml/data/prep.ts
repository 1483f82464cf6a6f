import * as path from 'node:path';
import { PrepError, PrepErrors, type RejectedRow } from './errors.js';
import { labelRows } from './label.js';
import { createStaging, publish, removeStaging } from './output-dir.js';
import { readInput } from './read-input.js';
import { createRejectsTable, describeRejects, rejectReport } from './rejects.js';
import type { PrepSpec } from './spec.js';
import { type Column, openSession, type Session } from './sql.js';
import { applySteps } from './steps.js';
import { transformInput } from './transform.js';
import { type SplitFile, type SplitName, splitNames, writeSplits } from './write-splits.js';

/** What a data prep wrote. */
export interface PrepResult {
  /** Each split's files, one per output format, at their final paths. */
  splits: Record<SplitName, SplitFile[]>;
  /** The feature columns in file order (after the label), with DuckDB's type names. */
  features: Column[];
  /** The label column: first in every file, 0 or 1. */
  label: string;
  rejectedRows: number;
  /** The first five rejected rows. */
  rejects: RejectedRow[];
  durationMs: number;
}

export interface PrepOptions {
  /** Aborts the run: DuckDB is interrupted and the staging folder removed. */
  signal?: AbortSignal;
}

/**
 * Runs a data prep: read, transform, label, split, write. The output folder appears (or is replaced) only when
 * everything succeeded; on any failure it is left as it was and the staging folder beside it is removed.
 * @throws PrepError: InvalidSpec, BadInput, TooManyRejectedRows (with its report) or Aborted
 * @example const result = await runDataPrep(await loadPrepSpec('prep.json'));
 */
export async function runDataPrep(spec: PrepSpec, options: PrepOptions = {}): Promise<PrepResult> {
  const started = performance.now();
  const staging = await createStaging(spec.output.dir);
  let db: Session | undefined;
  try {
    db = await openSession({ tempDirectory: staging.work, ...(options.signal ? { signal: options.signal } : {}) });
    await createRejectsTable(db);
    const origin = await readInput(db, spec, staging.work);
    const transformed = await transformInput(db, spec);
    const stepped = await applySteps(db, spec, transformed, origin.delimiter);
    const features = await labelRows(db, spec, stepped.relation, origin.delimiter);
    const report = await rejectReport(db, origin);
    if (report.rejectedRows > spec.maxRejectedRows) {
      throw new PrepError(
        PrepErrors.TooManyRejectedRows,
        `${path.basename(spec.file)}: ${report.rejectedRows} rows rejected, more than maxRejectedRows ` +
          `(${spec.maxRejectedRows}) allows; fix the data or raise maxRejectedRows. First rejects:\n${describeRejects(report)}`,
        report,
      );
    }
    const written = await writeSplits(db, spec, features, stepped.blocks, staging.out);
    db.close();
    db = undefined;
    await publish(staging, spec.output.dir);
    const splits = Object.fromEntries(
      splitNames.map((s) => [
        s,
        written[s].map((f) => ({ ...f, path: path.join(spec.output.dir, path.basename(f.path)) })),
      ]),
    ) as Record<SplitName, SplitFile[]>;
    return {
      splits,
      features,
      label: spec.label.column,
      rejectedRows: report.rejectedRows,
      rejects: report.rejects,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    if (err instanceof PrepError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new PrepError(PrepErrors.BadInput, `${path.basename(spec.file)}: data prep failed: ${message}`);
  } finally {
    db?.close();
    await removeStaging(staging);
  }
}
