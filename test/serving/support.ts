/** Test-only: a serving host (SQLite store, endpoint service, the invocation listener on node:http) from the build. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Replicas are spawned from dist/serving/replica.js, so the service under test comes from the build (npm test builds).
export const serving = (await import(
  '../../dist/serving/index.js' as string
)) as typeof import('../../src/serving/index.js');
const stores = (await import('../../dist/store/index.js' as string)) as typeof import('../../src/store/index.js');

const FIXTURES = resolve(import.meta.dirname, '../../../shared/reference/xgboost-fixtures');
/** 100 trees of depth 6 over 19 features (f0..f18), binary:logistic. */
export const MODEL_A = join(FIXTURES, 'churnsize_3333x19_nt1.json');
/** 2 trees of depth 2 over the same 19 features. */
export const MODEL_B = join(FIXTURES, 'tiny_depth2_rounds2.json');

/** The first `n` test rows (features only) and what XGBoost predicts for them with models A and B. */
export function testRows(n: number): { rows: string[]; a: number[]; b: number[] } {
  const lines = readFileSync(join(FIXTURES, 'churnsize_3333x19_test.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1, n + 1);
  const preds = (file: string) => readFileSync(join(FIXTURES, file), 'utf8').trim().split('\n').slice(0, n).map(Number);
  return {
    rows: lines.map((l) => l.slice(l.indexOf(',') + 1)),
    a: preds('churnsize_3333x19_pred_test.txt'),
    b: preds('tiny_pred_test.txt'),
  };
}

export interface Host {
  url: string;
  dir: string;
  service: InstanceType<typeof serving.EndpointService>;
  invoke(name: string, body: string, type?: string, headers?: Record<string, string>): Promise<Response>;
  /** Stops serving (replicas too) but keeps the data folder, for a restart. */
  stop(): Promise<void>;
  /** stop() and removes the data folder. */
  close(): Promise<void>;
}

/** A host on a new (or, with `dir`, an existing) data folder; `restore` brings the stored endpoints back. */
export async function startHost(dir = mkdtempSync(join(tmpdir(), 'flywheel-serving-'))): Promise<Host> {
  const store = await stores.openSqliteStore(join(dir, 'flywheel.db'));
  const service = new serving.EndpointService({
    store: store.endpoints,
    cwd: dir,
    captureRoot: join(dir, 'capture'),
    replicaStartTimeoutMs: 20_000,
    stopGraceMs: 5_000,
    batchTimeoutMs: 1_500,
  });
  await service.restore();
  // As `flywheel server` wires it: the fast path first, node:http (the listener) for what it hands over.
  const maxBodyBytes = 256 * 1024;
  const invoke = serving.createInvoker({ endpoints: service, metrics: service.metrics });
  const listener = serving.createInvocationListener({
    endpoints: service,
    metrics: service.metrics,
    maxBodyBytes,
    invoke,
  });
  const server: Server = createServer((req, res) => {
    if (!listener(req, res)) res.writeHead(404).end();
  });
  const front = serving.attachFastFront(server, { invoke, maxBodyBytes });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service.baseUrl = url;
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    front.closeAll();
    await new Promise((r) => server.close(r));
    await service.close();
    await store.close();
  };
  return {
    url,
    dir,
    service,
    invoke: (name, body, type = 'text/csv', headers = {}) =>
      fetch(`${url}/endpoints/${name}/invocations`, {
        method: 'POST',
        headers: { 'content-type': type, ...headers },
        body,
      }),
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file into the host's folder and returns its path. */
export function file(host: Host, name: string, text: string): string {
  const path = join(host.dir, name);
  writeFileSync(path, text);
  return path;
}

/** The first prediction of a CSV answer. */
export const firstValue = async (response: Response): Promise<number> => Number((await response.text()).split('\n')[0]);
