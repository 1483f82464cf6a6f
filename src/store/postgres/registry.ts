import type { Pool, PoolClient } from 'pg';
import { NotFound } from '../port.js';
import type {
  AliasChange,
  ChangeBy,
  ModelEvent,
  ModelEventType,
  ModelGroupRecord,
  ModelVersionRecord,
  NewModelVersion,
  RegistryStore,
  StatusChange,
  StatusChangeResult,
} from '../registry-port.js';
import {
  ALIAS_COLUMNS,
  type AliasRow,
  EVENT_COLUMNS,
  type EventDetail,
  GROUP_COLUMNS,
  type ModelEventRow,
  type ModelGroupRow,
  type ModelVersionRow,
  toModelEvent,
  toModelGroup,
  toModelVersion,
  VERSION_COLUMNS,
} from '../registry-rows.js';
import { checkLimit } from '../rows.js';
import { bind, named } from './sql.js';

const sql = named(
  {
    // One statement: the group row's upsert hands out the version number under its row lock, so concurrent
    // registrations get 1, 2, 3, ... and the version and its event commit together.
    createVersion: `
WITH g AS (
  INSERT INTO model_groups (name, latest_version, created_at, updated_at) VALUES ($1, 1, $2, $2)
  ON CONFLICT (name) DO UPDATE SET latest_version = model_groups.latest_version + 1, updated_at = excluded.updated_at
  RETURNING latest_version
), v AS (
  INSERT INTO model_versions (${VERSION_COLUMNS})
  SELECT $1, g.latest_version, $3, $4, $5, $6, $7, $8, 'PendingManualApproval', $9, $2, $10, $2 FROM g
  RETURNING version
), e AS (
  INSERT INTO model_events (group_name, version, type, actor, comment, occurred_at, detail)
  SELECT $1, v.version, 'VersionRegistered', $9, $10, $2, '{"status":"PendingManualApproval"}' FROM v
)
SELECT version FROM v`,
    lockGroup: 'SELECT name FROM model_groups WHERE name = $1 FOR UPDATE',
    getGroup: `SELECT ${GROUP_COLUMNS} FROM model_groups WHERE name = $1`,
    listGroups: `SELECT ${GROUP_COLUMNS} FROM model_groups ORDER BY name`,
    aliasesOf: `SELECT ${ALIAS_COLUMNS} FROM model_aliases WHERE group_name = $1`,
    allAliases: `SELECT ${ALIAS_COLUMNS} FROM model_aliases`,
    getAlias: `SELECT ${ALIAS_COLUMNS} FROM model_aliases WHERE group_name = $1 AND alias = $2`,
    getVersion: `SELECT ${VERSION_COLUMNS} FROM model_versions WHERE group_name = $1 AND version = $2`,
    listVersions: `SELECT ${VERSION_COLUMNS} FROM model_versions WHERE group_name = $1 ORDER BY version DESC`,
    setStatus:
      'UPDATE model_versions SET status = $3, status_changed_by = $4, status_changed_at = $5, status_comment = $6 ' +
      'WHERE group_name = $1 AND version = $2',
    // One statement: the alias moves from its old version to the new one atomically, never absent in between.
    setAlias:
      'INSERT INTO model_aliases (group_name, alias, version, updated_at) VALUES ($1, $2, $3, $4) ' +
      'ON CONFLICT (group_name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at',
    removeAlias: 'DELETE FROM model_aliases WHERE group_name = $1 AND alias = $2',
    insertEvent:
      'INSERT INTO model_events (group_name, version, type, actor, comment, occurred_at, detail) ' +
      'VALUES ($1, $2, $3, $4, $5, $6, $7)',
    listEvents: `SELECT ${EVENT_COLUMNS} FROM model_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
    referenced: 'SELECT DISTINCT artifact_sha256 AS sha256 FROM model_versions ORDER BY 1',
  },
  'flywheel.registry',
);

type Queryable = Pool | PoolClient;

/**
 * `store.registry` of the PostgreSQL store. A status or alias change runs in a transaction that first locks the
 * group's row, so changes to one group are serialized and each event records the state it really replaced.
 */
export class PostgresRegistry implements RegistryStore {
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  /** Runs `work` in a transaction holding the group's row lock; NotFound when the group does not exist. */
  private async inGroup<T>(group: string, what: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const locked = await client.query(bind(sql.lockGroup, [group]));
      if (locked.rowCount === 0) throw new NotFound(what);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than pool it.
      client.release(broken);
    }
  }

  private async event<T extends ModelEventType>(
    client: PoolClient,
    type: T,
    c: ChangeBy & { group: string; version: number },
    detail: EventDetail<T>,
  ): Promise<void> {
    await client.query(
      bind(sql.insertEvent, [c.group, c.version, type, c.actor, c.comment, c.now, JSON.stringify(detail)]),
    );
  }

  private async version(db: Queryable, group: string, version: number): Promise<ModelVersionRecord | undefined> {
    const { rows } = await db.query<ModelVersionRow>(bind(sql.getVersion, [group, version]));
    if (rows[0] === undefined) return undefined;
    const aliases = await db.query<AliasRow>(bind(sql.aliasesOf, [group]));
    return toModelVersion(rows[0], aliases.rows);
  }

  private async mustGetVersion(db: Queryable, group: string, version: number): Promise<ModelVersionRecord> {
    const record = await this.version(db, group, version);
    if (record === undefined) throw new NotFound(`version ${version} of model group "${group}"`);
    return record;
  }

  async createModelVersion(v: NewModelVersion): Promise<ModelVersionRecord> {
    const { rows } = await this.pool.query<{ version: number }>(
      bind(sql.createVersion, [
        v.group,
        v.createdAt,
        v.artifactSha256,
        v.format,
        JSON.stringify(v.signature),
        v.runId,
        JSON.stringify(v.metrics),
        v.lineage === null ? null : JSON.stringify(v.lineage),
        v.actor,
        v.comment,
      ]),
    );
    return this.mustGetVersion(this.pool, v.group, rows[0]!.version);
  }

  async getModelGroup(name: string): Promise<ModelGroupRecord | undefined> {
    const [{ rows }, aliases] = await Promise.all([
      this.pool.query<ModelGroupRow>(bind(sql.getGroup, [name])),
      this.pool.query<AliasRow>(bind(sql.aliasesOf, [name])),
    ]);
    return rows[0] && toModelGroup(rows[0], aliases.rows);
  }

  async listModelGroups(): Promise<ModelGroupRecord[]> {
    const [{ rows }, aliases] = await Promise.all([
      this.pool.query<ModelGroupRow>(bind(sql.listGroups, [])),
      this.pool.query<AliasRow>(bind(sql.allAliases, [])),
    ]);
    return rows.map((row) => toModelGroup(row, aliases.rows));
  }

  getModelVersion(group: string, version: number): Promise<ModelVersionRecord | undefined> {
    return this.version(this.pool, group, version);
  }

  async listModelVersions(group: string): Promise<ModelVersionRecord[]> {
    const [{ rows }, aliases] = await Promise.all([
      this.pool.query<ModelVersionRow>(bind(sql.listVersions, [group])),
      this.pool.query<AliasRow>(bind(sql.aliasesOf, [group])),
    ]);
    return rows.map((row) => toModelVersion(row, aliases.rows));
  }

  changeModelVersionStatus(c: StatusChange): Promise<StatusChangeResult> {
    const what = `version ${c.version} of model group "${c.group}"`;
    return this.inGroup(c.group, what, async (client) => {
      const current = await this.mustGetVersion(client, c.group, c.version);
      if (!c.allowedFrom.includes(current.status)) return { changed: false, current: current.status };
      await client.query(bind(sql.setStatus, [c.group, c.version, c.to, c.actor, c.now, c.comment]));
      await this.event(client, 'StatusChanged', c, { from: current.status, to: c.to });
      return { changed: true, version: await this.mustGetVersion(client, c.group, c.version) };
    });
  }

  setModelAlias(c: AliasChange): Promise<{ previousVersion: number | null }> {
    return this.inGroup(c.group, `version ${c.version} of model group "${c.group}"`, async (client) => {
      await this.mustGetVersion(client, c.group, c.version);
      const previous = await client.query<AliasRow>(bind(sql.getAlias, [c.group, c.alias]));
      const previousVersion = previous.rows[0]?.version ?? null;
      await client.query(bind(sql.setAlias, [c.group, c.alias, c.version, c.now]));
      await this.event(client, 'AliasSet', c, { alias: c.alias, previousVersion });
      return { previousVersion };
    });
  }

  removeModelAlias(c: Omit<AliasChange, 'version'>): Promise<void> {
    const what = `alias "${c.alias}" of model group "${c.group}"`;
    return this.inGroup(c.group, what, async (client) => {
      const existing = await client.query<AliasRow>(bind(sql.getAlias, [c.group, c.alias]));
      const version = existing.rows[0]?.version;
      if (version === undefined) throw new NotFound(what);
      await client.query(bind(sql.removeAlias, [c.group, c.alias]));
      await this.event(client, 'AliasRemoved', { ...c, version }, { alias: c.alias });
    });
  }

  async listModelEvents(afterSeq: number, limit: number): Promise<ModelEvent[]> {
    checkLimit('listModelEvents', limit);
    const { rows } = await this.pool.query<ModelEventRow>(bind(sql.listEvents, [afterSeq, limit]));
    return rows.map(toModelEvent);
  }

  async referencedArtifacts(): Promise<string[]> {
    const { rows } = await this.pool.query<{ sha256: string }>(bind(sql.referenced, []));
    return rows.map((r) => r.sha256);
  }
}
