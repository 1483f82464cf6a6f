import { type ArtifactStore, checkSha256 } from '../artifacts/index.js';
import {
  type ApprovalStatus,
  InvalidState,
  type ModelEvent,
  type ModelFeature,
  type ModelGroupRecord,
  type ModelVersionRecord,
  NotFound,
  type RegistryStore,
  type RunLineage,
  type TrackingStore,
} from '../store/index.js';
import { InvalidInput } from './errors.js';
import { checkAlias, checkGroup, checkKey, checkNumbers, checkVersion } from './validate.js';

/**
 * Approval transitions, as data: the statuses a version may come from to reach each status. SageMaker allows any
 * change; Flywheel refuses to approve a Rejected version (register a new one instead) and allows revoking an approval
 * (Approved -> Rejected). Setting the status a version already has is refused too, so every event is a real change.
 */
export const APPROVAL_TRANSITIONS: Readonly<Record<ApprovalStatus, readonly ApprovalStatus[]>> = {
  PendingManualApproval: [],
  Approved: ['PendingManualApproval'],
  Rejected: ['PendingManualApproval', 'Approved'],
};

export interface RegisterModelRequest {
  group: string;
  /** The model file (or folder) already in the artifact store. */
  artifactSha256: string;
  format: string;
  /** Feature names and types, in the order the model reads them. */
  signature: ModelFeature[];
  runId?: string;
  /** Evaluation metrics; default the run's final metric values. */
  metrics?: Record<string, number>;
  /** Default the run's lineage. */
  lineage?: RunLineage;
  actor?: string;
  comment?: string;
}

/** Who makes a change and why (the comment is required: the registry records why a status changed). */
export interface ChangeRequest {
  actor: string;
  comment: string;
}

export interface RegistryServiceOptions {
  store: RegistryStore;
  tracking: TrackingStore;
  artifacts: ArtifactStore;
  now?: () => number;
}

function checkSignature(value: unknown): ModelFeature[] {
  if (!Array.isArray(value)) throw new InvalidInput('signature must be an array of {name, type}, one per feature');
  return value.map((f: unknown, i) => {
    const feature = (typeof f === 'object' && f !== null ? f : {}) as Partial<ModelFeature>;
    const name = checkKey(feature.name, `signature[${i}].name`);
    const type = checkKey(feature.type, `signature[${i}].type`);
    return { name, type };
  });
}

function checkChange(change: ChangeRequest, needComment: boolean): ChangeRequest {
  const actor = checkKey(change.actor, 'actor');
  if (typeof change.comment !== 'string' || (needComment && change.comment.trim() === '')) {
    throw new InvalidInput('comment must say why (a non-empty string)');
  }
  return { actor, comment: change.comment };
}

/** Model groups, versions, approvals and aliases over the store's registry port. */
export class RegistryService {
  readonly store: RegistryStore;
  private readonly tracking: TrackingStore;
  private readonly artifacts: ArtifactStore;
  private readonly now: () => number;

  constructor(options: RegistryServiceOptions) {
    this.store = options.store;
    this.tracking = options.tracking;
    this.artifacts = options.artifacts;
    this.now = options.now ?? Date.now;
  }

  /** Registers a new PendingManualApproval version; the artifact and the run must exist. */
  async registerModel(request: RegisterModelRequest): Promise<ModelVersionRecord> {
    const group = checkGroup(request.group);
    const sha = checkSha256(request.artifactSha256, 'model artifact');
    const format = checkKey(request.format, 'format');
    const signature = checkSignature(request.signature);
    const metrics = checkNumbers(request.metrics, 'metric');
    if (!(await this.artifacts.has(sha))) throw new NotFound(`model artifact ${sha}`);
    const run = request.runId === undefined ? undefined : await this.tracking.getRun(request.runId);
    if (request.runId !== undefined && run === undefined) throw new NotFound(`run ${request.runId}`);
    const runMetrics = Object.fromEntries(Object.entries(run?.metrics ?? {}).map(([k, s]) => [k, s.last]));
    return this.store.createModelVersion({
      group,
      artifactSha256: sha,
      format,
      signature,
      runId: run?.id ?? null,
      metrics: request.metrics === undefined ? runMetrics : metrics,
      lineage: request.lineage ?? run?.lineage ?? null,
      actor: checkKey(request.actor ?? 'flywheel', 'actor'),
      comment: request.comment ?? '',
      createdAt: this.now(),
    });
  }

  listGroups(): Promise<ModelGroupRecord[]> {
    return this.store.listModelGroups();
  }

  async getGroup(name: string): Promise<ModelGroupRecord> {
    const group = await this.store.getModelGroup(name);
    if (group === undefined) throw new NotFound(`model group "${name}"`);
    return group;
  }

  async listVersions(group: string): Promise<ModelVersionRecord[]> {
    await this.getGroup(group);
    return this.store.listModelVersions(group);
  }

  /** A version by number (`3`) or alias (`production`). */
  async getVersion(group: string, ref: string | number): Promise<ModelVersionRecord> {
    const number = await this.resolve(group, ref);
    const version = await this.store.getModelVersion(group, number);
    if (version === undefined) throw new NotFound(`version ${number} of model group "${group}"`);
    return version;
  }

  private async resolve(group: string, ref: string | number): Promise<number> {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) return checkVersion(ref);
    const alias = checkAlias(ref);
    const number = (await this.getGroup(group)).aliases[alias];
    if (number === undefined) throw new NotFound(`alias "${alias}" of model group "${group}"`);
    return number;
  }

  approve(group: string, version: number | string, change: ChangeRequest): Promise<ModelVersionRecord> {
    return this.setStatus(group, version, 'Approved', change);
  }

  reject(group: string, version: number | string, change: ChangeRequest): Promise<ModelVersionRecord> {
    return this.setStatus(group, version, 'Rejected', change);
  }

  /** Throws NotFound, or InvalidState naming the current status when the transition is not allowed. */
  async setStatus(
    group: string,
    ref: number | string,
    to: ApprovalStatus,
    change: ChangeRequest,
  ): Promise<ModelVersionRecord> {
    const { actor, comment } = checkChange(change, true);
    const version = await this.resolve(group, ref);
    const allowedFrom = APPROVAL_TRANSITIONS[to];
    const result = await this.store.changeModelVersionStatus({
      group,
      version,
      to,
      allowedFrom,
      actor,
      comment,
      now: this.now(),
    });
    if (result.changed) return result.version;
    const verb = to === 'Approved' ? 'approved' : to === 'Rejected' ? 'rejected' : `set to ${to}`;
    const hint =
      result.current === to
        ? `it is already ${to}`
        : `it is ${result.current}; only ${allowedFrom.join(' or ') || 'no'} version can be ${verb}` +
          (result.current === 'Rejected' ? ' (a rejected version stays rejected: register a new version)' : '');
    throw new InvalidState(`version ${version} of model group "${group}"`, `cannot be ${verb}: ${hint}`);
  }

  /**
   * Points `alias` at a version (moving it from any other in one statement). A Rejected version cannot be aliased.
   * Returns the version the alias pointed at before, if any.
   */
  async setAlias(
    group: string,
    alias: string,
    ref: number | string,
    change: ChangeRequest,
  ): Promise<{ group: string; alias: string; version: number; previousVersion: number | null }> {
    checkAlias(alias);
    const { actor, comment } = checkChange(change, false);
    const target = await this.getVersion(group, typeof ref === 'number' ? ref : checkVersion(ref));
    if (target.status === 'Rejected') {
      throw new InvalidState(
        `version ${target.version} of model group "${group}"`,
        `is Rejected; alias "${alias}" can only point at a PendingManualApproval or Approved version`,
      );
    }
    const { previousVersion } = await this.store.setModelAlias({
      group,
      alias,
      version: target.version,
      actor,
      comment,
      now: this.now(),
    });
    return { group, alias, version: target.version, previousVersion };
  }

  async removeAlias(group: string, alias: string, change: ChangeRequest): Promise<void> {
    checkAlias(alias);
    const { actor, comment } = checkChange(change, false);
    await this.store.removeModelAlias({ group, alias, actor, comment, now: this.now() });
  }

  /** Status and alias changes after `afterSeq`, oldest first: what a deployer or a webhook sender polls. */
  events(afterSeq = 0, limit = 100): Promise<ModelEvent[]> {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new InvalidInput('after must be a non-negative integer');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
      throw new InvalidInput('limit must be an integer between 1 and 1000');
    }
    return this.store.listModelEvents(afterSeq, limit);
  }
}
