import type { Json } from '@duckdb/node-api';
import { ident, num, type Session } from './sql.js';

/** Rows read to infer column types. */
export const sampleRows = 20_480;

/** A column is numeric (or boolean) when at least this share of its non-missing sampled values are. */
const typedShare = 0.9;

/**
 * Infers a DuckDB type for each text column of `sample` (at most `sampleRows` rows). A column is BIGINT when at
 * least 90% of its values are numbers and all of those are integers, DOUBLE when they are numbers but not all
 * integers, BOOLEAN when 90% are true/false, else VARCHAR. The remaining values then fail to convert and their rows
 * are rejected: one stray "n/a" in a numeric column is a bad row, not a reason to read the column as text.
 */
export async function inferTypes(db: Session, sample: string, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const parts = names.flatMap((name, i) => {
    const c = ident(name);
    return [
      `count(${c}) AS n${i}`,
      `count(TRY_CAST(${c} AS DOUBLE)) AS d${i}`,
      `count(CASE WHEN regexp_full_match(trim(${c}), '[-+]?[0-9]+') AND TRY_CAST(${c} AS BIGINT) IS NOT NULL THEN 1 END) AS i${i}`,
      `count(CASE WHEN lower(trim(${c})) IN ('true', 'false') THEN 1 END) AS b${i}`,
    ];
  });
  const [counts = {}] = await db.rows(`SELECT ${parts.join(', ')} FROM ${sample}`);
  return new Map(names.map((name, i) => [name, typeOf(counts, i)]));
}

function typeOf(counts: Record<string, Json>, i: number): string {
  const values = num(counts[`n${i}`]);
  const numbers = num(counts[`d${i}`]);
  if (values === 0) return 'VARCHAR';
  if (numbers >= typedShare * values) return num(counts[`i${i}`]) === numbers ? 'BIGINT' : 'DOUBLE';
  if (num(counts[`b${i}`]) >= typedShare * values) return 'BOOLEAN';
  return 'VARCHAR';
}
