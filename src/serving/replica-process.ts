/**
 * The router's handle on one replica process: forks it, loads the model (the health check), sends batches and keeps
 * those in flight, so that when the process dies every one of them is failed (answered 503), never dropped.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ModelSignature } from './model-loader.js';
import type { ResolvedModel } from './model-ref.js';
import { decodeFloat64, encodeArray, type FromReplica, type ToReplica } from './replica-protocol.js';

/** Rows sent to a replica in one message; settled exactly once. */
export interface ReplicaBatch {
  readonly rows: Float32Array;
  readonly nRows: number;
  scored(values: Float64Array, modelMs: number): void;
  failed(reason: string): void;
}

const REPLICA_ENTRY = fileURLToPath(new URL('./replica.js', import.meta.url));

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `was killed by signal ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

export class Replica {
  readonly #child: ChildProcess;
  readonly #label: string;
  readonly #inFlight = new Map<number, ReplicaBatch>();
  #nextId = 1;
  #exited = false;
  #onExit: (how: string) => void = () => {};
  /** Rows sent and not yet answered: the pool sends new work to the replica with the fewest. */
  rowsInFlight = 0;

  private constructor(child: ChildProcess, label: string) {
    this.#child = child;
    this.#label = label;
  }

  /**
   * Forks a replica and loads `model`; resolves once it has scored a probe row, with the model's signature.
   * Rejects with the replica's own message when the model does not load, or when it is not up within `timeoutMs`.
   */
  static start(model: ResolvedModel, label: string, timeoutMs: number): Promise<{ replica: Replica; signature: ModelSignature }> {
    // No inherited execArgv: the server's --inspect or test-runner flags are not the replica's.
    const child = fork(REPLICA_ENTRY, [], { execArgv: [], serialization: 'json', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const replica = new Replica(child, label);
    return new Promise((resolve, reject) => {
      const fail = (reason: string): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`replica of ${label} (model ${model.ref}): ${reason}`));
      };
      const timer = setTimeout(() => fail(`not up after ${timeoutMs} ms`), timeoutMs);
      const onStartMessage = (message: FromReplica): void => {
        if (message.type === 'loadFailed') fail(message.message);
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onStartMessage);
        child.off('exit', onStartExit);
        child.on('message', (m: FromReplica) => replica.#receive(m));
        child.on('exit', (code, signal) => replica.#gone(exitText(code, signal)));
        resolve({ replica, signature: message.signature });
      };
      const onStartExit = (code: number | null, signal: NodeJS.Signals | null): void =>
        fail(`${exitText(code, signal)} before loading the model`);
      child.on('message', onStartMessage);
      child.once('exit', onStartExit);
      child.on('error', () => {}); // A failed send or kill is followed by 'exit', which answers for it.
      child.send({ type: 'load', path: model.path, format: model.format } satisfies ToReplica);
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get alive(): boolean {
    return !this.#exited;
  }

  /** Called once when the process has exited, after its batches in flight were failed. */
  onExit(handler: (how: string) => void): void {
    this.#onExit = handler;
  }

  send(batch: ReplicaBatch): void {
    if (this.#exited) {
      batch.failed(`the replica (pid ${this.pid}) of ${this.#label} has exited`);
      return;
    }
    const id = this.#nextId++;
    this.#inFlight.set(id, batch);
    this.rowsInFlight += batch.nRows;
    const message: ToReplica = { type: 'score', id, nRows: batch.nRows, rows: encodeArray(batch.rows) };
    this.#child.send(message, (error) => {
      if (error !== null) this.#child.kill('SIGKILL'); // Dying: its exit fails the batch.
    });
  }

  /** Lets the replica finish what it holds, then closes its channel (it exits); SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const deadline = Date.now() + graceMs;
    while (this.#inFlight.size > 0 && !this.#exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (this.#exited) return;
    const kill = setTimeout(() => this.#child.kill('SIGKILL'), Math.max(0, deadline - Date.now()));
    if (this.#child.connected) this.#child.disconnect();
    else this.#child.kill('SIGKILL');
    await exited;
    clearTimeout(kill);
  }

  #receive(message: FromReplica): void {
    if (message.type !== 'scored' && message.type !== 'scoreFailed') return;
    const batch = this.#inFlight.get(message.id);
    if (batch === undefined) return;
    this.#inFlight.delete(message.id);
    this.rowsInFlight -= batch.nRows;
    if (message.type === 'scored') batch.scored(decodeFloat64(message.values), message.ms);
    else batch.failed(`the model failed to score: ${message.message}`);
  }

  #gone(how: string): void {
    this.#exited = true;
    const reason = `the replica (pid ${this.pid}) of ${this.#label} ${how} while scoring`;
    for (const batch of this.#inFlight.values()) batch.failed(reason);
    this.#inFlight.clear();
    this.rowsInFlight = 0;
    this.#onExit(how);
  }
}
