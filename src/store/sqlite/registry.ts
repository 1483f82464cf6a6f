import type Database from 'better-sqlite3';
import { NotFound } from '../port.js';
import type {
  AliasChange,
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

function prepare(db: Database.Database) {
  return {
    nextVersion: db
      .prepare<[string, number, number], number>(
        'INSERT INTO model_groups (name, latest_version, created_at, updated_at) VALUES (?, 1, ?, ?) ' +
          'ON CONFLICT (name) DO UPDATE SET latest_version = model_groups.latest_version + 1, ' +
          'updated_at = excluded.updated_at RETURNING latest_version',
      )
      .pluck(),
    insertVersion: db.prepare<
      [string, number, string, string, string, string | null, string, string | null, string, number, string, number]
    >(
      `INSERT INTO model_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PendingManualApproval', ?, ?, ?, ?)`,
    ),
    insertEvent: db.prepare<[string, number, string, string, string, number, string]>(
      'INSERT INTO model_events (group_name, version, type, actor, comment, occurred_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    getGroup: db.prepare<[string], ModelGroupRow>(`SELECT ${GROUP_COLUMNS} FROM model_groups WHERE name = ?`),
    listGroups: db.prepare<[], ModelGroupRow>(`SELECT ${GROUP_COLUMNS} FROM model_groups ORDER BY name`),
    aliasesOf: db.prepare<[string], AliasRow>(`SELECT ${ALIAS_COLUMNS} FROM model_aliases WHERE group_name = ?`),
    allAliases: db.prepare<[], AliasRow>(`SELECT ${ALIAS_COLUMNS} FROM model_aliases`),
    getAlias: db.prepare<[string, string], AliasRow>(
      `SELECT ${ALIAS_COLUMNS} FROM model_aliases WHERE group_name = ? AND alias = ?`,
    ),
    getVersion: db.prepare<[string, number], ModelVersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM model_versions WHERE group_name = ? AND version = ?`,
    ),
    listVersions: db.prepare<[string], ModelVersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM model_versions WHERE group_name = ? ORDER BY version DESC`,
    ),
    setStatus: db.prepare<[string, string, number, string, string, number]>(
      'UPDATE model_versions SET status = ?, status_changed_by = ?, status_changed_at = ?, status_comment = ? ' +
        'WHERE group_name = ? AND version = ?',
    ),
    // One statement: the alias moves from its old version to the new one atomically, never absent in between.
    setAlias: db.prepare<[string, string, number, number]>(
      'INSERT INTO model_aliases (group_name, alias, version, updated_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (group_name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at',
    ),
    removeAlias: db.prepare<[string, string]>('DELETE FROM model_aliases WHERE group_name = ? AND alias = ?'),
    listEvents: db.prepare<[number, number], ModelEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM model_events WHERE seq > ? ORDER BY seq LIMIT ?`,
    ),
    referenced: db.prepare<[], string>('SELECT DISTINCT artifact_sha256 FROM model_versions ORDER BY 1').pluck(),
  };
}

/** `store.registry` of the SQLite store. Each change and its event commit in one IMMEDIATE transaction. */
export class SqliteRegistry implements RegistryStore {
  private readonly s: ReturnType<typeof prepare>;
  private readonly createTx;
  private readonly statusTx;
  private readonly aliasTx;
  private readonly removeAliasTx;

  constructor(db: Database.Database) {
    const s = prepare(db);
    this.s = s;
    const event = <T extends ModelEventType>(
      type: T,
      c: { group: string; version: number; actor: string; comment: string; now: number },
      detail: EventDetail<T>,
    ) => s.insertEvent.run(c.group, c.version, type, c.actor, c.comment, c.now, JSON.stringify(detail));

    this.createTx = db.transaction((v: NewModelVersion): number => {
      const version = s.nextVersion.get(v.group, v.createdAt, v.createdAt)!;
      s.insertVersion.run(
        v.group,
        version,
        v.artifactSha256,
        v.format,
        JSON.stringify(v.signature),
        v.runId,
        JSON.stringify(v.metrics),
        v.lineage === null ? null : JSON.stringify(v.lineage),
        v.actor,
        v.createdAt,
        v.comment,
        v.createdAt,
      );
      event('VersionRegistered', { ...v, version, now: v.createdAt }, { status: 'PendingManualApproval' });
      return version;
    });
    this.statusTx = db.transaction((c: StatusChange): StatusChangeResult => {
      const current = this.mustGetVersion(c.group, c.version);
      if (!c.allowedFrom.includes(current.status)) return { changed: false, current: current.status };
      s.setStatus.run(c.to, c.actor, c.now, c.comment, c.group, c.version);
      event('StatusChanged', c, { from: current.status, to: c.to });
      return { changed: true, version: this.mustGetVersion(c.group, c.version) };
    });
    this.aliasTx = db.transaction((c: AliasChange): { previousVersion: number | null } => {
      this.mustGetVersion(c.group, c.version);
      const previousVersion = s.getAlias.get(c.group, c.alias)?.version ?? null;
      s.setAlias.run(c.group, c.alias, c.version, c.now);
      event('AliasSet', c, { alias: c.alias, previousVersion });
      return { previousVersion };
    });
    this.removeAliasTx = db.transaction((c: Omit<AliasChange, 'version'>) => {
      const existing = s.getAlias.get(c.group, c.alias);
      if (existing === undefined) throw new NotFound(`alias "${c.alias}" of model group "${c.group}"`);
      s.removeAlias.run(c.group, c.alias);
      event('AliasRemoved', { ...c, version: existing.version }, { alias: c.alias });
    });
  }

  private mustGetVersion(group: string, version: number): ModelVersionRecord {
    const row = this.s.getVersion.get(group, version);
    if (row === undefined) throw new NotFound(`version ${version} of model group "${group}"`);
    return toModelVersion(row, this.s.aliasesOf.all(group));
  }

  async createModelVersion(version: NewModelVersion): Promise<ModelVersionRecord> {
    const number = this.createTx.immediate(version);
    return this.mustGetVersion(version.group, number);
  }

  async getModelGroup(name: string): Promise<ModelGroupRecord | undefined> {
    const row = this.s.getGroup.get(name);
    return row && toModelGroup(row, this.s.aliasesOf.all(name));
  }

  async listModelGroups(): Promise<ModelGroupRecord[]> {
    const aliases = this.s.allAliases.all();
    return this.s.listGroups.all().map((row) => toModelGroup(row, aliases));
  }

  async getModelVersion(group: string, version: number): Promise<ModelVersionRecord | undefined> {
    const row = this.s.getVersion.get(group, version);
    return row && toModelVersion(row, this.s.aliasesOf.all(group));
  }

  async listModelVersions(group: string): Promise<ModelVersionRecord[]> {
    const aliases = this.s.aliasesOf.all(group);
    return this.s.listVersions.all(group).map((row) => toModelVersion(row, aliases));
  }

  async changeModelVersionStatus(change: StatusChange): Promise<StatusChangeResult> {
    return this.statusTx.immediate(change);
  }

  async setModelAlias(change: AliasChange): Promise<{ previousVersion: number | null }> {
    return this.aliasTx.immediate(change);
  }

  async removeModelAlias(change: Omit<AliasChange, 'version'>): Promise<void> {
    this.removeAliasTx.immediate(change);
  }

  async listModelEvents(afterSeq: number, limit: number): Promise<ModelEvent[]> {
    checkLimit('listModelEvents', limit);
    return this.s.listEvents.all(afterSeq, limit).map(toModelEvent);
  }

  async referencedArtifacts(): Promise<string[]> {
    return this.s.referenced.all();
  }
}
