import { type ChildProcess, fork } from 'node:child_process';
import { TaskFailure } from '../engine/runtime/task-runner.js';
import { exitDescription, stopProcess } from './process-exit.js';
import { abortFailure, RunnerErrors } from './task-input.js';
import type { RunTaskMessage, WorkerMessage } from './worker-protocol.js';

export interface WorkerPoolOptions {
  /** The worker entry file to fork (function-worker.js). */
  workerPath: string;
  size: number;
  /** A worker is replaced after this many tasks. */
  maxTasksPerWorker: number;
  killGraceMs: number;
}

/** One task for the pool. `moduleVersion` (the file's mtime) lets a worker holding an older copy be replaced. */
export interface PoolTask {
  message: Omit<RunTaskMessage, 'type' | 'id'>;
  moduleVersion: number;
  /** "module.js#export" (or just the module), for causes. */
  label: string;
}

export type WorkerReply = Extract<WorkerMessage, { type: 'done' | 'failed' }>;

interface Job {
  id: number;
  task: PoolTask;
  signal: AbortSignal;
  onAbort: () => void;
  resolve: (reply: WorkerReply) => void;
  reject: (failure: Error) => void;
}

interface PoolWorker {
  child: ChildProcess;
  ready: boolean;
  job: Job | undefined;
  tasksRun: number;
  /** Module path -> the version this worker imported (imports are cached for the worker's life). */
  modules: Map<string, number>;
  /** Retired, aborted or closed: no longer takes tasks. */
  leaving: boolean;
  /** What the worker's running job rejects with when the worker was stopped on purpose. */
  leaveFailure: TaskFailure | undefined;
}

/**
 * Long-lived worker processes, one task at a time each, tasks queued while all are busy. Started at the first task
 * and then kept full: a worker that crashes, is aborted or retires is replaced at once.
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #workers = new Set<PoolWorker>();
  #queue: Job[] = [];
  #nextId = 1;
  #started = false;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  run(task: PoolTask, signal: AbortSignal): Promise<WorkerReply> {
    if (this.#closed) return Promise.reject(new Error('the function runner is closed: it runs no more tasks'));
    if (signal.aborted) return Promise.reject(abortFailure(signal));
    return new Promise<WorkerReply>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, task, signal, onAbort: () => this.#abort(job), resolve, reject };
      signal.addEventListener('abort', job.onAbort, { once: true });
      this.#queue.push(job);
      this.#started = true;
      this.#fill();
      this.#pump();
    });
  }

  /** Ends every worker; queued and running tasks fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const closed = new TaskFailure(RunnerErrors.TaskFailed, 'the function runner was closed before the task started');
    for (const job of this.#queue.splice(0)) settle(job).reject(closed);
    await Promise.all(
      [...this.#workers].map((worker) => {
        worker.leaving = true;
        worker.leaveFailure ??= new TaskFailure(RunnerErrors.TaskFailed, 'the function runner was closed');
        return stopProcess(worker.child, this.#options.killGraceMs);
      }),
    );
  }

  #fill(): void {
    if (this.#closed || !this.#started) return;
    let members = [...this.#workers].filter((worker) => !worker.leaving).length;
    for (; members < this.#options.size; members++) this.#spawn();
  }

  #pump(): void {
    for (const worker of this.#workers) {
      const job = this.#queue[0];
      if (job === undefined) return;
      if (!worker.ready || worker.leaving || worker.job !== undefined) continue;
      const loaded = worker.modules.get(job.task.message.modulePath);
      if (loaded !== undefined && loaded !== job.task.moduleVersion) {
        this.#retire(worker); // It holds an older copy of the module: a fresh worker imports the edited file.
        continue;
      }
      this.#queue.shift();
      worker.job = job;
      worker.tasksRun += 1;
      worker.modules.set(job.task.message.modulePath, job.task.moduleVersion);
      const message: RunTaskMessage = { type: 'run', id: job.id, ...job.task.message };
      worker.child.send(message, (error) => {
        if (error !== null) worker.child.kill('SIGKILL'); // The worker is dying; its exit fails the job.
      });
    }
  }

  #spawn(): void {
    // No inherited execArgv: the engine's --inspect or test-runner flags are not the worker's.
    const child = fork(this.#options.workerPath, [], { execArgv: [], serialization: 'json' });
    const worker: PoolWorker = {
      child,
      ready: false,
      job: undefined,
      tasksRun: 0,
      modules: new Map(),
      leaving: false,
      leaveFailure: undefined,
    };
    this.#workers.add(worker);
    child.on('message', (message: WorkerMessage) => this.#receive(worker, message));
    child.on('exit', (code, signal) => this.#gone(worker, exitDescription(code, signal)));
    child.on('error', (error) => {
      // A failed send or kill is followed by 'exit'; only a fork that never started needs handling here.
      if (child.pid === undefined) this.#gone(worker, `could not start (${error.message})`);
    });
  }

  #receive(worker: PoolWorker, message: WorkerMessage): void {
    if (message.type === 'ready') {
      worker.ready = true;
    } else {
      const job = worker.job;
      if (job === undefined || job.id !== message.id || worker.leaving) return;
      worker.job = undefined;
      settle(job).resolve(message);
      if (worker.tasksRun >= this.#options.maxTasksPerWorker) this.#retire(worker);
    }
    this.#pump();
  }

  #gone(worker: PoolWorker, how: string): void {
    if (!this.#workers.delete(worker)) return;
    const job = worker.job;
    if (job !== undefined) {
      const crashed = `the function worker (pid ${worker.child.pid}) ${how} while running ${job.task.label}`;
      settle(job).reject(worker.leaveFailure ?? new TaskFailure(RunnerErrors.TaskFailed, crashed));
    }
    if (!worker.ready && !worker.leaving && !this.#closed) {
      // Forking again would fail the same way: fail what waits; the next task tries again.
      const failure = `the function worker ${this.#options.workerPath} ${how} before it was ready; see the engine's stderr`;
      for (const queued of this.#queue.splice(0))
        settle(queued).reject(new TaskFailure(RunnerErrors.TaskFailed, failure));
      this.#started = false;
      return;
    }
    this.#fill();
    this.#pump();
  }

  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      settle(job).reject(abortFailure(job.signal));
      return;
    }
    const worker = [...this.#workers].find((candidate) => candidate.job === job);
    if (worker === undefined || worker.leaving) return;
    worker.leaving = true;
    worker.leaveFailure = abortFailure(job.signal);
    void stopProcess(worker.child, this.#options.killGraceMs);
    this.#fill();
  }

  /** Lets an idle worker end (it exits when its IPC channel closes) and starts its replacement. */
  #retire(worker: PoolWorker): void {
    worker.leaving = true;
    if (worker.child.connected) worker.child.disconnect();
    this.#fill();
  }
}

/** Detaches a job from its signal before it settles. */
function settle(job: Job): Job {
  job.signal.removeEventListener('abort', job.onAbort);
  return job;
}
