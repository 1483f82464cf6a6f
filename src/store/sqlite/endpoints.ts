import Database from 'better-sqlite3';
import type { EndpointRecord, EndpointStore } from '../endpoints-port.js';
import { ENDPOINT_COLUMNS, type EndpointRow, savedValues, toEndpoint } from '../endpoints-rows.js';
import { AlreadyExists, NotFound } from '../port.js';

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, string, string | null, string | null, number, number]>(
      `INSERT INTO endpoints (${ENDPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    get: db.prepare<[string], EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE name = ?`),
    list: db.prepare<[], EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM endpoints ORDER BY name`),
    save: db.prepare<[string, string, string | null, string | null, number, string]>(
      'UPDATE endpoints SET status = ?, config = ?, pending_config = ?, failure_reason = ?, updated_at = ? WHERE name = ?',
    ),
    delete: db.prepare<[string]>('DELETE FROM endpoints WHERE name = ?'),
  };
}

/** The endpoints part of the SQLite store (`store.endpoints`). */
export class SqliteEndpoints implements EndpointStore {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.s = prepare(db);
  }

  async createEndpoint(r: EndpointRecord): Promise<void> {
    try {
      this.s.insert.run(r.name, r.status, r.config, r.pendingConfig, r.failureReason, r.createdAt, r.updatedAt);
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new AlreadyExists(`endpoint "${r.name}"`);
      }
      throw error;
    }
  }

  async getEndpoint(name: string): Promise<EndpointRecord | undefined> {
    const row = this.s.get.get(name);
    return row && toEndpoint(row);
  }

  async listEndpoints(): Promise<EndpointRecord[]> {
    return this.s.list.all().map(toEndpoint);
  }

  async saveEndpoint(record: EndpointRecord): Promise<void> {
    if (this.s.save.run(...savedValues(record)).changes === 0) throw new NotFound(`endpoint "${record.name}"`);
  }

  async deleteEndpoint(name: string): Promise<void> {
    if (this.s.delete.run(name).changes === 0) throw new NotFound(`endpoint "${name}"`);
  }
}
