import { describeStore } from './contract.js';
import { openPostgresStore, openSqliteStore } from './index.js';
import { dropSchema, freshSchema, PG_URL, tempSqlitePath } from './test-databases.js';

describeStore('sqlite', async () => {
  const { path, remove } = await tempSqlitePath();
  const store = await openSqliteStore(path);
  return {
    store,
    reopen: () => openSqliteStore(path),
    cleanup: async () => {
      await store.close();
      await remove();
    },
  };
});

describeStore('postgres', async () => {
  const schema = freshSchema();
  const store = await openPostgresStore(PG_URL, { schema });
  return {
    store,
    reopen: () => openPostgresStore(PG_URL, { schema }),
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
});
