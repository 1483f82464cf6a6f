import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import type { OutputFormat, PrepSpec } from './spec.js';
import { type Column, ident, num, type Session, str } from './sql.js';

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
 * Splits `prepared` and writes each split in each format into `dir`, label first. Rows are ordered by their key
 * within each label class (all rows as one class without stratify); the first round(n * train) go to train, the
 * next round(n * (train + validation)) - round(n * train) to validation, the rest to test. Each file lists its rows
 * in key order, which shuffles them the same way every run.
 */
export async function writeSplits(
  db: Session,
  spec: PrepSpec,
  features: Column[],
  dir: string,
): Promise<Record<SplitName, SplitFile[]>> {
  const { train, validation } = spec.split.ratios;
  const partition = spec.split.stratify ? 'PARTITION BY __label' : '';
  const order = 'ORDER BY __key, __file, __row';
  await db.run(
    `CREATE TABLE assignment AS
     SELECT rid, CASE WHEN pos < round(n * ${train}) THEN 0 WHEN pos < round(n * ${train + validation}) THEN 1 ELSE 2 END AS split
     FROM (SELECT rowid AS rid, row_number() OVER (${partition} ${order}) - 1 AS pos, count(*) OVER (${partition}) AS n
           FROM prepared)`,
  );
  const columns = [`__label AS ${ident(spec.label.column)}`, ...features.map((f) => ident(f.name))].join(', ');
  // CSV rows are built as one text each before sorting: DuckDB then sorts one narrow column instead of every
  // feature, and the writer need not check values for quoting (features are numbers). concat() writes a missing
  // value as an empty field, which XGBoost-style readers take as missing.
  const line = `concat(__label${features.map((f) => `, ',', ${ident(f.name)}`).join('')})`;
  const result = { train: [], validation: [], test: [] } as Record<SplitName, SplitFile[]>;
  for (const [index, split] of splitNames.entries()) {
    const rows = `prepared WHERE rowid IN (SELECT rid FROM assignment WHERE split = ${index})`;
    for (const format of spec.output.formats) {
      const file = path.join(dir, `${split}.${format}`);
      const query =
        format === 'csv'
          ? `COPY (SELECT line FROM (SELECT __key, __file, __row, ${line} AS line FROM ${rows}) ${order})
             TO ${str(file)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')`
          : `COPY (SELECT ${columns} FROM ${rows} ${order}) TO ${str(file)} (FORMAT parquet)`;
      const [written] = await db.rows(query);
      result[split].push({ path: file, format, rows: num(written?.Count ?? 0), sha256: await sha256(file) });
    }
  }
  return result;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
