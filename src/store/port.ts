/**
 * The store port: everything Flywheel keeps durably goes through this interface. Two implementations exist
 * (SQLite for the embedded default, PostgreSQL for several processes or machines) and both must pass the same
 * contract suite (`describeStore`). Services depend on this file, never on an implementation.
 */
import type { EndpointStore } from './endpoints-port.js';
import type { RegistryStore } from './registry-port.js';
import type { TrackingStore } from './tracking-port.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StateMachineRecord {
  name: string;
  /** The definition as JSON text, exactly as the user gave it. */
  definition: string;
  /** Starts at 1; each update adds one. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface ExecutionRecord {
  id: string;
  /** Unique per state machine. */
  name: string;
  stateMachineName: string;
  stateMachineVersion: number;
  /** The definition this execution runs, frozen at start (JSON text). */
  definition: string;
  /** JSON text. */
  input: string;
  status: ExecutionStatus;
  /** JSON text, when SUCCEEDED. */
  output: string | null;
  error: string | null;
  cause: string | null;
  startedAt: number;
  stoppedAt: number | null;
  /** Id of the execution that started this one (nested executions), if any. */
  parentId: string | null;
  /** Process that holds the lease, or null when nobody does. */
  owner: string | null;
  leaseUntil: number | null;
  /** Sequence number of the last history event (0 before any). */
  lastSeq: number;
}

/** One entry of an execution's history. `seq` starts at 1 and has no gaps. */
export interface HistoryEvent {
  seq: number;
  /** Event type, e.g. 'ExecutionStarted', 'TaskScheduled'. */
  type: string;
  timestamp: number;
  /** JSON text of the event body. */
  body: string;
}

export type NewHistoryEvent = Omit<HistoryEvent, 'seq'>;

export interface NewExecution {
  id: string;
  name: string;
  stateMachineName: string;
  stateMachineVersion: number;
  definition: string;
  input: string;
  startedAt: number;
  parentId: string | null;
  owner: string;
  leaseUntil: number;
}

/** Set together with an append when the execution ends. */
export interface ExecutionOutcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output: string | null;
  error: string | null;
  cause: string | null;
  stoppedAt: number;
}

export interface ExecutionQuery {
  stateMachineName?: string;
  status?: ExecutionStatus;
  /** Newest first; at most this many (default 100). */
  limit?: number;
  /** Only executions started strictly before this (for paging, newest first). */
  startedBefore?: number;
}

/** A message for the owner of an execution: a task callback or a stop request from any process. */
export interface Signal {
  id: number;
  executionId: string;
  kind: string;
  /** JSON text. */
  body: string;
  createdAt: number;
}

/** Raised when an append found a different last sequence number or a different lease owner. */
export class ConcurrencyConflict extends Error {
  constructor(executionId: string, detail: string) {
    super(`execution ${executionId}: ${detail}`);
    this.name = 'ConcurrencyConflict';
  }
}

/** Raised when a name that must be unique is taken. */
export class AlreadyExists extends Error {
  constructor(what: string) {
    super(`${what} already exists`);
    this.name = 'AlreadyExists';
  }
}

/** Raised when a record that must exist does not. */
export class NotFound extends Error {
  constructor(what: string) {
    super(`${what} does not exist`);
    this.name = 'NotFound';
  }
}

/** Raised when a record is not in a state that allows the change (a rejected model version, an ended run). */
export class InvalidState extends Error {
  constructor(what: string, detail: string) {
    super(`${what}: ${detail}`);
    this.name = 'InvalidState';
  }
}

export interface Store {
  /** 'sqlite' or 'postgres', for messages and benchmarks. */
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;

  /** Experiments, runs, metrics and lineage (tracking-port.ts), on the same database and connection. */
  readonly tracking: TrackingStore;
  /** Model groups, versions, approvals, aliases and their events (registry-port.ts). */
  readonly registry: RegistryStore;
  /** Model endpoints: status, config and failure reason (endpoints-port.ts). */
  readonly endpoints: EndpointStore;

  /** Throws AlreadyExists. */
  createStateMachine(name: string, definition: string, now: number): Promise<StateMachineRecord>;
  /** Replaces the definition and adds one to the version. Throws NotFound. */
  updateStateMachine(name: string, definition: string, now: number): Promise<StateMachineRecord>;
  getStateMachine(name: string): Promise<StateMachineRecord | undefined>;
  listStateMachines(): Promise<StateMachineRecord[]>;
  /** Throws NotFound for an unknown name. Its executions stay readable; the name can be created again (version 1). */
  deleteStateMachine(name: string): Promise<void>;

  /**
   * Creates a RUNNING execution owned by `owner` and writes its first events (seq 1..n) in one transaction.
   * Throws AlreadyExists when the state machine already has an execution of that name.
   */
  createExecution(execution: NewExecution, events: NewHistoryEvent[]): Promise<ExecutionRecord>;
  getExecution(id: string): Promise<ExecutionRecord | undefined>;
  findExecutionByName(stateMachineName: string, name: string): Promise<ExecutionRecord | undefined>;
  listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]>;

  /**
   * Appends events after `expectedLastSeq` in one transaction, only while `owner` holds the execution's lease.
   * With `outcome`, also ends the execution (status, output or error, stoppedAt) and releases the lease.
   * Throws ConcurrencyConflict when the last sequence number or the owner differs, NotFound for an unknown execution;
   * nothing is written then.
   */
  appendEvents(
    executionId: string,
    owner: string,
    expectedLastSeq: number,
    events: NewHistoryEvent[],
    outcome?: ExecutionOutcome,
  ): Promise<void>;
  /** Events with seq > afterSeq (default 0), in order. */
  readHistory(executionId: string, afterSeq?: number): Promise<HistoryEvent[]>;

  /**
   * Takes the lease of up to `limit` RUNNING executions whose lease is free or expired at `now` (including `owner`'s
   * own expired ones), setting it to `leaseUntil`, and returns them. Live leases, `owner`'s own included, are left alone.
   */
  claimExecutions(owner: string, now: number, leaseUntil: number, limit: number): Promise<ExecutionRecord[]>;
  /** Extends every lease `owner` holds on RUNNING executions to `leaseUntil`; returns how many. */
  renewLeases(owner: string, leaseUntil: number): Promise<number>;
  /** Gives up the lease on every RUNNING execution `owner` holds (clean shutdown). */
  releaseLeases(owner: string): Promise<void>;

  /** Queues a signal for whoever owns the execution. Throws NotFound for an unknown execution. */
  addSignal(executionId: string, kind: string, body: string, now: number): Promise<void>;
  /** Removes and returns the signals of RUNNING executions that `owner` holds, oldest first. */
  takeSignals(owner: string, limit: number): Promise<Signal[]>;
}
