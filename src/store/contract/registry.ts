import { describe, expect, it } from 'vitest';
import { NotFound } from '../port.js';
import type { ApprovalStatus } from '../registry-port.js';
import { type Harness, T0 } from './harness.js';
import { LINEAGE, newModelVersion, SHA_A, SHA_B, SHA_C } from './tracking-fixtures.js';

const by = (actor: string, comment: string, now: number) => ({ actor, comment, now });
const FROM_PENDING: readonly ApprovalStatus[] = ['PendingManualApproval'];

export function describeRegistry(t: Harness): void {
  describe('model registry', () => {
    it('numbers versions per group from 1, pending approval, with a VersionRegistered event each', async () => {
      const registry = t.store.registry;
      const v1 = await registry.createModelVersion(newModelVersion('churn', { runId: 'run-1' }));
      expect(v1).toEqual({
        group: 'churn',
        version: 1,
        artifactSha256: SHA_C,
        format: 'xgboost-json',
        signature: [
          { name: 'tenure', type: 'float' },
          { name: 'plan', type: 'categorical' },
        ],
        runId: 'run-1',
        metrics: { auc: 0.91 },
        lineage: LINEAGE,
        status: 'PendingManualApproval',
        statusChangedBy: 'ana',
        statusChangedAt: T0,
        statusComment: 'first try',
        createdAt: T0,
        aliases: [],
      });
      await registry.createModelVersion(newModelVersion('churn', { lineage: null, createdAt: T0 + 1 }));
      await registry.createModelVersion(newModelVersion('fraud', { artifactSha256: SHA_A }));
      expect((await registry.listModelVersions('churn')).map((v) => [v.version, v.lineage === null])).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(await registry.listModelGroups()).toEqual([
        { name: 'churn', latestVersion: 2, createdAt: T0, updatedAt: T0 + 1, aliases: {} },
        { name: 'fraud', latestVersion: 1, createdAt: T0, updatedAt: T0, aliases: {} },
      ]);
      const events = await registry.listModelEvents(0, 10);
      expect(events.map((e) => [e.type, e.group, e.version, e.actor])).toEqual([
        ['VersionRegistered', 'churn', 1, 'ana'],
        ['VersionRegistered', 'churn', 2, 'ana'],
        ['VersionRegistered', 'fraud', 1, 'ana'],
      ]);
      expect(events[0]).toMatchObject({ status: 'PendingManualApproval', comment: 'first try', timestamp: T0 });
      expect(await registry.getModelGroup('nope')).toBeUndefined();
      expect(await registry.getModelVersion('churn', 9)).toBeUndefined();
      expect(await registry.listModelVersions('nope')).toEqual([]);
    });

    it('hands out distinct version numbers to concurrent registrations from several connections', async () => {
      const other = await t.open();
      const all = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? other : t.store).registry.createModelVersion(newModelVersion('churn')),
        ),
      );
      expect(all.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('changes a status only from an allowed one, recording who, when and why with an event', async () => {
      const registry = t.store.registry;
      await registry.createModelVersion(newModelVersion('churn'));
      const approve = { group: 'churn', version: 1, to: 'Approved', allowedFrom: FROM_PENDING } as const;
      const result = await registry.changeModelVersionStatus({ ...approve, ...by('bo', 'looks good', T0 + 5) });
      expect(result).toMatchObject({
        changed: true,
        version: { status: 'Approved', statusChangedBy: 'bo', statusChangedAt: T0 + 5, statusComment: 'looks good' },
      });
      const refused = await registry.changeModelVersionStatus({ ...approve, ...by('cy', 'again', T0 + 6) });
      expect(refused).toEqual({ changed: false, current: 'Approved' });
      expect((await registry.getModelVersion('churn', 1))?.statusChangedBy).toBe('bo');
      const events = await registry.listModelEvents(1, 10);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'StatusChanged',
        from: 'PendingManualApproval',
        to: 'Approved',
        actor: 'bo',
        comment: 'looks good',
        timestamp: T0 + 5,
      });
      await expect(
        registry.changeModelVersionStatus({ ...approve, version: 7, ...by('bo', '', T0) }),
      ).rejects.toBeInstanceOf(NotFound);
      await expect(
        registry.changeModelVersionStatus({ ...approve, group: 'nope', ...by('bo', '', T0) }),
      ).rejects.toBeInstanceOf(NotFound);
    });

    it('points aliases at one version each, moves them and removes them, each with an event', async () => {
      const registry = t.store.registry;
      await registry.createModelVersion(newModelVersion('churn'));
      await registry.createModelVersion(newModelVersion('churn', { artifactSha256: SHA_B }));
      const alias = (name: string, version: number) => ({ group: 'churn', alias: name, version, ...by('ana', '', T0) });
      expect(await registry.setModelAlias(alias('production', 1))).toEqual({ previousVersion: null });
      expect(await registry.setModelAlias(alias('staging', 2))).toEqual({ previousVersion: null });
      expect(await registry.setModelAlias(alias('production', 2))).toEqual({ previousVersion: 1 });
      expect((await registry.getModelGroup('churn'))?.aliases).toEqual({ production: 2, staging: 2 });
      expect((await registry.getModelVersion('churn', 2))?.aliases).toEqual(['production', 'staging']);
      expect((await registry.listModelVersions('churn')).map((v) => v.aliases)).toEqual([
        ['production', 'staging'],
        [],
      ]);

      await expect(registry.setModelAlias(alias('production', 9))).rejects.toBeInstanceOf(NotFound);
      await expect(registry.setModelAlias({ ...alias('x', 1), group: 'nope' })).rejects.toBeInstanceOf(NotFound);
      expect((await registry.getModelGroup('churn'))?.aliases.production).toBe(2);

      await registry.removeModelAlias({ group: 'churn', alias: 'staging', ...by('bo', 'retired', T0 + 1) });
      await expect(
        registry.removeModelAlias({ group: 'churn', alias: 'staging', ...by('bo', '', T0) }),
      ).rejects.toBeInstanceOf(NotFound);
      expect((await registry.getModelGroup('churn'))?.aliases).toEqual({ production: 2 });

      const events = (await registry.listModelEvents(0, 100)).filter((e) => e.type !== 'VersionRegistered');
      expect(events.map((e) => ({ ...e, seq: 0, timestamp: 0 }))).toEqual([
        { ...base('AliasSet', 1), alias: 'production', previousVersion: null },
        { ...base('AliasSet', 2), alias: 'staging', previousVersion: null },
        { ...base('AliasSet', 2), alias: 'production', previousVersion: 1 },
        { ...base('AliasRemoved', 2), alias: 'staging', actor: 'bo', comment: 'retired' },
      ]);
    });

    it('pages events by sequence number across groups', async () => {
      const registry = t.store.registry;
      for (const group of ['a', 'b', 'a', 'c']) await registry.createModelVersion(newModelVersion(group));
      const all = await registry.listModelEvents(0, 100);
      const seqs = all.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(4);
      const [first, second] = seqs;
      expect((await registry.listModelEvents(first!, 2)).map((e) => e.seq)).toEqual(seqs.slice(1, 3));
      expect(await registry.listModelEvents(seqs.at(-1)!, 10)).toEqual([]);
      expect((await registry.listModelEvents(second!, 10)).map((e) => e.group)).toEqual(['a', 'c']);
    });

    it('lists every model artifact hash once', async () => {
      const registry = t.store.registry;
      await registry.createModelVersion(newModelVersion('a', { artifactSha256: SHA_B }));
      await registry.createModelVersion(newModelVersion('b', { artifactSha256: SHA_A }));
      await registry.createModelVersion(newModelVersion('b', { artifactSha256: SHA_B }));
      expect(await registry.referencedArtifacts()).toEqual([SHA_A, SHA_B]);
    });
  });
}

function base(type: string, version: number) {
  return { seq: 0, timestamp: 0, type, group: 'churn', version, actor: 'ana', comment: '' };
}
