import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore } from './index.js';
import { latestVersion, migrations } from './migrations.js';
import { dropSchema, freshSchema, PG_URL, tempSqlitePath, withPg } from './test-databases.js';

const TABLES = [
  'endpoints',
  'events',
  'executions',
  'experiments',
  'metric_summaries',
  'metrics',
  'model_aliases',
  'model_events',
  'model_groups',
  'model_versions',
  'run_artifacts',
  'run_params',
  'run_tags',
  'runs',
  'schema_migrations',
  'signals',
  'state_machines',
];

describe('SQLite migrations', () => {
  it('records each migration once however often the file is opened, and leaves WAL on', async () => {
    const { path, remove } = await tempSqlitePath();
    try {
      const stores = [await openSqliteStore(path), await openSqliteStore(path)];
      stores.push(...(await Promise.all([openSqliteStore(path), openSqliteStore(path)])));
      await Promise.all(stores.map((s) => s.close()));
      const db = new Database(path, { readonly: true });
      const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      const mode = db.pragma('journal_mode', { simple: true });
      db.close();
      expect(applied).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
      expect(tables.filter((t) => TABLES.includes(t as string))).toEqual(TABLES);
      expect(mode).toBe('wal');
    } finally {
      await remove();
    }
  });

  it('refuses a database migrated by a newer Flywheel', async () => {
    const { path, remove } = await tempSqlitePath();
    try {
      await (await openSqliteStore(path)).close();
      const db = new Database(path);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'future', 0);
      db.close();
      await expect(openSqliteStore(path)).rejects.toThrow(/at version 999 but this Flywheel knows versions up to/);
    } finally {
      await remove();
    }
  });

  it('opens a private in-memory database', async () => {
    const store = await openSqliteStore(':memory:');
    await store.createStateMachine('m', '{}', 1);
    expect(await store.getStateMachine('m')).toMatchObject({ version: 1 });
    await store.close();
  });
});

describe('PostgreSQL migrations', () => {
  it('applies each migration once when several processes open a new schema at once', async () => {
    const schema = freshSchema();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(PG_URL, { schema })));
      await Promise.all(stores.map((s) => s.close()));
      await (await openPostgresStore(PG_URL, { schema })).close();
      const { applied, tables } = await withPg(async (client) => ({
        applied: (await client.query(`SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`)).rows,
        tables: (
          await client.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [
            schema,
          ])
        ).rows.map((r: { table_name: string }) => r.table_name),
      }));
      expect(applied).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
      expect(applied).toHaveLength(latestVersion);
      expect(tables).toEqual(TABLES);
    } finally {
      await dropSchema(schema);
    }
  });

  it('refuses a schema migrated by a newer Flywheel', async () => {
    const schema = freshSchema();
    try {
      await (await openPostgresStore(PG_URL, { schema })).close();
      await withPg((c) => c.query(`INSERT INTO ${schema}.schema_migrations VALUES (999, 'future', 0)`));
      await expect(openPostgresStore(PG_URL, { schema })).rejects.toThrow(/at version 999/);
    } finally {
      await dropSchema(schema);
    }
  });

  it('refuses a schema name that is not a plain lower-case identifier', async () => {
    await expect(openPostgresStore(PG_URL, { schema: 'x; DROP TABLE y' })).rejects.toThrow(/schema must be/);
    await expect(openPostgresStore(PG_URL, { schema: 'Mixed' })).rejects.toThrow(/schema must be/);
  });

  it('fails with the server named (password hidden) when it is unreachable', async () => {
    const url = 'postgres://flywheel:secret@127.0.0.1:1/flywheel';
    const error = await openPostgresStore(url, { schema: freshSchema() }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/127\.0\.0\.1:1.*cannot open the store/);
    expect((error as Error).message).not.toContain('secret');
  });
});
