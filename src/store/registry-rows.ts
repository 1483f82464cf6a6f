/** Model-registry rows and their mapping to the port's records, shared by both implementations. */
import type {
  ApprovalStatus,
  ModelEvent,
  ModelEventType,
  ModelFeature,
  ModelGroupRecord,
  ModelVersionRecord,
} from './registry-port.js';
import type { RunLineage } from './tracking-port.js';

type BigIntColumn = number | string;
const int = (value: BigIntColumn): number => (typeof value === 'number' ? value : Number(value));

export interface ModelGroupRow {
  name: string;
  latest_version: number;
  created_at: BigIntColumn;
  updated_at: BigIntColumn;
}

export interface ModelVersionRow {
  group_name: string;
  version: number;
  artifact_sha256: string;
  format: string;
  signature: string;
  run_id: string | null;
  metrics: string;
  lineage: string | null;
  status: ApprovalStatus;
  status_changed_by: string;
  status_changed_at: BigIntColumn;
  status_comment: string;
  created_at: BigIntColumn;
}

export interface AliasRow {
  group_name: string;
  alias: string;
  version: number;
}

export interface ModelEventRow {
  seq: BigIntColumn;
  group_name: string;
  version: number;
  type: ModelEventType;
  actor: string;
  comment: string;
  occurred_at: BigIntColumn;
  detail: string;
}

export const GROUP_COLUMNS = 'name, latest_version, created_at, updated_at';
export const VERSION_COLUMNS =
  'group_name, version, artifact_sha256, format, signature, run_id, metrics, lineage, status, status_changed_by, ' +
  'status_changed_at, status_comment, created_at';
export const EVENT_COLUMNS = 'seq, group_name, version, type, actor, comment, occurred_at, detail';
export const ALIAS_COLUMNS = 'group_name, alias, version';

/** A group with its aliases (`aliases` may hold other groups' rows; they are skipped). */
export const toModelGroup = (row: ModelGroupRow, aliases: AliasRow[]): ModelGroupRecord => ({
  name: row.name,
  latestVersion: row.latest_version,
  createdAt: int(row.created_at),
  updatedAt: int(row.updated_at),
  aliases: Object.fromEntries(
    aliases
      .filter((a) => a.group_name === row.name)
      .sort((a, b) => (a.alias < b.alias ? -1 : 1))
      .map((a) => [a.alias, a.version]),
  ),
});

/** A version with the names of the aliases that point at it (`aliases`: the group's). */
export const toModelVersion = (row: ModelVersionRow, aliases: AliasRow[]): ModelVersionRecord => ({
  group: row.group_name,
  version: row.version,
  artifactSha256: row.artifact_sha256,
  format: row.format,
  signature: JSON.parse(row.signature) as ModelFeature[],
  runId: row.run_id,
  metrics: JSON.parse(row.metrics) as Record<string, number>,
  lineage: row.lineage === null ? null : (JSON.parse(row.lineage) as RunLineage),
  status: row.status,
  statusChangedBy: row.status_changed_by,
  statusChangedAt: int(row.status_changed_at),
  statusComment: row.status_comment,
  createdAt: int(row.created_at),
  aliases: aliases
    .filter((a) => a.group_name === row.group_name && a.version === row.version)
    .map((a) => a.alias)
    .sort(),
});

/** The `detail` column of each event type: what is not in the common columns. */
export type EventDetail<T extends ModelEventType> = Omit<
  Extract<ModelEvent, { type: T }>,
  'seq' | 'group' | 'version' | 'actor' | 'comment' | 'timestamp' | 'type'
>;

export function toModelEvent(row: ModelEventRow): ModelEvent {
  const base = {
    seq: int(row.seq),
    group: row.group_name,
    version: row.version,
    actor: row.actor,
    comment: row.comment,
    timestamp: int(row.occurred_at),
  };
  const detail: unknown = JSON.parse(row.detail);
  switch (row.type) {
    case 'VersionRegistered':
      return { ...base, type: row.type, ...(detail as EventDetail<'VersionRegistered'>) };
    case 'StatusChanged':
      return { ...base, type: row.type, ...(detail as EventDetail<'StatusChanged'>) };
    case 'AliasSet':
      return { ...base, type: row.type, ...(detail as EventDetail<'AliasSet'>) };
    case 'AliasRemoved':
      return { ...base, type: row.type, ...(detail as EventDetail<'AliasRemoved'>) };
    default:
      throw new Error(`model_events row ${row.seq}: unknown event type "${String(row.type)}"`);
  }
}
