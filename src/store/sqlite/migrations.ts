import type Database from 'better-sqlite3';
import { checkMigrations, latestVersion, migrationSql, migrations } from '../migrations.js';

/**
 * Brings a SQLite database up to the newest schema. Each migration runs in its own IMMEDIATE transaction, which takes
 * the write lock before reading `schema_migrations`, so processes opening the same file at once apply each
 * migration exactly once (the others wait on busy_timeout, then see it applied). Running it again is a no-op.
 */
export function migrateSqlite(db: Database.Database, path: string, now: () => number): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const newest = db.prepare<[], number | null>('SELECT max(version) FROM schema_migrations').pluck();
  const isApplied = db.prepare<[number], number>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );

  const current = newest.get() ?? 0;
  checkMigrations(current, path);
  if (current === latestVersion) return;

  for (const migration of migrations) {
    db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return;
      db.exec(migrationSql(migration, 'sqlite'));
      record.run(migration.version, migration.name, now());
    }).immediate();
  }
}
