import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { readFirstRecord, unwrapQuotedLines } from './csv-records.js';
import { PrepError, PrepErrors } from './errors.js';
import { inferTypes, sampleRows } from './infer-types.js';
import { readJsonLines, readParquet } from './read-typed.js';
import type { PrepSpec } from './spec.js';
import { ident, num, type Session, sqlType, str } from './sql.js';

/** Where the rows of `input` came from: enough to turn a rejected row back into a file and a line. */
export interface InputOrigin {
  format: PrepSpec['input']['format'];
  /** The input files, by `__file` index. */
  files: string[];
  /** The files DuckDB read (CSV with quotedLines: unwrapped copies, line for line). */
  readFiles: string[];
  /** CSV: records before the data (1 with a header). */
  headerRecords: number;
  /** Joins a rejected row's values for display. */
  delimiter: string;
}

/**
 * Loads the input into the table `input`: `__file` (index into `files`), `__row` (see rejects.ts), then the data
 * columns. Rows that do not parse, or hold a value of the wrong type, go to `rejects` (stage 0) instead.
 */
export async function readInput(db: Session, spec: PrepSpec, workDir: string): Promise<InputOrigin> {
  const files = await resolveFiles(db, spec);
  const { input } = spec;
  const declared = new Map(Object.entries(input.types).map(([name, type]) => [name, sqlType(type)]));
  const origin: InputOrigin = { format: input.format, files, readFiles: files, headerRecords: 0, delimiter: ',' };
  switch (input.format) {
    case 'csv':
      return readCsv(db, spec, origin, declared, workDir);
    case 'jsonl':
      await readJsonLines(db, files, declared, (names) => checkDeclared(spec, declared, names));
      return origin;
    case 'parquet':
      await readParquet(db, files, declared, (names) => checkDeclared(spec, declared, names));
      return origin;
  }
}

async function readCsv(
  db: Session,
  spec: PrepSpec,
  origin: InputOrigin,
  declared: Map<string, string>,
  workDir: string,
): Promise<InputOrigin> {
  const { input } = spec;
  const readFiles = input.quotedLines ? await unwrapAll(origin.files, workDir) : origin.files;
  const first = await readFirstRecord(readFiles[0] ?? '', input.delimiter);
  if (first.length === 0) throw new PrepError(PrepErrors.BadInput, `${origin.files[0]}: the file is empty`);
  if (input.columns && input.columns.length !== first.length) {
    throw new PrepError(
      PrepErrors.InvalidSpec,
      `${path.basename(spec.file)}: input.columns names ${input.columns.length} columns, but the first line of ` +
        `${origin.files[0]} has ${first.length} fields (delimiter ${JSON.stringify(input.delimiter)})`,
    );
  }
  const names = input.columns ?? (input.header ? first : first.map((_, i) => `column${i}`));
  checkNames(spec, names, origin.files[0] ?? '');
  checkDeclared(spec, declared, names);
  const dialect = [
    `header = ${input.header}`,
    `delim = ${str(input.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'auto_detect = false',
    `nullstr = [${input.nullValues.map(str).join(', ')}]`,
  ].join(', ');
  const columnsArg = (types: Map<string, string>) =>
    `columns = {${names.map((n) => `${str(n)}: ${str(types.get(n) ?? 'VARCHAR')}`).join(', ')}}`;
  await db.run(
    `CREATE TEMP TABLE csv_sample AS SELECT * FROM read_csv(${str(readFiles[0] ?? '')}, ${dialect},
     ${columnsArg(new Map())}, ignore_errors = true) LIMIT ${sampleRows}`,
  );
  const inferred = await inferTypes(
    db,
    'csv_sample',
    names.filter((n) => !declared.has(n)),
  );
  const types = new Map(names.map((n) => [n, declared.get(n) ?? inferred.get(n) ?? 'VARCHAR']));
  await db.run('DROP TABLE csv_sample');
  const columnDefs = names.map((n) => `${ident(n)} ${types.get(n)}`).join(', ');
  await db.run(`CREATE TABLE csv_rows (__file INTEGER, ${columnDefs})`);
  // A row's ordinal in its file is its rowid less the rows before the file: cheaper than row_number() while
  // reading, and exact because DuckDB keeps insertion order.
  const starts: number[] = [];
  for (const [i, file] of readFiles.entries()) {
    const [count] = await db.rows('SELECT count(*) AS n FROM csv_rows');
    starts.push(num(count?.n));
    await db.run(
      `INSERT INTO csv_rows SELECT ${i}, * FROM read_csv(${str(file)}, ${dialect},
       ${columnsArg(types)}, store_rejects = true, rejects_table = 'csv_errors', rejects_scan = 'csv_scans')`,
    );
  }
  const start = starts.length === 1 ? '0' : `[${starts.join(', ')}][__file + 1]`;
  await db.run(`CREATE VIEW input AS SELECT __file, rowid - ${start} + 1 AS __row, * EXCLUDE (__file) FROM csv_rows`);
  const fileIndex = readFiles.map((f, i) => `(${str(f)}, ${i})`).join(', ');
  await db.run(
    `INSERT INTO rejects
     SELECT 0, f.idx, e.line, NULL, first(e.error_type || ': ' || e.error_message ORDER BY e.byte_position),
            first(e.csv_line ORDER BY e.byte_position)
     FROM csv_errors e JOIN csv_scans s USING (scan_id, file_id) JOIN (VALUES ${fileIndex}) f(path, idx)
       ON s.file_path = f.path
     GROUP BY f.idx, e.line`,
  );
  return { ...origin, readFiles, headerRecords: input.header ? 1 : 0, delimiter: input.delimiter };
}

/** The input files: one path, or a glob's matches in sorted order. */
async function resolveFiles(db: Session, spec: PrepSpec): Promise<string[]> {
  const pattern = spec.input.path;
  if (/[*?[{]/.test(pattern)) {
    const matches = await db.rows(`SELECT file FROM glob(${str(pattern)}) ORDER BY file`);
    if (matches.length === 0) {
      throw new PrepError(PrepErrors.BadInput, `${path.basename(spec.file)}: input.path matched no file (${pattern})`);
    }
    return matches.map((m) => String(m.file));
  }
  const info = await stat(pattern).catch(() => undefined);
  if (!info?.isFile()) {
    throw new PrepError(PrepErrors.BadInput, `${path.basename(spec.file)}: input.path is not a file (${pattern})`);
  }
  return [pattern];
}

async function unwrapAll(files: string[], workDir: string): Promise<string[]> {
  const unwrapped: string[] = [];
  for (const [i, file] of files.entries()) {
    const to = path.join(workDir, `input-${i}.csv`);
    await unwrapQuotedLines(file, to);
    unwrapped.push(to);
  }
  return unwrapped;
}

function checkNames(spec: PrepSpec, names: string[], file: string): void {
  const where = spec.input.columns ? `${path.basename(spec.file)}: input.columns` : `the header of ${file}`;
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) {
    throw new PrepError(
      PrepErrors.InvalidSpec,
      `${where} repeats a column name (${repeated.join(', ')}); name them in input.columns`,
    );
  }
  const internal = names.filter((n) => n.startsWith('__') || n === '');
  if (internal.length > 0) {
    throw new PrepError(
      PrepErrors.InvalidSpec,
      `${where} has empty or reserved names (${internal.join(', ')}); names must not start with "__"`,
    );
  }
}

/** Every column named in input.types must exist. */
function checkDeclared(spec: PrepSpec, declared: Map<string, string>, names: string[]): void {
  const unknown = [...declared.keys()].filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new PrepError(
      PrepErrors.InvalidSpec,
      `${path.basename(spec.file)}: input.types names columns the input does not have (${unknown.join(', ')}); ` +
        `the columns are: ${names.join(', ')}`,
    );
  }
}
