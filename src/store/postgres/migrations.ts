import type { Pool } from 'pg';
import { checkMigrations, migrationSql, migrations } from '../migrations.js';

/**
 * Brings a PostgreSQL schema up to the newest version: `schema` (created if missing) or, without one, the first
 * schema of the server's search_path. Every transaction here first takes a transaction-scoped advisory lock named
 * after the schema, so processes opening the same database at once apply each migration exactly once; the others
 * wait, then find it recorded. Running it again is a no-op.
 */
export async function migratePostgres(
  pool: Pool,
  schema: string | undefined,
  where: string,
  now: () => number,
): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const lock = { text: 'SELECT pg_advisory_xact_lock(hashtext($1))', values: [`flywheel.migrations.${schema ?? ''}`] };
  const inTransaction = async (work: () => Promise<void>): Promise<void> => {
    await client.query('BEGIN');
    try {
      await client.query(lock);
      await work();
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  };

  try {
    let current = 0;
    await inTransaction(async () => {
      // Look before creating: CREATE ... IF NOT EXISTS still needs the CREATE privilege a deployed role may lack.
      if (schema !== undefined) {
        const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
        if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
      }
      const table = await client.query<{ present: boolean }>(
        "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
      );
      if (table.rows[0]?.present !== true) {
        await client.query(
          'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
      }
      const newest = await client.query<{ version: number }>(
        'SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations',
      );
      current = newest.rows[0]?.version ?? 0;
    });
    checkMigrations(current, where);

    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await inTransaction(async () => {
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
        if (done.rowCount !== 0) return;
        await client.query(migrationSql(migration, 'postgres'));
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          now(),
        ]);
      });
    }
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than pool it.
    client.release(broken);
  }
}
