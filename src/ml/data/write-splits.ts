import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { PrepError, PrepErrors } from './errors.js';
import type { OutputFormat, PrepSpec } from './spec.js';
import { type Column, ident, num, type Session, str } from './sql.js';
import type { OneHotBlock } from './steps.js';

export const splitNames = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof splitNames)[number];

/** One written split file. */
export interface SplitFile {
  path: string;
  format: OutputFormat;
  rows: number;
  /** Hex SHA-256 of the file's bytes: the same input, spec and seed give the same digest. */
  sha256: string;
}

/**
 * Splits the view `prepared` and writes each split in each format into `dir`, label first. Within each label class
 * (all rows as one class without stratify) rows are ranked by key; the first round(n * train) go to train, up to
 * round(n * (train + validation)) to validation, the rest to test. Each file lists its rows in key order, which
 * shuffles them the same way every run.
 */
export async function writeSplits(
  db: Session,
  spec: PrepSpec,
  features: Column[],
  blocks: OneHotBlock[],
  dir: string,
): Promise<Record<SplitName, SplitFile[]>> {
  const split = await splitExpression(db, spec);
  const order = 'ORDER BY __key, __file, __row';
  const columns = [`__label AS ${ident(spec.label.column)}`, ...features.map((f) => ident(f.name))].join(', ');
  // CSV rows are built as one text each before sorting, so DuckDB sorts one narrow column rather than every
  // feature, and the writer need not check values for quoting (features are numbers). concat() writes a missing
  // value as an empty field, which XGBoost-style readers take as missing.
  const line = `concat(${['__label', ...csvFields(features, blocks)].join(", ',', ")})`;
  // Parquet needs the wide rows in key order: sorting them once into a table (read back in insertion order)
  // beats sorting each split, and CSV then needs no sort either. CSV alone skips the table.
  const sorted = spec.output.formats.includes('parquet');
  if (sorted) await db.run(`CREATE TABLE sorted_rows AS SELECT *, ${split} AS __split FROM prepared ${order}`);
  const source = (index: number) =>
    sorted
      ? { rows: `sorted_rows WHERE __split = ${index}`, order: '' }
      : { rows: `prepared WHERE (${split}) = ${index}`, order };
  const result = { train: [], validation: [], test: [] } as Record<SplitName, SplitFile[]>;
  const hashing: Promise<void>[] = []; // each file is hashed while DuckDB writes the next
  try {
    for (const [index, name] of splitNames.entries()) {
      const { rows, order: rowOrder } = source(index);
      for (const format of spec.output.formats) {
        const file = path.join(dir, `${name}.${format}`);
        const query =
          format === 'csv'
            ? `COPY (SELECT line FROM (SELECT __key, __file, __row, ${line} AS line FROM ${rows}) ${rowOrder})
               TO ${str(file)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')`
            : `COPY (SELECT ${columns} FROM ${rows}) TO ${str(file)} (FORMAT parquet)`;
        const [written] = await db.rows(query);
        const entry: SplitFile = { path: file, format, rows: num(written?.Count ?? 0), sha256: '' };
        result[name].push(entry);
        hashing.push(
          sha256(file).then((digest) => {
            entry.sha256 = digest;
          }),
        );
      }
    }
  } finally {
    await Promise.allSettled(hashing);
  }
  await Promise.all(hashing);
  return result;
}

/**
 * The split of a row (0 train, 1 validation, 2 test) as SQL over `__label` and `__key`: rows of a class below the
 * key ranked round(n * train) are train, and so on. Thresholds on the key rather than a stored rank let every
 * writer compute its split from the view alone.
 */
async function splitExpression(db: Session, spec: PrepSpec): Promise<string> {
  const { train, validation } = spec.split.ratios;
  const partition = spec.split.stratify ? 'PARTITION BY __label' : '';
  await db.run('CREATE TABLE split_keys AS SELECT __label, __key FROM prepared');
  const [count] = await db.rows('SELECT count(*) AS n FROM split_keys');
  if (num(count?.n) === 0) {
    throw new PrepError(
      PrepErrors.BadInput,
      `${path.basename(spec.file)}: no rows are left to split: the input is empty, or every row was rejected or filtered out`,
    );
  }
  const cuts = await db.rows(
    `SELECT __label, pos = round(n * ${train}) AS is_train, pos = round(n * ${train + validation}) AS is_validation,
            CAST(__key AS VARCHAR) AS k
     FROM (SELECT __label, __key, row_number() OVER (${partition} ORDER BY __key) - 1 AS pos,
                  count(*) OVER (${partition}) AS n FROM split_keys)
     WHERE pos = round(n * ${train}) OR pos = round(n * ${train + validation})`,
  );
  await db.run('DROP TABLE split_keys');
  const classes = spec.split.stratify ? [0, 1] : [null];
  const cases = classes.map((label) => {
    const mine = cuts.filter((c) => label === null || num(c.__label) === label);
    const trainCut = mine.find((c) => c.is_train === true)?.k;
    const validationCut = mine.find((c) => c.is_validation === true)?.k;
    const below = (k: unknown) => (k === undefined ? 'true' : `__key < ${String(k)}::UBIGINT`);
    const expr = `CASE WHEN ${below(trainCut)} THEN 0 WHEN ${below(validationCut)} THEN 1 ELSE 2 END`;
    return label === null ? expr : `WHEN __label = ${label} THEN ${expr}`;
  });
  return spec.split.stratify ? `CASE ${cases.join(' ')} END` : (cases[0] ?? '0');
}

/** The CSV fields after the label: a one-hot block still whole and in order becomes one lookup of its text. */
function csvFields(features: Column[], blocks: OneHotBlock[]): string[] {
  const fields: string[] = [];
  for (let i = 0; i < features.length; ) {
    const block = blocks.find((b) => b.columns[0] === features[i]?.name);
    const whole = block?.columns.every((c, j) => features[i + j]?.name === c && features[i + j]?.type === 'INTEGER');
    if (block && whole) {
      const k = block.columns.length;
      const texts = Array.from({ length: k + 1 }, (_, hot) =>
        str(Array.from({ length: k }, (_, j) => (j === hot ? 1 : 0)).join(',')),
      );
      fields.push(`[${texts.join(', ')}][${block.index}]`);
      i += k;
    } else {
      fields.push(ident(features[i]?.name ?? ''));
      i += 1;
    }
  }
  return fields;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
