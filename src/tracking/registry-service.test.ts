import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidState, NotFound } from '../store/index.js';
import { InvalidInput } from './errors.js';
import { T0, type TrackingFixture, trackingFixture } from './testing.js';

let f: TrackingFixture;
let modelSha: string;
const signature = [
  { name: 'tenure', type: 'float' },
  { name: 'plan', type: 'categorical' },
];
const by = (comment: string) => ({ actor: 'ana', comment });

beforeEach(async () => {
  f = await trackingFixture();
  modelSha = (await f.services.artifacts.putBuffer(Buffer.from('{"learner":{}}'))).sha256;
});
afterEach(async () => {
  await f.close();
});

async function register(group = 'churn') {
  return f.services.registry.registerModel({ group, artifactSha256: modelSha, format: 'xgboost-json', signature });
}

describe('model registry', () => {
  it('registers a version from a run, taking its final metrics and lineage', async () => {
    const { tracking, registry } = f.services;
    const run = await tracking.startRun({ experiment: 'churn', lineage: { gitCommit: 'c'.repeat(40) } });
    await tracking.logMetrics(run.id, [
      { key: 'validation-auc', value: 0.8, step: 0 },
      { key: 'validation-auc', value: 0.9, step: 1 },
    ]);
    const v = await registry.registerModel({
      group: 'churn',
      artifactSha256: modelSha,
      format: 'xgboost-json',
      signature,
      runId: run.id,
      actor: 'ci',
    });
    expect(v).toMatchObject({
      version: 1,
      status: 'PendingManualApproval',
      statusChangedBy: 'ci',
      runId: run.id,
      metrics: { 'validation-auc': 0.9 },
      lineage: { gitCommit: 'c'.repeat(40), flywheelVersion: '9.9.9-test' },
      signature,
    });
  });

  it('refuses a missing artifact, an unknown run, a bad signature or non-finite metrics, registering nothing', async () => {
    const { registry } = f.services;
    const base = { group: 'churn', artifactSha256: modelSha, format: 'xgboost-json', signature };
    await expect(registry.registerModel({ ...base, artifactSha256: 'd'.repeat(64) })).rejects.toBeInstanceOf(NotFound);
    await expect(registry.registerModel({ ...base, runId: 'nope' })).rejects.toThrow('run nope does not exist');
    await expect(registry.registerModel({ ...base, signature: [{ name: 'x' }] as never })).rejects.toThrow(
      /signature\[0\]\.type/,
    );
    await expect(registry.registerModel({ ...base, metrics: { auc: Number.NaN } })).rejects.toThrow(
      /metric "auc" must be a finite number/,
    );
    await expect(registry.registerModel({ ...base, group: 'has space' })).rejects.toBeInstanceOf(InvalidInput);
    expect(await registry.listGroups()).toEqual([]);
  });

  it('approves and rejects along the allowed transitions only, with who, when and why', async () => {
    const { registry } = f.services;
    await register();
    await register();
    f.advance(1000);
    const approved = await registry.approve('churn', 1, by('AUC above the gate'));
    expect(approved).toMatchObject({
      status: 'Approved',
      statusChangedBy: 'ana',
      statusChangedAt: T0 + 1000,
      statusComment: 'AUC above the gate',
    });
    await expect(registry.approve('churn', 1, by('again'))).rejects.toThrow(
      /cannot be approved: it is already Approved/,
    );
    // Revoking an approval is allowed; approving a rejected version is not.
    expect((await registry.reject('churn', 1, by('drift found'))).status).toBe('Rejected');
    const refused = await registry.approve('churn', 1, by('changed my mind')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidState);
    expect((refused as Error).message).toBe(
      'version 1 of model group "churn": cannot be approved: it is Rejected; only PendingManualApproval version can ' +
        'be approved (a rejected version stays rejected: register a new version)',
    );
    expect((await registry.getVersion('churn', 1)).statusComment).toBe('drift found');
    expect((await registry.reject('churn', 2, by('worse than v1'))).status).toBe('Rejected');
    await expect(registry.approve('churn', 2, by(''))).rejects.toThrow(/comment must say why/);
    await expect(registry.approve('churn', 9, by('x'))).rejects.toBeInstanceOf(NotFound);
    await expect(registry.approve('nope', 1, by('x'))).rejects.toBeInstanceOf(NotFound);
    const events = await registry.events(0, 100);
    expect(events.map((e) => (e.type === 'StatusChanged' ? `${e.version}:${e.from}->${e.to}` : e.type))).toEqual([
      'VersionRegistered',
      'VersionRegistered',
      '1:PendingManualApproval->Approved',
      '1:Approved->Rejected',
      '2:PendingManualApproval->Rejected',
    ]);
  });

  it('moves aliases between versions, resolves them, and refuses missing and rejected targets', async () => {
    const { registry } = f.services;
    await register();
    await register();
    await register();
    expect(await registry.setAlias('churn', 'production', 1, by('first'))).toMatchObject({ previousVersion: null });
    expect(await registry.setAlias('churn', 'production', '2', by('better'))).toEqual({
      group: 'churn',
      alias: 'production',
      version: 2,
      previousVersion: 1,
    });
    expect((await registry.getVersion('churn', 'production')).version).toBe(2);
    expect((await registry.getGroup('churn')).aliases).toEqual({ production: 2 });

    await expect(registry.setAlias('churn', 'production', 7, by(''))).rejects.toThrow(
      'version 7 of model group "churn" does not exist',
    );
    await registry.reject('churn', 3, by('bad'));
    await expect(registry.setAlias('churn', 'production', 3, by(''))).rejects.toBeInstanceOf(InvalidState);
    await expect(registry.setAlias('churn', '1st', 1, by(''))).rejects.toBeInstanceOf(InvalidInput);
    await expect(registry.getVersion('churn', 'staging')).rejects.toThrow('alias "staging" of model group "churn"');
    expect((await registry.getGroup('churn')).aliases).toEqual({ production: 2 });

    await registry.removeAlias('churn', 'production', by('rollback'));
    await expect(registry.removeAlias('churn', 'production', by(''))).rejects.toBeInstanceOf(NotFound);
    const aliasEvents = (await registry.events()).filter((e) => e.type.startsWith('Alias'));
    expect(aliasEvents.map((e) => [e.type, e.version, e.comment])).toEqual([
      ['AliasSet', 1, 'first'],
      ['AliasSet', 2, 'better'],
      ['AliasRemoved', 2, 'rollback'],
    ]);
  });

  it('collects the garbage no run and no model version refers to', async () => {
    const { tracking, artifacts } = f.services;
    await register();
    const data = await artifacts.putBuffer(Buffer.from('train'));
    const orphan = await artifacts.putBuffer(Buffer.from('orphan'));
    await tracking.startRun({ experiment: 'churn', lineage: { data: { train: data.sha256 } } });
    const report = await f.services.collectGarbage({ graceMs: 0, now: Date.now() + 1000 });
    expect(report.deleted.map((d) => d.sha256)).toEqual([orphan.sha256]);
    expect(await artifacts.has(modelSha)).toBe(true);
    expect(await artifacts.has(data.sha256)).toBe(true);
  });
});
