import { type DuckDBConnection, DuckDBInstance, type Json } from '@duckdb/node-api';
import { PrepError, PrepErrors } from './errors.js';
import type { ColumnType, Scalar } from './spec.js';

/** A column of a relation as DuckDB describes it (`type` is DuckDB's name, e.g. "DOUBLE"). */
export interface Column {
  name: string;
  type: string;
}

/** One in-memory DuckDB database for one prep run; every call fails promptly once `signal` aborts. */
export interface Session {
  run(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, Json>[]>;
  /** The columns of a table or view, internal `__` columns left out. */
  columns(relation: string): Promise<Column[]>;
  close(): void;
}

/** Internal columns every relation carries: input file index, row or line in it, split hash. */
export const internalColumns = ['__file', '__row', '__key'] as const;

export async function openSession(options: { tempDirectory: string; signal?: AbortSignal }): Promise<Session> {
  const { signal } = options;
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: options.tempDirectory });
  const connection: DuckDBConnection = await instance.connect();
  const onAbort = () => connection.interrupt();
  signal?.addEventListener('abort', onAbort);
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw new PrepError(PrepErrors.Aborted, 'data prep aborted');
    try {
      return await work();
    } catch (err) {
      if (signal?.aborted) throw new PrepError(PrepErrors.Aborted, 'data prep aborted');
      throw err;
    }
  };
  const rows = (sql: string) => guarded(async () => (await connection.runAndReadAll(sql)).getRowObjectsJson());
  return {
    run: (sql) => guarded(async () => void (await connection.run(sql))),
    rows,
    async columns(relation) {
      const described = await rows(`DESCRIBE ${relation}`);
      return described
        .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
        .filter((c) => !c.name.startsWith('__'));
    },
    close() {
      signal?.removeEventListener('abort', onAbort);
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal. */
export function str(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** DuckDB's name of a spec column type. */
export function sqlType(type: ColumnType): string {
  return type.toUpperCase();
}

/** `value` as a constant of the column's DuckDB type, or null when it is not a value of that type. */
export async function typedConstant(db: Session, value: Scalar, type: string): Promise<string | null> {
  const [row] = await db.rows(`SELECT TRY_CAST(${str(String(value))} AS ${type}) IS NULL AS bad`);
  return row?.bad === false ? `CAST(${str(String(value))} AS ${type})` : null;
}

export const numericTypes = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'FLOAT',
  'DOUBLE',
]);

/** Numbers a CSV writer prints plainly: integers, floats and decimals. */
export function isNumericType(type: string): boolean {
  return numericTypes.has(type) || type.startsWith('DECIMAL');
}

/** The values of a row joined by `delimiter`, missing values empty: how a rejected row is shown. */
export function rowText(columns: Column[], delimiter: string): string {
  if (columns.length === 0) return "''";
  const parts = columns.map((c) => `COALESCE(CAST(${ident(c.name)} AS VARCHAR), '')`);
  return `concat_ws(${str(delimiter)}, ${parts.join(', ')})`;
}

/** A JSON cell as a number (DuckDB returns 64-bit integers as strings). */
export function num(value: Json | undefined): number {
  return Number(value ?? Number.NaN);
}
