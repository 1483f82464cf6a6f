import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlywheelClient } from '../../src/client/index.js';
import {
  type CliResult,
  killHard,
  runCli,
  type ServerProcess,
  startServerProcess,
  stopGracefully,
} from '../support/server-process.js';
import { MODEL_A, MODEL_B, testRows } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'flywheel-endpoints-server-'));
const dataDir = join(dir, 'data');
const { rows, a, b } = testRows(1);
let server: ServerProcess;

const flywheel = (args: string[]): CliResult => runCli(['--data-dir', dataDir, ...args], dir);

const near = (text: string, expected: number): void =>
  expect(Math.abs(Number(text.trim()) - expected)).toBeLessThan(1e-6);

beforeAll(async () => {
  server = await startServerProcess(dataDir, ['--max-invocation-mb', '0.5'], dir);
});

afterAll(async () => {
  if (server) await stopGracefully(server);
  rmSync(dir, { recursive: true, force: true });
});

describe('endpoints on flywheel server', () => {
  it('creates, invokes, updates and describes an endpoint from the CLI', async () => {
    const created = flywheel([
      'endpoints',
      'create',
      'churn',
      '--model',
      MODEL_A,
      '--capture',
      '50',
      '--wait',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({
      status: 'InService',
      invocationUrl: `${server.url}/endpoints/churn/invocations`,
      capture: { enabled: true, samplingPercentage: 50 },
      variants: [{ name: 'AllTraffic', replicas: 1, replicasUp: 1 }],
    });
    near(flywheel(['endpoints', 'invoke', 'churn', '--csv', rows[0]!]).stdout, a[0]!);
    const config = join(dir, 'canary.json');
    const variants = [
      { name: 'blue', model: MODEL_A, weight: 9 },
      { name: 'green', model: MODEL_B, weight: 1, replicas: 2 },
    ];
    writeFileSync(config, JSON.stringify({ variants }));
    expect(flywheel(['endpoints', 'update', 'churn', '--config', config, '--wait']).code).toBe(0);
    near(flywheel(['endpoints', 'invoke', 'churn', '--csv', rows[0]!, '--variant', 'green']).stdout, b[0]!);
    const described = JSON.parse(flywheel(['endpoints', 'describe', 'churn', '--json']).stdout);
    expect(described.variants.map((v: { name: string; replicasUp: number }) => [v.name, v.replicasUp])).toEqual([
      ['blue', 1],
      ['green', 2],
    ]);
    expect(flywheel(['endpoints', 'list']).stdout).toMatch(/churn\s+InService\s+blue,green/);
    const bad = flywheel(['endpoints', 'invoke', 'churn', '--csv', '1,2']);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringContaining('BadRequest: request body: line 1 has 2 values'),
    ]);
    expect(flywheel(['endpoints', 'update', 'churn', '--model', 'missing.json']).stderr).toContain(
      'Endpoint.ModelNotFound',
    );
    const badFlag = flywheel(['server', '--port', '0', '--max-invocation-mb', 'lots']);
    expect([badFlag.code, badFlag.stderr]).toEqual([
      2,
      expect.stringContaining('--max-invocation-mb must be a number'),
    ]);
  });

  it('serves invocations, pings and /metrics without a token, and the control plane only with one', async () => {
    const anonymous = new FlywheelClient(server.url, undefined);
    expect((await anonymous.endpoints.invoke('churn', rows[0]!, 'text/csv', 'blue')).variant).toBe('blue');
    expect((await fetch(`${server.url}/endpoints/churn/ping`)).status).toBe(200);
    const tooLarge = await fetch(`${server.url}/endpoints/churn/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `${rows[0]}\n`.repeat(Math.ceil(600_000 / rows[0]!.length)),
    });
    expect([tooLarge.status, ((await tooLarge.json()) as { message: string }).message]).toEqual([
      413,
      'the request body is larger than 524288 bytes',
    ]);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain(
      'flywheel_endpoint_invocations_total{endpoint="churn"',
    );
    await expect(anonymous.endpoints.describe('churn')).rejects.toMatchObject({ status: 401 });
    const windows = await server.client.endpoints.metrics('churn');
    expect(windows.find((w) => w.variant === 'blue')?.lastMinute.invocations).toBeGreaterThan(0);
    await expect(server.client.endpoints.describe('nope')).rejects.toMatchObject({
      status: 404,
      code: 'Endpoint.NotFound',
    });
  });

  it('deploys a registry version (group:version) from a workflow and catches Endpoint.NotFound', async () => {
    const artifact = await server.client.uploadArtifact(MODEL_B);
    const signature = Array.from({ length: 19 }, (_, k) => ({ name: `f${k}`, type: 'float' }));
    const version = await server.client.registerModel('tiny', {
      artifactSha256: artifact.sha256,
      format: 'xgboost-json',
      signature,
    });
    const definition = {
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: 'flywheel:endpoint.create',
          Parameters: { EndpointName: 'wf', Model: `tiny:${version.version}`, Replicas: 1 },
          ResultPath: null,
          Next: 'Wait',
        },
        Wait: {
          Type: 'Task',
          Resource: 'flywheel:endpoint.waitInService',
          Parameters: { EndpointName: 'wf' },
          ResultSelector: { 'status.$': '$.status' },
          ResultPath: '$.created',
          Next: 'Missing',
        },
        Missing: {
          Type: 'Task',
          Resource: 'flywheel:endpoint.describe',
          Parameters: { EndpointName: 'nope' },
          Catch: [{ ErrorEquals: ['Endpoint.NotFound'], ResultPath: '$.missing', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    await server.client.createStateMachine('deploy', definition);
    const started = await server.client.startExecution('deploy', {});
    const done = await server.client.waitForExecution(started.executionId);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toMatchObject({ created: { status: 'InService' }, missing: { Error: 'Endpoint.NotFound' } });
    near((await server.client.endpoints.invoke('wf', rows[0]!, 'text/csv')).body, b[0]!);
  });

  it('brings its endpoints back after the server is killed', async () => {
    const before = (await server.client.endpoints.describe('churn')).variants.flatMap((v) => v.replicaPids);
    await killHard(server);
    server = await startServerProcess(dataDir, ['--max-invocation-mb', '0.5'], dir);
    // The killed server's replicas saw their pipe close and exited (a zombie, never reaped by this VM's init, counts).
    const alive = (pid: number): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(before.filter(alive)).toEqual([]);
    const view = await server.client.endpoints.describe('churn');
    expect(view).toMatchObject({ status: 'InService', variants: [{ replicasUp: 1 }, { replicasUp: 2 }] });
    near((await server.client.endpoints.invoke('churn', rows[0]!, 'text/csv', 'green')).body, b[0]!);
    expect(flywheel(['endpoints', 'delete', 'wf']).code).toBe(0);
    expect((await server.client.endpoints.list()).map((e) => e.name)).toEqual(['churn']);
  });
});
