import * as path from 'node:path';
import { BaselineError } from './baseline-error.js';
import { CONSTRAINTS_FILE, STATISTICS_FILE, writeFileAtomic } from './baseline-files.js';
import { CsvFormatError, scanCsv } from './csv-scan.js';
import {
  type ColumnProfile,
  DatasetProfile,
  type InferredType,
  suggestConstraints,
  writeConstraints,
  writeStatistics,
} from './statistics/index.js';

export interface BaselineOptions {
  /** A comma-separated file: the training split. */
  data: string;
  /** The first record names the columns (default false). */
  header?: boolean;
  /** Column names when there is no header; default `_c0`, `_c1`, ... as Spark's. With `labelColumn: 'first'` the names may
   * leave out the label (data prep's feature names for its label-first splits). */
  columns?: readonly string[];
  /** The label column to leave out: 'first', a column name, or null to keep every column (default). */
  labelColumn?: 'first' | string | null;
  /** Every line is wrapped in one pair of double quotes (AWS's churn sample): unwrap first (default false). */
  quotedLines?: boolean;
  /** Where statistics.json and constraints.json go (created if missing). */
  outDir: string;
  signal?: AbortSignal;
}

export interface BaselineResult {
  statisticsPath: string;
  constraintsPath: string;
  /** Rows analysed. */
  itemCount: number;
  /** The features in column order, label left out. */
  features: { name: string; inferredType: InferredType }[];
}

/**
 * Builds a SageMaker Model Monitor data-quality baseline (statistics.json and constraints.json) from a CSV,
 * streaming it: one pass, plus a second over the rare columns that turn out String after numbers. Each file is
 * replaced atomically. Deterministic: the same data and options give byte-identical files.
 * @example
 * await buildBaseline({ data: 'prep/train.csv', columns: featureNames, labelColumn: 'first', outDir: 'baseline' });
 */
export async function buildBaseline(options: BaselineOptions): Promise<BaselineResult> {
  const label = options.labelColumn ?? null;
  if (options.header === true && options.columns !== undefined) {
    throw new BaselineError('InvalidInput', 'give header: true or columns, not both (the header names the columns)');
  }
  if (options.columns !== undefined) checkNames(options.columns, 'columns');
  const file = options.data;
  // A holder rather than a `let`: the callback assigns it, which TypeScript's narrowing does not follow.
  const read: { profile: DatasetProfile | null } = { profile: null };
  let width = 0;
  let targets: (ColumnProfile | null)[] = [];
  const scan = { quotedLines: options.quotedLines === true, ...(options.signal && { signal: options.signal }) };
  try {
    await scanCsv(file, scan, (bytes, starts, ends, quoted, count, line) => {
      let profile = read.profile;
      if (profile === null) {
        const names = options.header === true ? headerNames(bytes, starts, ends, count) : columnNames(options, count);
        width = names.length;
        const labelIndex = labelIndexOf(names, label);
        profile = new DatasetProfile(names.filter((_, i) => i !== labelIndex));
        read.profile = profile;
        const columns = profile.columns;
        targets = names.map((_, i) =>
          i === labelIndex ? null : (columns[i < labelIndex || labelIndex < 0 ? i : i - 1] ?? null),
        );
        if (options.header === true) return;
      }
      if (count !== width) {
        throw new CsvFormatError(
          `${file} line ${line}: ${count} fields where the ${options.header ? 'header has' : 'data has'} ${width}`,
        );
      }
      for (let i = 0; i < count; i++) {
        const target = targets[i];
        if (target === null || target === undefined) continue;
        const s = starts[i]!;
        const e = ends[i]!;
        if (s === e && quoted[i] === 0) target.addMissing();
        else target.add(bytes, s, e);
      }
      profile.countRow();
    });
    const p = read.profile;
    if (p === null || p.itemCount === 0)
      throw new BaselineError('BadData', `${file}: no data rows to build a baseline from`);
    await rescanStrings(file, scan, options.header === true, targets);
    const statistics = p.statistics();
    const outDir = options.outDir;
    const statisticsPath = path.join(outDir, STATISTICS_FILE);
    const constraintsPath = path.join(outDir, CONSTRAINTS_FILE);
    await writeFileAtomic(statisticsPath, writeStatistics(statistics));
    await writeFileAtomic(constraintsPath, writeConstraints(suggestConstraints(statistics)));
    return {
      statisticsPath,
      constraintsPath,
      itemCount: statistics.dataset.itemCount,
      features: statistics.features.map((f) => ({ name: f.name, inferredType: f.inferredType })),
    };
  } catch (error) {
    if (error instanceof CsvFormatError) throw new BaselineError('BadData', error.message);
    const io = error as NodeJS.ErrnoException;
    if (io.code === 'ENOENT' && io.path === file && !options.signal?.aborted) {
      throw new BaselineError('BadData', `${file}: no such file (the data to build the baseline from)`);
    }
    throw error;
  }
}

/** Feeds every value again to the String columns whose string statistics began after their first numbers. */
async function rescanStrings(
  file: string,
  scan: Parameters<typeof scanCsv>[1],
  header: boolean,
  targets: (ColumnProfile | null)[],
): Promise<void> {
  const redo = targets.map((t) => (t?.needsStringRescan ? t.rescanStrings() : null));
  if (redo.every((r) => r === null)) return;
  let skip = header;
  await scanCsv(file, scan, (bytes, starts, ends, quoted, count) => {
    if (skip) {
      skip = false;
      return;
    }
    for (let i = 0; i < count; i++) {
      const s = starts[i]!;
      const e = ends[i]!;
      if (s !== e || quoted[i] === 1) redo[i]?.add(bytes, s, e);
    }
  });
}

function headerNames(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, count: number): string[] {
  const decoder = new TextDecoder();
  const names = Array.from({ length: count }, (_, i) => decoder.decode(bytes.subarray(starts[i], ends[i])));
  // Spark names an unnamed header column by its position.
  const named = names.map((n, i) => (n === '' ? `_c${i}` : n));
  checkNames(named, 'the header');
  return named;
}

function columnNames(options: BaselineOptions, count: number): string[] {
  const columns = options.columns;
  if (columns === undefined) return Array.from({ length: count }, (_, i) => `_c${i}`);
  // A prepared split (label first, no header) with the feature names from data prep: the label column is unnamed.
  if (options.labelColumn === 'first' && columns.length === count - 1 && !columns.includes('_label')) {
    return ['_label', ...columns];
  }
  if (columns.length !== count) {
    throw new BaselineError(
      'InvalidInput',
      `columns names ${columns.length} columns but ${options.data} line 1 has ${count} fields`,
    );
  }
  return [...columns];
}

function checkNames(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (typeof name !== 'string' || name === '')
      throw new BaselineError('InvalidInput', `${what}[${i}] must be a non-empty string`);
    if (seen.has(name))
      throw new BaselineError('InvalidInput', `${what} names "${name}" twice: feature names must be unique`);
    seen.add(name);
  }
}

function labelIndexOf(names: readonly string[], label: string | null): number {
  if (label === null) return -1;
  if (label === 'first') return 0;
  const index = names.indexOf(label);
  if (index < 0) {
    const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? ', ...' : '');
    throw new BaselineError('InvalidInput', `the label column "${label}" is not among the columns (${shown})`);
  }
  return index;
}
