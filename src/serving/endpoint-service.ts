/**
 * The control plane of model endpoints, in the server process: create, update, describe, list, delete, and bringing
 * every endpoint back on start. The store holds the truth (status, config, failure reason); this process holds the
 * routing tables that serve. Bring-ups and updates run in the background; describe and `waitUntilSettled` follow them.
 */
import { EventEmitter } from 'node:events';
import { AlreadyExists, type EndpointRecord, type EndpointStore, NotFound } from '../store/index.js';
import { checkName, type EndpointConfig } from './config.js';
import { type EndpointView, endpointView, readStoredConfig, storedConfig } from './endpoint-view.js';
import { EndpointError, EndpointErrors } from './errors.js';
import type { EndpointRoutes } from './invoker.js';
import { MetricsRegistry, type VariantWindows } from './metrics-registry.js';
import { type ModelResolver, type ResolvedModel, resolveModelRef } from './model-ref.js';
import { RoutingTable } from './routing-table.js';

export interface EndpointServiceOptions {
  store: EndpointStore;
  /** Relative model paths are resolved against this folder. */
  cwd: string;
  /** Capture files go under `<captureRoot>/<endpoint>/<variant>/yyyy/mm/dd/hh/`. */
  captureRoot: string;
  /** Resolves `group:version` model references; without it only model files can be served. */
  resolver?: ModelResolver;
  metrics?: MetricsRegistry;
  log?: (message: string) => void;
  clock?: () => number;
  /** How long a replica may take to load its model and answer its health check (default 30 s). */
  replicaStartTimeoutMs?: number;
  /** How long draining replicas may take to answer what they hold (default 10 s). */
  stopGraceMs?: number;
  /** A replica holding a batch this long without answering is killed and replaced (default 60 s). */
  batchTimeoutMs?: number;
}

/** An endpoint this process serves: its record, the routing table once up, whether a create or update runs. */
interface Entry {
  record: EndpointRecord;
  table: RoutingTable | null;
  busy: boolean;
  deleted: boolean;
}

const SETTLED = new Set(['InService', 'Failed']);
const INTERRUPTED = 'an update was interrupted by a server restart; the previous config serves';

export class EndpointService implements EndpointRoutes {
  readonly metrics: MetricsRegistry;
  /** The server's URL, for `invocationUrl`; set once it listens. */
  baseUrl = 'http://127.0.0.1:7070';
  readonly #o: EndpointServiceOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #changes = new EventEmitter().setMaxListeners(0);
  readonly #log: (message: string) => void;
  readonly #clock: () => number;

  constructor(options: EndpointServiceOptions) {
    this.#o = options;
    this.metrics = options.metrics ?? new MetricsRegistry();
    this.#log = options.log ?? (() => {});
    this.#clock = options.clock ?? Date.now;
  }

  /** Brings back every endpoint the store holds (on server start); resolves once each is up or Failed. */
  async restore(): Promise<void> {
    const records = await this.#o.store.listEndpoints();
    await Promise.all(
      records.map(async (record) => {
        if (record.status === 'Deleting') return this.#o.store.deleteEndpoint(record.name).catch(() => {});
        const entry: Entry = { record, table: null, busy: record.status !== 'Failed', deleted: false };
        this.#entries.set(record.name, entry);
        if (record.status === 'Failed') return;
        const interrupted = record.status === 'Updating' || record.status === 'RollingBack';
        const { config, models } = readStoredConfig(record.config);
        const reason = interrupted ? INTERRUPTED : record.failureReason;
        await this.#bringUp(entry, config, models, reason).catch((error: Error) =>
          this.#log(`endpoint ${record.name}: ${error.message}`),
        );
      }),
    );
  }

  /** Stores the endpoint as Creating and brings it up in the background. */
  async create(name: string, config: EndpointConfig): Promise<EndpointView> {
    checkName(name, 'endpoint', 'name');
    const models = await this.#resolve(config);
    const now = this.#clock();
    const text = JSON.stringify(storedConfig(config, models));
    const record: EndpointRecord = {
      name,
      status: 'Creating',
      config: text,
      pendingConfig: null,
      failureReason: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.#o.store.createEndpoint(record);
    } catch (error) {
      if (error instanceof AlreadyExists)
        throw new EndpointError(EndpointErrors.AlreadyExists, `endpoint "${name}" already exists`);
      throw error;
    }
    const entry: Entry = { record, table: null, busy: true, deleted: false };
    this.#entries.set(name, entry);
    this.#background(name, this.#bringUp(entry, config, models, null));
    return this.#view(entry);
  }

  /**
   * Rolls out a new config: the new variants start and pass their health checks while the old ones serve, then one
   * swap moves the traffic and the old replicas drain. On failure the old config keeps serving (InService, with the
   * failure reason). Throws `Endpoint.Updating` while another create or update of the endpoint runs.
   */
  async update(name: string, config: EndpointConfig): Promise<EndpointView> {
    const entry = this.#entry(name);
    this.#checkIdle(entry);
    const models = await this.#resolve(config);
    this.#checkIdle(entry);
    entry.busy = true;
    const pending = JSON.stringify(storedConfig(config, models));
    await this.#save(entry, { status: 'Updating', pendingConfig: pending, failureReason: null });
    this.#background(name, this.#rollOut(entry, config, models, pending));
    return this.#view(entry);
  }

  async describe(name: string): Promise<EndpointView> {
    return this.#view(this.#entry(name));
  }

  async list(): Promise<EndpointView[]> {
    return [...this.#entries.values()]
      .filter((e) => !e.deleted)
      .sort((a, b) => a.record.name.localeCompare(b.record.name))
      .map((e) => this.#view(e));
  }

  /** Stops serving (in-flight requests are answered), then removes the endpoint. */
  async delete(name: string): Promise<void> {
    const entry = this.#entry(name);
    entry.deleted = true;
    await this.#save(entry, { status: 'Deleting' }, true);
    const table = entry.table;
    entry.table = null;
    await table?.stop();
    await this.#o.store.deleteEndpoint(name).catch((error: unknown) => {
      if (!(error instanceof NotFound)) throw error;
    });
    this.#entries.delete(name);
    this.metrics.dropEndpoint(name);
    this.#changes.emit(name);
  }

  /** Resolves once the endpoint is InService or Failed with nothing running, or at `timeoutMs` as it is then. */
  async waitUntilSettled(name: string, timeoutMs: number, signal?: AbortSignal): Promise<EndpointView> {
    const deadline = this.#clock() + timeoutMs;
    for (;;) {
      const entry = this.#entry(name);
      const left = deadline - this.#clock();
      if ((SETTLED.has(entry.record.status) && !entry.busy) || left <= 0 || signal?.aborted) return this.#view(entry);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#changes.off(name, done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.#changes.on(name, done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Recent invocation metrics of every variant of the endpoint (NotFound for an unknown one). */
  windows(name: string): VariantWindows[] {
    return this.#entry(name) && this.metrics.windows(name);
  }

  route(name: string): { status: EndpointRecord['status']; table: RoutingTable | null } | undefined {
    const entry = this.#entries.get(name);
    return entry && { status: entry.record.status, table: entry.table };
  }

  /** Stops every replica; the store keeps the endpoints InService, so the next start brings them back. */
  async close(): Promise<void> {
    const tables = [...this.#entries.values()].map((e) => e.table);
    for (const entry of this.#entries.values()) entry.deleted = true;
    this.#entries.clear();
    await Promise.all(tables.map((t) => t?.stop()));
  }

  /** A bring-up or roll-out runs on its own; a store failure while it records its outcome is logged. */
  #background(name: string, work: Promise<void>): void {
    work.catch((error: unknown) =>
      this.#log(`endpoint ${name}: cannot record the outcome: ${(error as Error).message}`),
    );
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (entry === undefined || entry.deleted)
      throw new EndpointError(EndpointErrors.NotFound, `endpoint "${name}" does not exist`);
    return entry;
  }

  #checkIdle(entry: Entry): void {
    if (entry.busy || !SETTLED.has(entry.record.status)) {
      throw new EndpointError(
        EndpointErrors.Updating,
        `endpoint "${entry.record.name}" is ${entry.record.status}; wait until it is InService or Failed`,
      );
    }
  }

  #view(entry: Entry): EndpointView {
    return endpointView(entry.record, entry.table, this.baseUrl);
  }

  async #resolve(config: EndpointConfig): Promise<ResolvedModel[]> {
    const options = { cwd: this.#o.cwd, resolver: this.#o.resolver };
    return Promise.all(config.variants.map((v) => resolveModelRef(v.model, options)));
  }

  /** Persists a change of the endpoint (skipped once it is being deleted, unless `force`). */
  async #save(entry: Entry, change: Partial<EndpointRecord>, force = false): Promise<void> {
    if (entry.deleted && !force) return;
    entry.record = { ...entry.record, ...change, updatedAt: this.#clock() };
    await this.#o.store.saveEndpoint(entry.record);
    this.#changes.emit(entry.record.name);
  }

  /** Starts every variant of `config` (see RoutingTable.start). */
  #start(
    name: string,
    config: EndpointConfig,
    models: ResolvedModel[],
    onFailure?: () => Promise<void>,
  ): Promise<RoutingTable> {
    return RoutingTable.start({
      endpoint: name,
      config,
      models,
      captureRoot: this.#o.captureRoot,
      metrics: this.metrics,
      startTimeoutMs: this.#o.replicaStartTimeoutMs ?? 30_000,
      stopGraceMs: this.#o.stopGraceMs ?? 10_000,
      batchTimeoutMs: this.#o.batchTimeoutMs ?? 60_000,
      log: this.#log,
      ...(onFailure !== undefined && { onFailure }),
    });
  }

  /** Makes `table` the one that serves (one assignment: the swap) and points the replica gauges at it. */
  #install(entry: Entry, table: RoutingTable): RoutingTable | null {
    const old = entry.table;
    entry.table = table;
    for (const v of table.variants) v.metrics.replicasUp = () => v.pool.replicasUp;
    return old;
  }

  async #bringUp(entry: Entry, config: EndpointConfig, models: ResolvedModel[], reason: string | null): Promise<void> {
    const name = entry.record.name;
    try {
      const table = await this.#start(name, config, models);
      if (entry.deleted) return void (await table.stop());
      this.#install(entry, table);
      await this.#save(entry, { status: 'InService', pendingConfig: null, failureReason: reason });
    } catch (error) {
      this.#log(`endpoint ${name}: ${(error as Error).message}`);
      await this.#save(entry, { status: 'Failed', pendingConfig: null, failureReason: (error as Error).message });
    } finally {
      entry.busy = false;
      this.#changes.emit(name);
    }
  }

  async #rollOut(entry: Entry, config: EndpointConfig, models: ResolvedModel[], pending: string): Promise<void> {
    const name = entry.record.name;
    try {
      const table = await this.#start(name, config, models, () => this.#save(entry, { status: 'RollingBack' }));
      if (entry.deleted) return void (await table.stop());
      const old = this.#install(entry, table);
      await this.#save(entry, { status: 'InService', config: pending, pendingConfig: null, failureReason: null });
      await old?.stop();
    } catch (error) {
      const message = (error as Error).message;
      this.#log(`endpoint ${name}: update failed: ${message}`);
      const serving = entry.table !== null;
      await this.#save(entry, {
        status: serving ? 'InService' : 'Failed',
        pendingConfig: null,
        failureReason: `update failed: ${message}${serving ? '; the previous config still serves' : ''}`,
      });
    } finally {
      entry.busy = false;
      this.#changes.emit(name);
    }
  }
}
