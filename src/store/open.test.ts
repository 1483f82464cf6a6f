import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './index.js';
import { dropSchema, freshSchema, PG_URL, tempSqlitePath, withPg } from './test-databases.js';

describe('openStore', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const opened = async (url: string): Promise<Store> => {
    const store = await openStore(url);
    cleanups.push(() => store.close());
    return store;
  };

  it('opens a SQLite file for a plain path, a sqlite: path and a sqlite:// URL', async () => {
    const { path, remove } = await tempSqlitePath();
    cleanups.push(remove);
    const plain = await opened(path);
    await plain.createStateMachine('m', '{}', 1);
    for (const url of [`sqlite:${path}`, `sqlite://${path}`]) {
      const store = await opened(url);
      expect(store.kind).toBe('sqlite');
      expect(await store.getStateMachine('m')).toMatchObject({ version: 1 });
    }
  });

  it('creates the folder of a new SQLite file', async () => {
    const { path, remove } = await tempSqlitePath();
    cleanups.push(remove);
    const store = await opened(path.replace(/flywheel\.db$/, 'nested/deeper/flywheel.db'));
    expect(await store.listStateMachines()).toEqual([]);
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs', async () => {
    const schema = freshSchema();
    // openStore has no schema option; the URL's own options pick the schema, which must exist then.
    await withPg((c) => c.query(`CREATE SCHEMA ${schema}`));
    cleanups.push(() => dropSchema(schema));
    const query = `?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const first = await opened(`${PG_URL}${query}`);
    expect(first.kind).toBe('postgres');
    await first.createStateMachine('m', '{}', 1);
    const second = await opened(`${PG_URL.replace(/^postgres:/, 'postgresql:')}${query}`);
    expect(await second.getStateMachine('m')).toMatchObject({ version: 1 });
  });
});
