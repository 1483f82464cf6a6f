import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PrepError, PrepErrors } from './errors.js';
import type { PrepSpec } from './spec.js';
import { ident, type Session } from './sql.js';

/**
 * Runs the spec's SQL transform, if any, over the table `input`, and adds each row's split key `__key`.
 * The key hashes (seed, file, row): a row keeps its place in the shuffle whatever else is in the data. When the
 * transform drops `__file` or `__row` (an explicit column list does; `SELECT *` keeps them), the key hashes the
 * row's values instead, which is as deterministic, and rejects after it cannot name a line.
 * @returns the relation the steps start from
 */
export async function transformInput(db: Session, spec: PrepSpec): Promise<string> {
  let from = 'input';
  if (spec.sql !== undefined) {
    const query = await readSql(spec, spec.sql);
    try {
      await db.run(`CREATE TABLE transformed AS (\n${query}\n)`);
    } catch (err) {
      if (err instanceof PrepError) throw err;
      throw new PrepError(
        PrepErrors.InvalidSpec,
        `${path.basename(spec.file)}: sql (${spec.sql}) failed: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    from = 'transformed';
  }
  const described = await db.rows(`DESCRIBE ${from}`);
  const names = described.map((r) => String(r.column_name));
  const internal = names.filter((n) => n.startsWith('__'));
  const data = names.filter((n) => !n.startsWith('__'));
  const exclude = internal.length > 0 ? ` EXCLUDE (${internal.map(ident).join(', ')})` : '';
  const seed = `${spec.split.seed}::BIGINT`;
  if (names.includes('__file') && names.includes('__row')) {
    await db.run(
      `CREATE VIEW keyed AS SELECT __file::INTEGER AS __file, __row::BIGINT AS __row,
       hash(${seed}, __file::INTEGER, __row::BIGINT) AS __key, *${exclude} FROM ${from}`,
    );
  } else {
    const values = data.map((n) => `${ident(n)} := ${ident(n)}`).join(', ');
    await db.run(
      `CREATE VIEW keyed AS SELECT NULL::INTEGER AS __file, NULL::BIGINT AS __row,
       hash(${seed}, struct_pack(${values})) AS __key, *${exclude} FROM ${from}`,
    );
  }
  return 'keyed';
}

/** The transform file's one SELECT, without a trailing semicolon. */
async function readSql(spec: PrepSpec, file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PrepError(
      PrepErrors.InvalidSpec,
      `${path.basename(spec.file)}: sql: cannot read ${file} (${(err as Error).message})`,
    );
  }
  const query = text.trim().replace(/;\s*$/, '');
  if (query === '') throw new PrepError(PrepErrors.InvalidSpec, `${path.basename(spec.file)}: sql: ${file} is empty`);
  return query;
}
