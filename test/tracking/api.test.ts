import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, FlywheelClient } from '../../src/client/index.js';
import type { RunningServer } from '../../src/server/index.js';

// The server runs from the build (npm test builds first), as in test/api.
const { startServer } = (await import(
  '../../dist/server/index.js' as string
)) as typeof import('../../src/server/index.js');

const dir = mkdtempSync(join(tmpdir(), 'flywheel-tracking-api-'));
const dataDir = join(dir, 'data');
let server: RunningServer;
let client: FlywheelClient;

beforeAll(async () => {
  server = await startServer({ dataDir, host: '127.0.0.1', port: 0, cwd: dir, log: () => {} });
  client = new FlywheelClient(server.url, server.token);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

async function post(path: string, body: string): Promise<{ status: number; body: { error: string; message: string } }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error: string; message: string } };
}

async function uploadModel(text: string): Promise<string> {
  const file = join(dir, `${createHash('sha256').update(text).digest('hex')}.json`);
  writeFileSync(file, text);
  return (await client.uploadArtifact(file)).sha256;
}

describe('tracking API', () => {
  it('refuses the new routes without the token', async () => {
    await expect(new FlywheelClient(server.url, undefined).listRuns()).rejects.toMatchObject({ status: 401 });
    await expect(new FlywheelClient(server.url, 'wrong').listModelGroups()).rejects.toMatchObject({ status: 401 });
  });

  it('records runs with params and metrics, searches and compares them', async () => {
    const a = await client.startRun({
      experiment: 'churn',
      params: { depth: 4 },
      lineage: { gitCommit: 'a'.repeat(40) },
    });
    const b = await client.startRun({ experiment: 'churn', params: { depth: 6 }, tags: { stage: 'prod' } });
    await client.logMetrics(a.runId, [
      { key: 'auc', value: 0.7, step: 0 },
      { key: 'auc', value: 0.8, step: 1 },
    ]);
    expect(await client.logMetrics(b.runId, [{ key: 'auc', value: 0.9, step: 1 }])).toEqual({ logged: 1 });
    await client.endRun(a.runId);
    const best = await client.listRuns({
      experiment: 'churn',
      filter: 'metrics.auc > 0.75',
      orderBy: 'metrics.auc DESC',
    });
    expect(best.map((r) => r.runId)).toEqual([b.runId, a.runId]);
    expect(best[1]).toMatchObject({
      status: 'FINISHED',
      lineage: { gitCommit: 'a'.repeat(40), flywheelVersion: expect.any(String) },
    });
    expect((await client.listRuns({ filter: "tags.stage = 'prod'" })).map((r) => r.runId)).toEqual([b.runId]);
    const comparison = await client.compareRuns([a.runId, b.runId]);
    expect(comparison.params.differing).toEqual({ depth: ['4', '6'] });
    expect(comparison.metrics.auc).toMatchObject({ final: [0.8, 0.9], best: [0.8, 0.9], bestRunId: b.runId });
    expect((await client.metricHistory(a.runId, 'auc')).map((p) => p.value)).toEqual([0.7, 0.8]);
    expect((await client.listExperiments()).find((e) => e.name === 'churn')?.runCount).toBe(2);
  });

  it('answers 4xx with the reason and changes nothing for bad run requests', async () => {
    const run = await client.startRun({ experiment: 'bad-input' });
    expect(await failure(client.getRun('no-such-run'))).toMatchObject({
      status: 404,
      message: 'run no-such-run does not exist',
    });
    expect((await failure(client.logMetrics('no-such-run', [{ key: 'auc', value: 1 }]))).status).toBe(404);
    expect((await failure(client.compareRuns([run.runId, 'gone']))).message).toBe('run gone does not exist');
    // JSON has no NaN, but 1e999 parses to Infinity: the server must still refuse it, naming key and step.
    const infinite = await post(
      `/v1/runs/${run.runId}/metrics`,
      '{"metrics":[{"key":"auc","value":0.5},{"key":"loss","value":1e999,"step":2}]}',
    );
    expect(infinite).toEqual({
      status: 400,
      body: { error: 'BadRequest', message: 'metric "loss" at step 2 must be a finite number (got Infinity)' },
    });
    const nulled = await failure(
      client.logMetrics(run.runId, [{ key: 'auc', value: null as unknown as number, step: 4 }]),
    );
    expect(nulled).toMatchObject({ status: 400, message: 'metric "auc" at step 4 must be a finite number (got null)' });
    expect(await client.metricHistory(run.runId)).toEqual([]);
    expect((await failure(client.listRuns({ filter: 'metrics.auc >> 1' }))).status).toBe(400);
    expect((await failure(client.listRuns({ experiment: 'nope' }))).status).toBe(404);
    await client.endRun(run.runId, 'FAILED');
    const ended = await failure(client.logMetrics(run.runId, [{ key: 'auc', value: 1 }]));
    expect(ended).toMatchObject({ status: 409, code: 'InvalidState' });
    expect(ended.message).toMatch(/has ended \(FAILED\); metrics can only be logged while it is RUNNING/);
    expect((await failure(client.endRun(run.runId, 'FINISHED'))).status).toBe(409);
  });
});

describe('model registry API', () => {
  it('registers, approves, rejects and aliases versions, with an event for each change', async () => {
    const sha = await uploadModel('{"model":1}');
    const run = await client.startRun({ experiment: 'registry' });
    const signature = [{ name: 'tenure', type: 'float' }];
    const v1 = await client.registerModel('churn', {
      artifactSha256: sha,
      format: 'xgboost-json',
      signature,
      runId: run.runId,
    });
    const v2 = await client.registerModel('churn', { artifactSha256: sha, format: 'xgboost-json', signature });
    expect([v1.version, v2.version, v1.status]).toEqual([1, 2, 'PendingManualApproval']);
    const approved = await client.approveModel('churn', 1, 'passes the gate', 'ana');
    expect(approved).toMatchObject({ status: 'Approved', statusChangedBy: 'ana', statusComment: 'passes the gate' });
    expect(await client.setModelAlias('churn', 'production', 1, { actor: 'ana' })).toMatchObject({
      previousVersion: null,
    });
    expect(await client.setModelAlias('churn', 'staging', 2)).toMatchObject({ version: 2 });
    expect((await client.getModelVersion('churn', 'production')).version).toBe(1);
    expect((await client.getModelGroup('churn')).aliases).toEqual({ production: 1, staging: 2 });
    expect((await client.listModelVersions('churn')).map((v) => v.version)).toEqual([2, 1]);
    await client.rejectModel('churn', 2, 'worse than v1');
    const events = await client.listModelEvents(0, 100);
    expect(events.map((e) => e.type)).toEqual([
      'VersionRegistered',
      'VersionRegistered',
      'StatusChanged',
      'AliasSet',
      'AliasSet',
      'StatusChanged',
    ]);
    expect((await client.listModelEvents(events[3]!.seq)).map((e) => e.seq)).toEqual([events[4]!.seq, events[5]!.seq]);
  });

  it('answers 4xx with the reason and changes nothing for bad registry requests', async () => {
    const sha = await uploadModel('{"model":2}');
    const signature = [{ name: 'x', type: 'float' }];
    await client.registerModel('fraud', { artifactSha256: sha, format: 'xgboost-json', signature });
    await client.rejectModel('fraud', 1, 'leaks the label');
    const before = await client.listModelEvents(0, 1000);

    const wrongState = await failure(client.approveModel('fraud', 1, 'try again'));
    expect(wrongState).toMatchObject({ status: 409, code: 'InvalidState' });
    expect(wrongState.message).toContain('cannot be approved: it is Rejected');
    expect((await failure(client.setModelAlias('fraud', 'production', 9))).message).toBe(
      'version 9 of model group "fraud" does not exist',
    );
    expect((await failure(client.setModelAlias('fraud', 'production', 1))).status).toBe(409);
    expect((await failure(client.getModelGroup('no-such-group'))).status).toBe(404);
    expect((await failure(client.getModelVersion('fraud', 5))).status).toBe(404);
    expect((await failure(client.approveModel('fraud', 77, 'x'))).status).toBe(404);
    expect((await failure(client.approveModel('fraud', 1, ''))).message).toMatch(/comment must say why/);
    const unknownRun = { artifactSha256: sha, format: 'xgboost-json', signature, runId: 'ghost' };
    expect((await failure(client.registerModel('fraud', unknownRun))).message).toBe('run ghost does not exist');
    const missing = { artifactSha256: 'f'.repeat(64), format: 'xgboost-json', signature };
    expect((await failure(client.registerModel('fraud', missing))).status).toBe(404);

    expect(await client.listModelEvents(0, 1000)).toEqual(before);
    expect((await client.getModelVersion('fraud', 1)).status).toBe('Rejected');
    expect((await client.getModelGroup('fraud')).latestVersion).toBe(1);
  });
});

describe('artifacts API', () => {
  it('uploads and downloads files and folders, verifying the bytes', async () => {
    const sha = await uploadModel('{"trees":[1,2,3]}');
    const out = join(dir, 'downloaded.json');
    await client.downloadArtifact(sha, out);
    expect(readFileSync(out, 'utf8')).toBe('{"trees":[1,2,3]}');
    expect((await client.statArtifact(sha)).size).toBe(17);
    expect((await client.listArtifacts()).map((a) => a.sha256)).toContain(sha);
    expect((await failure(client.statArtifact('../../token'))).status).toBe(400);
    expect((await failure(client.statArtifact('0'.repeat(64)))).status).toBe(404);
  });

  it('never hands out a clean copy of a corrupted object', async () => {
    const sha = await uploadModel('{"precious":true}');
    writeFileSync(join(dataDir, 'artifacts', 'objects', sha.slice(0, 2), sha), '{"precious":fake}');
    const out = join(dir, 'corrupted.json');
    const error = await failure(client.downloadArtifact(sha, out));
    expect(error).toMatchObject({ status: 500, code: 'ArtifactCorrupted' });
    expect(error.message).toContain(`artifact ${sha} is corrupted`);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('garbage-collects unreferenced artifacts only', async () => {
    const orphan = await uploadModel('{"orphan":true}');
    const dry = await client.collectArtifactGarbage({ dryRun: true, graceSeconds: 0 });
    expect(dry.deleted.map((d) => d.sha256)).toContain(orphan);
    expect((await client.statArtifact(orphan)).sha256).toBe(orphan);
    const report = await client.collectArtifactGarbage({ graceSeconds: 0 });
    expect(report.deleted.map((d) => d.sha256)).toContain(orphan);
    const kept = (await client.listModelVersions('churn'))[0]!.artifactSha256;
    expect((await client.statArtifact(kept)).sha256).toBe(kept);
    expect((await failure(client.statArtifact(orphan))).status).toBe(404);
  });
});
