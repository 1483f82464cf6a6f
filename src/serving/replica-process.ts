/**
 * The router's handle on one replica process: spawns it, loads the model (the health check), sends batches and keeps
 * those in flight, so that when the process dies every one of them is failed (answered 503), never dropped.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type BatchAnswer, decodeAnswers } from './batch-frames.js';
import type { ModelSignature } from './model-loader.js';
import type { ResolvedModel } from './model-ref.js';
import {
  encodeFrame,
  type Frame,
  FrameKind,
  FrameReader,
  type ReplicaCapture,
  readSignature,
  writeFrame,
} from './replica-protocol.js';

/** Requests sent to a replica in one message; settled exactly once. */
export interface ReplicaBatch {
  /** The encoded requests (batch-frames.ts) and how many they are. */
  readonly requests: Buffer;
  readonly count: number;
  /** One answer per request, in order; `modelMs` is the batch's model call. */
  scored(answers: BatchAnswer[], modelMs: number): void;
  failed(reason: string): void;
}

export interface ReplicaOptions {
  model: ResolvedModel;
  /** `endpoint/variant`, for messages. */
  label: string;
  /** How long loading the model and the health check may take. */
  timeoutMs: number;
  capture: ReplicaCapture | null;
  onCaptureLost: (count: number, message: string) => void;
}

const REPLICA_ENTRY = fileURLToPath(new URL('./replica.js', import.meta.url));

/**
 * On Linux, replicas run under SCHED_BATCH (through util-linux's `chrt`, when it is there and allowed): a replica
 * woken by the router's pipe write then no longer preempts the router on its CPU. Measured on this project's 2-core
 * VM under single-row load: the router's pipe write took 49 µs of wall time on average (it lost its CPU to the
 * replica it woke), 6.6 µs with the replica batch-scheduled, and throughput rose 61-63k -> 68-73k requests/s. The
 * replica still gets its fair share of CPU; only the wake-up preemption goes.
 */
const BATCH_SCHEDULER = ((): string | null => {
  if (process.platform !== 'linux') return null;
  for (const chrt of ['/usr/bin/chrt', '/bin/chrt']) {
    if (spawnSync(chrt, ['--batch', '0', 'true'], { stdio: 'ignore' }).status === 0) return chrt;
  }
  return null;
})();

/** The replica's command line: node running replica.js, batch-scheduled where possible. */
const replicaCommand = (): [string, string[]] =>
  BATCH_SCHEDULER === null
    ? [process.execPath, [REPLICA_ENTRY]]
    : [BATCH_SCHEDULER, ['--batch', '0', process.execPath, REPLICA_ENTRY]];

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `was killed by signal ${signal}` : `exited with code ${code ?? 'unknown'}`;
}

export class Replica {
  readonly #child: ChildProcess;
  readonly #pipe: Socket;
  readonly #label: string;
  readonly #inFlight = new Map<number, ReplicaBatch>();
  /** When each batch in flight was sent (insertion order: the first is the oldest). */
  readonly #sentAt = new Map<number, number>();
  #nextId = 1;
  #exited = false;
  #onExit: (how: string) => void = () => {};
  #drained: (() => void)[] = [];
  /** Request bytes sent and not yet answered: the pool sends new work to the replica with the fewest. */
  bytesInFlight = 0;

  readonly #onCaptureLost: ReplicaOptions['onCaptureLost'];

  private constructor(child: ChildProcess, options: ReplicaOptions) {
    this.#child = child;
    this.#pipe = child.stdio[3] as Socket;
    this.#label = options.label;
    this.#onCaptureLost = options.onCaptureLost;
  }

  /**
   * Spawns a replica and loads `model`; resolves once it has scored a probe row, with the model's signature.
   * Rejects with the replica's own message when the model does not load, or when it is not up within `timeoutMs`.
   */
  static start(options: ReplicaOptions): Promise<{ replica: Replica; signature: ModelSignature }> {
    const { model, label, timeoutMs } = options;
    // No inherited execArgv: the server's --inspect or test-runner flags are not the replica's.
    const [command, args] = replicaCommand();
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'pipe'] });
    const replica = new Replica(child, options);
    return new Promise((resolve, reject) => {
      let started = false;
      const fail = (reason: string): void => {
        if (started) return;
        started = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`replica of ${label} (model ${model.ref}): ${reason}`));
      };
      const timer = setTimeout(() => fail(`not up after ${timeoutMs} ms`), timeoutMs);
      const reader = new FrameReader((frame) => {
        if (started) replica.#receive(frame);
        else if (frame.kind === FrameKind.LoadFailed) fail(frame.body.toString('utf8'));
        else if (frame.kind === FrameKind.Ready) {
          started = true;
          clearTimeout(timer);
          resolve({ replica, signature: readSignature(frame.body) });
        }
      });
      replica.#pipe.on('data', (chunk: Buffer) => reader.push(chunk));
      replica.#pipe.on('error', () => {}); // The process's exit answers for a broken pipe.
      child.on('error', () => {}); // A failed spawn or kill is followed by 'exit'.
      child.once('exit', (code, signal) => {
        fail(`${exitText(code, signal)} before loading the model`);
        replica.#gone(exitText(code, signal));
      });
      const load = { path: model.path, format: model.format, capture: options.capture };
      replica.#pipe.write(encodeFrame(FrameKind.Load, 0, 0, 0, JSON.stringify(load)));
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Batches sent and not yet answered. */
  get batchesInFlight(): number {
    return this.#inFlight.size;
  }

  get alive(): boolean {
    return !this.#exited;
  }

  /** How long the oldest batch in flight has waited for its answer (0 when none). */
  oldestBatchMs(now: number): number {
    for (const sentAt of this.#sentAt.values()) return now - sentAt;
    return 0;
  }

  /** Ends a replica that stopped answering: its batches fail (503) through the exit, and the pool replaces it. */
  kill(): void {
    this.#child.kill('SIGKILL');
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
    this.#sentAt.set(id, performance.now());
    this.bytesInFlight += batch.requests.length;
    // A write to a dying replica fails quietly; its exit then fails the batch.
    writeFrame(this.#pipe, FrameKind.Score, id, batch.count, 0, batch.requests);
  }

  /** Lets the replica finish what it holds, then closes its channel (it exits); SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const kill = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    if (this.#inFlight.size > 0) await Promise.race([exited, new Promise<void>((r) => this.#drained.push(r))]);
    this.#pipe.end(); // The replica exits when its pipe closes.
    await exited;
    clearTimeout(kill);
  }

  #receive(frame: Frame): void {
    if (frame.kind === FrameKind.CaptureLost) this.#onCaptureLost(frame.count, frame.body.toString('utf8'));
    if (frame.kind !== FrameKind.Scored && frame.kind !== FrameKind.ScoreFailed) return;
    const batch = this.#inFlight.get(frame.id);
    if (batch === undefined) return;
    this.#inFlight.delete(frame.id);
    this.#sentAt.delete(frame.id);
    this.bytesInFlight -= batch.requests.length;
    if (frame.kind === FrameKind.Scored) batch.scored(decodeAnswers(frame.body, batch.count), frame.ms);
    else batch.failed(`the replica failed to answer: ${frame.body.toString('utf8')}`);
    if (this.#inFlight.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
  }

  #gone(how: string): void {
    if (this.#exited) return;
    this.#exited = true;
    const reason = `the replica (pid ${this.pid}) of ${this.#label} ${how} while scoring`;
    for (const batch of this.#inFlight.values()) batch.failed(reason);
    this.#inFlight.clear();
    this.#sentAt.clear();
    this.bytesInFlight = 0;
    this.#onExit(how);
  }
}
