import type { Store } from './port.js';
import { openPostgresStore } from './postgres/store.js';
import { openSqliteStore } from './sqlite/store.js';

/**
 * Opens the store a URL names: `postgres://` or `postgresql://` is PostgreSQL; anything else is a SQLite file path,
 * optionally prefixed with `sqlite:` or `sqlite://` (so `sqlite:///var/lib/fw.db` is the absolute path). A PostgreSQL
 * URL may name a schema with `?schema=name` (created if missing).
 * @example openStore('sqlite:.flywheel/flywheel.db'); openStore('postgres://flywheel@db:5432/flywheel')
 */
export function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // `?schema=name` keeps several Flywheel installations (or test runs) apart in one database.
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema');
    if (schema === null) return openPostgresStore(url);
    parsed.searchParams.delete('schema');
    return openPostgresStore(parsed.toString(), { schema });
  }
  return openSqliteStore(url.replace(/^sqlite:(\/\/)?/i, ''));
}
