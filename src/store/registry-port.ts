/**
 * The model-registry part of the store port: model groups, their numbered versions, each version's approval status
 * and the aliases that point at one version each. Reached as `store.registry`. Every status or alias change writes a
 * `model_events` row in the same transaction, so a poller of `listModelEvents` sees exactly the committed changes.
 */
import type { RunLineage } from './tracking-port.js';

/** As SageMaker's model registry spells them. */
export type ApprovalStatus = 'PendingManualApproval' | 'Approved' | 'Rejected';

/** One input feature of a model, in the order the model reads them. */
export interface ModelFeature {
  name: string;
  /** e.g. `float`, `int`, `categorical`. */
  type: string;
}

export interface NewModelVersion {
  group: string;
  artifactSha256: string;
  /** e.g. `xgboost-json`. */
  format: string;
  signature: ModelFeature[];
  runId: string | null;
  metrics: Record<string, number>;
  lineage: RunLineage | null;
  actor: string;
  comment: string;
  createdAt: number;
}

export interface ModelVersionRecord extends Omit<NewModelVersion, 'actor' | 'comment'> {
  /** 1, 2, 3, ... per group. */
  version: number;
  status: ApprovalStatus;
  /** Who set the current status, when and why (at registration: who registered it). */
  statusChangedBy: string;
  statusChangedAt: number;
  statusComment: string;
  /** The aliases pointing at this version, by name. */
  aliases: string[];
}

export interface ModelGroupRecord {
  name: string;
  latestVersion: number;
  createdAt: number;
  updatedAt: number;
  /** Alias -> version. */
  aliases: Record<string, number>;
}

interface EventBase {
  /** Increasing across all groups, never reused: poll with `listModelEvents(lastSeenSeq)`. */
  seq: number;
  group: string;
  version: number;
  actor: string;
  comment: string;
  timestamp: number;
}

export type ModelEvent = EventBase &
  (
    | { type: 'VersionRegistered'; status: ApprovalStatus }
    | { type: 'StatusChanged'; from: ApprovalStatus; to: ApprovalStatus }
    | { type: 'AliasSet'; alias: string; previousVersion: number | null }
    | { type: 'AliasRemoved'; alias: string }
  );

export type ModelEventType = ModelEvent['type'];

/** Who makes a change, when and why. */
export interface ChangeBy {
  actor: string;
  comment: string;
  now: number;
}

export interface StatusChange extends ChangeBy {
  group: string;
  version: number;
  to: ApprovalStatus;
  /** The statuses the version may be in for the change to happen (the service's transition rules). */
  allowedFrom: readonly ApprovalStatus[];
}

/** Compare-and-set outcome: changed, or the status that refused the change. */
export type StatusChangeResult =
  | { changed: true; version: ModelVersionRecord }
  | { changed: false; current: ApprovalStatus };

export interface AliasChange extends ChangeBy {
  group: string;
  alias: string;
  version: number;
}

export interface RegistryStore {
  /**
   * Gives the group's next version number (creating the group with version 1), stores the version as
   * PendingManualApproval and writes a VersionRegistered event, in one transaction.
   */
  createModelVersion(version: NewModelVersion): Promise<ModelVersionRecord>;
  getModelGroup(name: string): Promise<ModelGroupRecord | undefined>;
  /** By name. */
  listModelGroups(): Promise<ModelGroupRecord[]>;
  getModelVersion(group: string, version: number): Promise<ModelVersionRecord | undefined>;
  /** Newest first. */
  listModelVersions(group: string): Promise<ModelVersionRecord[]>;
  /** Sets the status only if it is one of `allowedFrom`, with a StatusChanged event. Throws NotFound. */
  changeModelVersionStatus(change: StatusChange): Promise<StatusChangeResult>;
  /** Points an alias at a version in one statement, with an AliasSet event. Throws NotFound for a missing version. */
  setModelAlias(change: AliasChange): Promise<{ previousVersion: number | null }>;
  /** Removes an alias with an AliasRemoved event. Throws NotFound when the group has no such alias. */
  removeModelAlias(change: Omit<AliasChange, 'version'>): Promise<void>;
  /** Events with seq > afterSeq, oldest first, at most `limit`. */
  listModelEvents(afterSeq: number, limit: number): Promise<ModelEvent[]>;
  /** Every model artifact sha256 a version refers to, each once. */
  referencedArtifacts(): Promise<string[]>;
}
