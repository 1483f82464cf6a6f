import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  type ExecutionQuery,
  type ExecutionRecord,
  NotFound,
  type StateMachineRecord,
  type Store,
} from '../../store/index.js';
import { decide, initialState, type Json, type TimedEvent } from '../asl/index.js';
import { type Clock, systemClock } from './clock.js';
import { parseDefinition } from './definitions.js';
import { InvalidTaskToken } from './errors.js';
import { type ActorHost, ExecutionActor } from './execution-actor.js';
import { decodeEvent, encodeEvent, foldHistory } from './history-codec.js';
import { type Signal, toCommand } from './signals.js';
import type { TaskRunner } from './task-runner.js';
import { parseTaskToken } from './task-token.js';

export interface EngineOptions {
  store: Store;
  /** Task resources by name (e.g. 'flywheel:command'). More can be added with `registerRunner`. */
  runners?: Record<string, TaskRunner>;
  clock?: Clock;
  /** This process's lease-holder id. Stable per data directory, so a restarted server resumes its own executions at once. */
  owner?: string;
  /** How long a lease lasts without renewal (default 15 s); another process takes over after that. */
  leaseMs?: number;
  /** How often to look for signals from other processes and for orphaned executions (default 250 ms). */
  pollMs?: number;
  /** Working directory for task resources that run user code. */
  cwd?: string;
  random?: () => number;
  log?: (message: string) => void;
}

export interface StartExecutionRequest {
  stateMachineName: string;
  input?: Json;
  name?: string;
  parentId?: string;
}

/**
 * The durable workflow engine of one process: it runs the executions whose lease it holds, takes over executions
 * whose holder died, and serves the state-machine and execution operations the API and the CLI call.
 */
export class Engine {
  readonly store: Store;
  readonly clock: Clock;
  readonly owner: string;
  private readonly runners = new Map<string, TaskRunner>();
  private readonly actors = new Map<string, ExecutionActor>();
  private readonly waiters = new Map<string, Set<(record: ExecutionRecord) => void>>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly host: ActorHost;
  private readonly log: (message: string) => void;
  private loops: NodeJS.Timeout[] = [];
  private polling = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.owner = options.owner ?? `engine-${randomBytes(6).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollMs = options.pollMs ?? 250;
    this.log = options.log ?? (() => {});
    for (const [name, runner] of Object.entries(options.runners ?? {})) this.registerRunner(name, runner);
    const random = options.random ?? Math.random;
    this.host = {
      store: this.store,
      clock: this.clock,
      owner: this.owner,
      cwd: options.cwd,
      runner: (resource) => this.runners.get(resource),
      random,
      hash: (algorithm, data) => createHash(algorithm.replace('-', '').toLowerCase()).update(data).digest('hex'),
      finished: (actor) => this.finished(actor),
      broken: (actor, error) => {
        this.log(`execution ${actor.id}: could not store its history (${(error as Error).message}); reloading`);
        this.actors.delete(actor.id);
        setTimeout(() => void this.adopt(actor.id).catch(() => {}), 1000).unref();
      },
    };
  }

  registerRunner(resource: string, runner: TaskRunner): void {
    this.runners.set(resource, runner);
  }

  get resources(): ReadonlySet<string> {
    return new Set(this.runners.keys());
  }

  /** Resumes every unfinished execution this process may own, then keeps leases and signals moving. */
  async start(): Promise<void> {
    // Leases still held under this owner id belong to a previous life of this node (killed before it could hand
    // them back): free them so they are claimed, and resumed, at once instead of after they expire.
    await this.store.releaseLeases(this.owner);
    await this.claimOrphans();
    this.loops.push(
      setInterval(
        () => void this.renew().catch((e: Error) => this.log(`lease renewal failed: ${e.message}`)),
        this.leaseMs / 3,
      ),
    );
    this.loops.push(
      setInterval(
        () => void this.poll().catch((e: Error) => this.log(`signal poll failed: ${e.message}`)),
        this.pollMs,
      ),
    );
    for (const loop of this.loops) loop.unref();
  }

  /** Stops in-process work without recording anything and hands the leases back so another process can resume. */
  async close(): Promise<void> {
    for (const loop of this.loops) clearInterval(loop);
    this.loops = [];
    for (const actor of this.actors.values()) actor.close();
    this.actors.clear();
    await this.store.releaseLeases(this.owner);
  }

  get runningExecutions(): number {
    return this.actors.size;
  }

  /** Resolves once no execution of this process has commands to decide or events to store (tests, shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (![...this.actors.values()].some((a) => a.busy)) return;
    }
  }

  // ---- state machines ----

  async createStateMachine(name: string, definition: string): Promise<StateMachineRecord> {
    parseDefinition(definition, this.resources);
    return this.store.createStateMachine(name, definition, this.clock.now());
  }

  async updateStateMachine(name: string, definition: string): Promise<StateMachineRecord> {
    parseDefinition(definition, this.resources);
    return this.store.updateStateMachine(name, definition, this.clock.now());
  }

  // ---- executions ----

  async startExecution(request: StartExecutionRequest): Promise<ExecutionRecord> {
    const machine = await this.store.getStateMachine(request.stateMachineName);
    if (!machine) throw new NotFound(`state machine "${request.stateMachineName}"`);
    const definition = parseDefinition(machine.definition, this.resources);
    const id = randomUUID();
    const now = this.clock.now();
    const input = request.input ?? {};
    const record: ExecutionRecord = {
      id,
      name: request.name ?? id,
      stateMachineName: machine.name,
      stateMachineVersion: machine.version,
      definition: machine.definition,
      input: JSON.stringify(input),
      status: 'RUNNING',
      output: null,
      error: null,
      cause: null,
      startedAt: now,
      stoppedAt: null,
      parentId: request.parentId ?? null,
      owner: this.owner,
      leaseUntil: now + this.leaseMs,
      lastSeq: 0,
    };
    const state = initialState(definition);
    const actor = new ExecutionActor(this.host, record, state);
    const { events } = decide(state, { kind: 'start', input }, actor.env());
    const stored = await this.store.createExecution(
      { ...record, owner: this.owner, leaseUntil: now + this.leaseMs },
      events.map(encodeEvent),
    );
    actor.markStored();
    this.actors.set(id, actor);
    actor.carryOut(events);
    actor.enqueue({ kind: 'continue' });
    return stored;
  }

  async describeExecution(id: string): Promise<ExecutionRecord> {
    const record = await this.store.getExecution(id);
    if (!record) throw new NotFound(`execution "${id}"`);
    return record;
  }

  listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]> {
    return this.store.listExecutions(query);
  }

  async history(id: string): Promise<TimedEvent[]> {
    await this.describeExecution(id);
    return (await this.store.readHistory(id)).map(decodeEvent);
  }

  async stopExecution(id: string, error = 'States.Aborted', cause = 'stopped by request'): Promise<ExecutionRecord> {
    const record = await this.describeExecution(id);
    if (record.status !== 'RUNNING') return record;
    await this.deliver(id, { kind: 'stop', error, cause });
    return this.waitForExecution(id, 10_000).catch(() => this.describeExecution(id));
  }

  sendTaskSuccess(token: string, output: Json): Promise<void> {
    return this.callback({ kind: 'taskSuccess', token, output });
  }

  sendTaskFailure(token: string, error = 'States.TaskFailed', cause = ''): Promise<void> {
    return this.callback({ kind: 'taskFailure', token, error, cause });
  }

  sendTaskHeartbeat(token: string): Promise<void> {
    return this.callback({ kind: 'taskHeartbeat', token });
  }

  /** Resolves with the execution once it has ended; rejects after `timeoutMs` if given. */
  waitForExecution(id: string, timeoutMs?: number): Promise<ExecutionRecord> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let poller: NodeJS.Timeout | undefined;
      const waiters = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, waiters);
      const done = (record: ExecutionRecord): void => {
        waiters.delete(done);
        if (timer) clearTimeout(timer);
        if (poller) clearInterval(poller);
        resolve(record);
      };
      waiters.add(done);
      const check = (): void => {
        if (this.actors.has(id)) return;
        this.store.getExecution(id).then((record) => {
          if (!record) {
            waiters.delete(done);
            if (poller) clearInterval(poller);
            reject(new NotFound(`execution "${id}"`));
          } else if (record.status !== 'RUNNING') done(record);
        }, reject);
      };
      check();
      poller = setInterval(check, Math.max(this.pollMs, 100));
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          waiters.delete(done);
          clearInterval(poller);
          reject(new Error(`execution ${id} did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
      }
    });
  }

  // ---- internals ----

  private finished(actor: ExecutionActor): void {
    this.actors.delete(actor.id);
    const waiters = this.waiters.get(actor.id);
    if (!waiters || waiters.size === 0) return;
    this.waiters.delete(actor.id);
    this.store.getExecution(actor.id).then((record) => {
      if (record) for (const w of waiters) w(record);
    }, this.log);
  }

  private async callback(signal: Extract<Signal, { token: string }>): Promise<void> {
    const parsed = parseTaskToken(signal.token);
    if (!parsed) throw new InvalidTaskToken('InvalidToken', 'the task token is not one Flywheel issued');
    const record = await this.store.getExecution(parsed.executionId);
    if (!record) throw new InvalidTaskToken('InvalidToken', 'the task token names an execution that does not exist');
    if (record.status !== 'RUNNING')
      throw new InvalidTaskToken('TaskTimedOut', `Task Timed Out: the execution is ${record.status}`);
    const actor = this.actors.get(record.id);
    const state = actor
      ? actor.state
      : foldHistory(JSON.parse(record.definition), await this.store.readHistory(record.id));
    const task = state.tasks.get(parsed.taskId);
    if (!task || task.token !== signal.token) {
      throw new InvalidTaskToken('TaskTimedOut', 'Task Timed Out: the task does not exist anymore');
    }
    await this.deliver(record.id, signal);
  }

  /** Hands a signal to the local actor, or queues it in the store for the process that owns the execution. */
  private async deliver(executionId: string, signal: Signal): Promise<void> {
    const actor = this.actors.get(executionId);
    if (!actor) {
      await this.store.addSignal(executionId, signal.kind, JSON.stringify(signal), this.clock.now());
      return;
    }
    actor.enqueue(toCommand(signal, actor));
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const signal of await this.store.takeSignals(this.owner, 100)) {
        const actor = this.actors.get(signal.executionId);
        if (actor) actor.enqueue(toCommand(JSON.parse(signal.body) as Signal, actor));
      }
    } finally {
      this.polling = false;
    }
  }

  private async renew(): Promise<void> {
    await this.store.renewLeases(this.owner, this.clock.now() + this.leaseMs);
    await this.claimOrphans();
  }

  private async claimOrphans(): Promise<void> {
    const now = this.clock.now();
    const claimed = await this.store.claimExecutions(this.owner, now, now + this.leaseMs, 100);
    for (const record of claimed) {
      if (!this.actors.has(record.id)) await this.adopt(record.id);
    }
  }

  /** Rebuilds an execution from its history and carries on where it stopped. */
  private async adopt(id: string): Promise<void> {
    const record = await this.store.getExecution(id);
    if (record?.status !== 'RUNNING' || record.owner !== this.owner || this.actors.has(id)) return;
    const state = foldHistory(JSON.parse(record.definition), await this.store.readHistory(id));
    const actor = new ExecutionActor(this.host, record, state);
    this.actors.set(id, actor);
    this.log(`resuming execution ${id} (${record.stateMachineName}) from ${state.eventCount} events`);
    actor.resume();
  }
}
