import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file, firstValue, type Host, MODEL_A, MODEL_B, serving, startHost, testRows } from './support.js';

let host: Host;
const { rows, a, b } = testRows(1);
const row = rows[0]!;
const one = (model: string, replicas = 1) => serving.singleModelConfig(model, replicas);
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** `workers` loops invoking `name` until `stop()`; resolves with every status seen (0 for a network error). */
function load(name: string, workers: number): { stop: () => Promise<number[]> } {
  let running = true;
  const statuses: number[] = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running)
      statuses.push(
        await host.invoke(name, row).then(
          (r) => r.arrayBuffer().then(() => r.status),
          () => 0,
        ),
      );
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return statuses;
    },
  };
}

beforeAll(async () => {
  host = await startHost();
});

afterAll(async () => {
  await host?.close();
});

describe('endpoint lifecycle', () => {
  it('creates, describes, lists and deletes an endpoint, refusing a second one of the same name', async () => {
    const created = await host.service.create('life', one(MODEL_A, 2));
    expect(created).toMatchObject({ name: 'life', status: 'Creating', failureReason: null });
    await expect(host.service.create('life', one(MODEL_A))).rejects.toMatchObject({ code: 'Endpoint.AlreadyExists' });
    const view = await host.service.waitUntilSettled('life', 20_000);
    expect(view).toMatchObject({
      status: 'InService',
      invocationUrl: `${host.url}/endpoints/life/invocations`,
      variants: [{ name: 'AllTraffic', model: MODEL_A, modelPath: MODEL_A, weight: 1, replicas: 2, replicasUp: 2 }],
    });
    expect((await host.service.list()).map((e) => e.name)).toContain('life');
    const pids = view.variants[0]!.replicaPids;
    await host.service.delete('life');
    expect((await host.invoke('life', row)).status).toBe(404);
    await expect(host.service.describe('life')).rejects.toMatchObject({ code: 'Endpoint.NotFound' });
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('refuses a model that does not exist at once, and a file that is not a model after trying (Failed)', async () => {
    await expect(host.service.create('missing', one('nope.json'))).rejects.toMatchObject({
      code: 'Endpoint.ModelNotFound',
    });
    await expect(host.service.create('registry', one('churn:3'))).rejects.toThrow(/no model registry/);
    await host.service.create('broken', one(file(host, 'broken.json', '{"learner": {}}')));
    const view = await host.service.waitUntilSettled('broken', 20_000);
    expect(view.status).toBe('Failed');
    expect(view.failureReason).toMatch(/broken\.json is not an XGBoost JSON model: .*learner_model_param/);
    expect((await fetch(`${host.url}/endpoints/broken/ping`)).status).toBe(503);
    expect((await host.invoke('broken', row)).status).toBe(503);
  });

  it("answers a dead replica's in-flight requests with 503, replaces it, and serves again", async () => {
    await host.service.create('crash', one(MODEL_A, 2));
    const before = (await host.service.waitUntilSettled('crash', 20_000)).variants[0]!.replicaPids;
    // Freeze one replica so requests sent to it stay in flight, then kill it.
    const victim = before[0]!;
    process.kill(victim, 'SIGSTOP');
    const inFlight = Array.from({ length: 10 }, () => host.invoke('crash', row));
    await new Promise((r) => setTimeout(r, 200));
    process.kill(victim, 'SIGKILL');
    const statuses = await Promise.all(inFlight.map((p) => p.then((r) => r.status)));
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses).toContain(503);
    await until(async () => {
      const pids = (await host.service.describe('crash')).variants[0]!.replicaPids;
      return pids.length === 2 && !pids.includes(victim);
    }, 'the replica is replaced');
    const after = await Promise.all(Array.from({ length: 20 }, () => host.invoke('crash', row).then((r) => r.status)));
    expect(after.every((s) => s === 200)).toBe(true);
    const windows = host.service.windows('crash')[0]!;
    expect(windows.lastMinute.errors5xx).toBe(statuses.filter((s) => s === 503).length);
  });

  it('kills a replica that stops answering (a hung model), answering what it held with 503', async () => {
    await host.service.create('hung', one(MODEL_A));
    const [pid] = (await host.service.waitUntilSettled('hung', 20_000)).variants[0]!.replicaPids;
    process.kill(pid!, 'SIGSTOP');
    const started = Date.now();
    const answer = await host.invoke('hung', row);
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(((await answer.json()) as { message: string }).message).toMatch(
      /was killed by signal SIGKILL while scoring/,
    );
    await until(async () => (await host.service.describe('hung')).variants[0]!.replicasUp === 1, 'a replacement is up');
    expect((await host.invoke('hung', row)).status).toBe(200);
  });

  it('updates from model A to model B under load without failing a request', async () => {
    await host.service.create('roll', one(MODEL_A));
    const oldPids = (await host.service.waitUntilSettled('roll', 20_000)).variants[0]!.replicaPids;
    const traffic = load('roll', 8);
    await new Promise((r) => setTimeout(r, 200));
    const updating = await host.service.update('roll', one(MODEL_B, 2));
    expect(updating).toMatchObject({ status: 'Updating', pendingVariants: [{ model: MODEL_B, replicas: 2 }] });
    await expect(host.service.update('roll', one(MODEL_A))).rejects.toMatchObject({ code: 'Endpoint.Updating' });
    const done = await host.service.waitUntilSettled('roll', 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const statuses = await traffic.stop();
    expect(done).toMatchObject({ status: 'InService', failureReason: null, pendingVariants: null });
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(Math.abs((await firstValue(await host.invoke('roll', row))) - b[0]!)).toBeLessThan(1e-6);
    await until(() => oldPids.every((pid) => !isAlive(pid)), 'the old replicas have stopped');
  });

  it('keeps the old config serving, InService with the reason, when an update fails', async () => {
    await host.service.create('keep', one(MODEL_A));
    await host.service.waitUntilSettled('keep', 20_000);
    await host.service.update('keep', one(file(host, 'bad.json', '{"learner": 1}')));
    const view = await host.service.waitUntilSettled('keep', 20_000);
    expect(view.status).toBe('InService');
    expect(view.failureReason).toMatch(
      /^update failed: .*bad\.json is not an XGBoost JSON model.*; the previous config still serves$/,
    );
    expect(view.variants[0]).toMatchObject({ model: MODEL_A, replicasUp: 1 });
    expect(Math.abs((await firstValue(await host.invoke('keep', row))) - a[0]!)).toBeLessThan(1e-6);
  });

  it('brings every InService endpoint back after a restart', async () => {
    const dir = host.dir;
    await host.stop();
    host = await startHost(dir);
    const view = await host.service.describe('roll');
    expect(view).toMatchObject({ status: 'InService', variants: [{ model: MODEL_B, replicas: 2, replicasUp: 2 }] });
    expect(Math.abs((await firstValue(await host.invoke('roll', row))) - b[0]!)).toBeLessThan(1e-6);
    expect((await host.service.describe('keep')).failureReason).toMatch(/^update failed/);
    expect((await host.service.describe('broken')).status).toBe('Failed');
  });
});
