import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApi } from '../api/index.js';
import { DataDir } from '../data-dir/index.js';
import type { FastFront } from '../serving/index.js';
import { VERSION } from '../version/index.js';
import { type EndpointWiring, wireEndpoints, withInvocations } from './endpoints.js';
import { openLocalEngine } from './local-engine.js';

export interface ServerOptions {
  dataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** `postgres://...` to share a PostgreSQL database; default the data directory's SQLite file. */
  storeUrl?: string;
  /** Where task resources run user code (default: the current directory). */
  cwd?: string;
  /** How long an execution's lease lasts without renewal before another server takes it over (default 15 s). */
  leaseMs?: number;
  /** The largest invocation body an endpoint accepts (default 6 MB, as SageMaker). */
  maxInvocationBytes?: number;
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** `flywheel server`: store, engine with its workers and timers, and the REST API, in one process. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const dataDir = new DataDir(options.dataDir).ensure();
  const token = dataDir.token();
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const cwd = options.cwd ?? process.cwd();
  let endpoints!: EndpointWiring;
  const local = await openLocalEngine({
    storeUrl: options.storeUrl ?? dataDir.storePath,
    artifactsDir: dataDir.artifactsPath,
    cwd,
    owner: dataDir.nodeId(),
    log,
    ...(options.leaseMs !== undefined && { engine: { leaseMs: options.leaseMs } }),
    register: (engine, store, tracking) => {
      const max = options.maxInvocationBytes;
      endpoints = wireEndpoints({ engine, store, tracking, dataDir: dataDir.path, cwd, log, maxInvocationBytes: max });
    },
  });
  await endpoints.service.restore(); // Every endpoint the store holds serves again before the server listens.
  const app = createApi({
    engine: local.engine,
    tracking: local.services,
    endpoints: endpoints.service,
    token,
    version: VERSION,
  });
  let front!: FastFront;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const createServer = withInvocations(endpoints.listener);
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port, createServer }, () => resolve(s));
    front = endpoints.front(s as HttpServer); // before the first connection: serve() has only begun to listen
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host}:${address.port}`;
  endpoints.service.baseUrl = url;
  dataDir.writeServerInfo({ url, pid: process.pid, startedAt: new Date().toISOString() });
  let closing: Promise<void> | undefined;
  return {
    url,
    token,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Long polls (executions/:id/wait) would hold the close open for up to a minute.
        if ('closeAllConnections' in server) server.closeAllConnections();
        front.closeAll();
        await closed;
        await endpoints.service.close();
        await local.close();
        dataDir.clearServerInfo(process.pid);
      })();
      return closing;
    },
  };
}
