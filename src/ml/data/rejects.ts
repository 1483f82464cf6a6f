import * as path from 'node:path';
import { locateRecords } from './csv-records.js';
import type { RejectedRow, RejectReport } from './errors.js';
import type { InputOrigin } from './read-input.js';
import { ident, num, rowText, type Session, str } from './sql.js';

/**
 * Every rejected row lands in the table `rejects`, one row each: `stage` 0 is reading, 1 + i is steps[i], after
 * the steps comes the label. A CSV parse error carries DuckDB's record index (`record`); a value error carries the
 * row's `__row` (CSV: its ordinal among accepted records; JSON Lines: its line; Parquet: its row number).
 */
export async function createRejectsTable(db: Session): Promise<void> {
  await db.run(
    'CREATE TABLE rejects (stage INTEGER, file INTEGER, record BIGINT, "row" BIGINT, reason VARCHAR, text VARCHAR)',
  );
}

export interface CastPlan {
  from: string;
  /** The relation to create with the converted columns and without the rejected rows. */
  to: string;
  kind: 'TABLE' | 'VIEW';
  /** Column name to DuckDB type. */
  casts: Map<string, string>;
  stage: number;
  /** Joins a rejected row's values for its `text`. */
  delimiter: string;
}

/** Converts columns; a present value that does not convert rejects its row (a missing value stays missing). */
export async function castWithRejects(db: Session, plan: CastPlan): Promise<void> {
  const casts = [...plan.casts].map(([name, type]) => ({ c: ident(name), name, type }));
  const failing = ({ c, type }: { c: string; type: string }) =>
    `(${c} IS NOT NULL AND TRY_CAST(${c} AS ${type}) IS NULL)`;
  const bad = casts.length > 0 ? casts.map(failing).join(' OR ') : 'false';
  const reasons = casts.map(
    (x) =>
      `CASE WHEN ${failing(x)} THEN ${str(`"${x.name}" value "`)} || CAST(${x.c} AS VARCHAR) || ${str(`" is not ${x.type}`)} END`,
  );
  if (casts.length > 0) {
    const text = rowText(await db.columns(plan.from), plan.delimiter);
    await db.run(
      `INSERT INTO rejects SELECT ${plan.stage}, __file, NULL, __row, concat_ws('; ', ${reasons.join(', ')}), ${text}
       FROM ${plan.from} WHERE ${bad}`,
    );
  }
  const replace = casts.map(({ c, type }) => `TRY_CAST(${c} AS ${type}) AS ${c}`).join(', ');
  const select = replace === '' ? '*' : `* REPLACE (${replace})`;
  await db.run(`CREATE ${plan.kind} ${plan.to} AS SELECT ${select} FROM ${plan.from} WHERE NOT (${bad})`);
}

/** Rejects rows of `from` matching `condition`, with `reason` (a SQL expression) and the row's text. */
export async function rejectWhere(
  db: Session,
  from: string,
  options: { condition: string; reason: string; stage: number; delimiter: string },
): Promise<void> {
  const text = rowText(await db.columns(from), options.delimiter);
  await db.run(
    `INSERT INTO rejects SELECT ${options.stage}, __file, NULL, __row, ${options.reason}, ${text}
     FROM ${from} WHERE ${options.condition}`,
  );
}

/** The count of rejected rows and the first `examples` of them, with the lines a person finds in the files. */
export async function rejectReport(db: Session, origin: InputOrigin, examples = 5): Promise<RejectReport> {
  const [total] = await db.rows('SELECT count(*) AS n FROM rejects');
  const rows = await db.rows(
    `SELECT stage, file, record, "row", reason, text FROM rejects
     ORDER BY stage, file NULLS LAST, coalesce(record, "row"), reason LIMIT ${examples}`,
  );
  const lines = origin.format === 'csv' ? await csvLines(db, origin, rows) : undefined;
  const rejects = rows.map((r): RejectedRow => {
    const file = r.file === null ? null : (origin.files[num(r.file)] ?? null);
    let line: number | null = r.record === null ? (r.row === null ? null : num(r.row)) : num(r.record);
    if (lines && r.file !== null) {
      const found = lines.get(num(r.file));
      line =
        r.record !== null ? (found?.byRecord.get(num(r.record)) ?? line) : (found?.byOrdinal.get(line ?? 0) ?? null);
    }
    return { file, line, reason: String(r.reason), text: String(r.text) };
  });
  return { rejectedRows: num(total?.n ?? 0), rejects };
}

/** Maps the examples' CSV record indexes and row ordinals to physical lines, one scan per file involved. */
async function csvLines(db: Session, origin: InputOrigin, rows: Record<string, unknown>[]) {
  const byFile = new Map<number, { records: Set<number>; ordinals: Set<number> }>();
  for (const r of rows) {
    if (r.file === null) continue;
    const want = byFile.get(Number(r.file)) ?? { records: new Set<number>(), ordinals: new Set<number>() };
    if (r.record !== null) want.records.add(Number(r.record));
    else if (r.row !== null) want.ordinals.add(Number(r.row));
    byFile.set(Number(r.file), want);
  }
  const found = new Map<number, Awaited<ReturnType<typeof locateRecords>>>();
  for (const [file, want] of byFile) {
    const rejected =
      want.ordinals.size === 0
        ? []
        : await db.rows(
            `SELECT DISTINCT record FROM rejects WHERE stage = 0 AND file = ${file} AND record IS NOT NULL`,
          );
    const scanned = origin.readFiles[file];
    if (scanned === undefined) continue;
    found.set(
      file,
      await locateRecords(scanned, {
        headerRecords: origin.headerRecords,
        rejectedRecords: new Set(rejected.map((r) => num(r.record))),
        ...want,
      }),
    );
  }
  return found;
}

/** A human summary of a report: one line per example. */
export function describeRejects(report: RejectReport): string {
  return report.rejects
    .map((r) => {
      const where = `${r.file === null ? 'transformed row' : path.basename(r.file)}${r.line === null ? '' : ` line ${r.line}`}`;
      const text = r.text.length > 80 ? `${r.text.slice(0, 77)}...` : r.text;
      return `  ${where}: ${r.reason}: ${text}`;
    })
    .join('\n');
}
