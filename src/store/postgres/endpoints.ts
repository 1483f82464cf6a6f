import { DatabaseError, type Pool } from 'pg';
import type { EndpointRecord, EndpointStore } from '../endpoints-port.js';
import { ENDPOINT_COLUMNS, type EndpointRow, savedValues, toEndpoint } from '../endpoints-rows.js';
import { AlreadyExists, NotFound } from '../port.js';
import { bind, named } from './sql.js';

const sql = named(
  {
    insert: `INSERT INTO endpoints (${ENDPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    get: `SELECT ${ENDPOINT_COLUMNS} FROM endpoints WHERE name = $1`,
    list: `SELECT ${ENDPOINT_COLUMNS} FROM endpoints ORDER BY name`,
    save: 'UPDATE endpoints SET status = $1, config = $2, pending_config = $3, failure_reason = $4, updated_at = $5 WHERE name = $6',
    delete: 'DELETE FROM endpoints WHERE name = $1',
  },
  'flywheel.endpoints',
);

/** The endpoints part of the PostgreSQL store (`store.endpoints`). */
export class PostgresEndpoints implements EndpointStore {
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  async createEndpoint(r: EndpointRecord): Promise<void> {
    const values = [r.name, r.status, r.config, r.pendingConfig, r.failureReason, r.createdAt, r.updatedAt];
    try {
      await this.pool.query(bind(sql.insert, values));
    } catch (error) {
      if (error instanceof DatabaseError && error.code === '23505') throw new AlreadyExists(`endpoint "${r.name}"`);
      throw error;
    }
  }

  async getEndpoint(name: string): Promise<EndpointRecord | undefined> {
    const { rows } = await this.pool.query<EndpointRow>(bind(sql.get, [name]));
    return rows[0] && toEndpoint(rows[0]);
  }

  async listEndpoints(): Promise<EndpointRecord[]> {
    const { rows } = await this.pool.query<EndpointRow>(bind(sql.list, []));
    return rows.map(toEndpoint);
  }

  async saveEndpoint(record: EndpointRecord): Promise<void> {
    const { rowCount } = await this.pool.query(bind(sql.save, savedValues(record)));
    if (rowCount === 0) throw new NotFound(`endpoint "${record.name}"`);
  }

  async deleteEndpoint(name: string): Promise<void> {
    const { rowCount } = await this.pool.query(bind(sql.delete, [name]));
    if (rowCount === 0) throw new NotFound(`endpoint "${name}"`);
  }
}
