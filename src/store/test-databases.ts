/** Test-only: temporary SQLite files and PostgreSQL schemas for the store's own tests. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** The shared test server; the PostgreSQL tests fail, not skip, when it is unreachable. */
export const PG_URL = process.env.FLYWHEEL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A path for a new SQLite database in a new folder under the OS temp folder, and how to remove it. */
export async function tempSqlitePath(): Promise<{ path: string; remove: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'flywheel-store-'));
  return { path: join(folder, 'flywheel.db'), remove: () => rm(folder, { recursive: true, force: true }) };
}

/** A schema name no other test uses. */
export const freshSchema = (): string => `fw_test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

/** Runs `work` on a plain connection to the test server. */
export async function withPg<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const dropSchema = (schema: string): Promise<unknown> =>
  withPg((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
