import { ConcurrencyConflict, type ExecutionOutcome, type ExecutionRecord, type Store } from '../../store/index.js';
import {
  type Command,
  type DecideEnv,
  decide,
  type ExecutionState,
  type Json,
  type OpenTask,
  type TimedEvent,
} from '../asl/index.js';
import type { Clock, TimerHandle } from './clock.js';
import { encodeEvent } from './history-codec.js';
import { TaskFailure, type TaskRunner } from './task-runner.js';
import { mintTaskToken } from './task-token.js';

/** What an actor needs from the engine that hosts it. */
export interface ActorHost {
  store: Store;
  clock: Clock;
  owner: string;
  cwd: string | undefined;
  runner(resource: string): TaskRunner | undefined;
  random(): number;
  hash(algorithm: string, data: string): string;
  finished(actor: ExecutionActor): void;
  /** The actor could not store its events for a reason other than a lost lease: reload it from history later. */
  broken(actor: ExecutionActor, error: unknown): void;
}

/**
 * One running execution in this process. Commands are handled one batch at a time: the interpreter turns them into
 * events, the events are appended to the history (only while this process holds the lease), and only then are their
 * effects carried out (tasks dispatched, timers armed, aborted work cancelled).
 */
export class ExecutionActor {
  private queue: Command[] = [];
  private draining = false;
  private closed = false;
  private lastSeq: number;
  private readonly running = new Map<number, AbortController>();
  private readonly timers = new Map<number, TimerHandle>();

  constructor(
    private readonly host: ActorHost,
    readonly record: ExecutionRecord,
    readonly state: ExecutionState,
  ) {
    this.lastSeq = state.eventCount;
  }

  /** The events the state holds are all stored (used right after the execution was created with them). */
  markStored(): void {
    this.lastSeq = this.state.eventCount;
  }

  get id(): string {
    return this.record.id;
  }

  env(): DecideEnv {
    const { host, record } = this;
    return {
      now: host.clock.now(),
      random: host.random,
      hash: host.hash as DecideEnv['hash'],
      newTaskToken: (taskId) => mintTaskToken(record.id, taskId),
      identity: {
        executionId: record.id,
        executionName: record.name,
        stateMachineName: record.stateMachineName,
        stateMachineVersion: record.stateMachineVersion,
      },
    };
  }

  enqueue(command: Command): void {
    if (this.closed) return;
    this.queue.push(command);
    if (!this.draining) this.drain().catch((error: unknown) => this.host.broken(this, error));
  }

  /** True while commands wait to be decided or events to be stored. */
  get busy(): boolean {
    return this.draining || this.queue.length > 0;
  }

  /** The open task a callback token names, if it is still waiting for one. */
  openTask(taskId: number): OpenTask | undefined {
    return this.state.tasks.get(taskId);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const commands = this.queue.splice(0);
        const events: TimedEvent[] = [];
        let more = false;
        for (const command of commands) {
          const result = decide(this.state, command, this.env());
          for (const e of result.events) events.push(e);
          more = result.more;
        }
        if (events.length > 0) await this.persist(events);
        this.carryOut(events);
        if (more && !this.closed) {
          await new Promise((resolve) => setImmediate(resolve));
          this.queue.push({ kind: 'continue' });
        }
      }
    } catch (error) {
      this.close();
      if (!(error instanceof ConcurrencyConflict)) throw error;
    } finally {
      this.draining = false;
    }
  }

  private async persist(events: TimedEvent[]): Promise<void> {
    const { state } = this;
    const outcome: ExecutionOutcome | undefined =
      state.status === 'RUNNING'
        ? undefined
        : {
            status: state.status,
            output: state.status === 'SUCCEEDED' ? JSON.stringify(state.output) : null,
            error: state.error,
            cause: state.cause,
            stoppedAt: this.host.clock.now(),
          };
    await this.host.store.appendEvents(this.record.id, this.host.owner, this.lastSeq, events.map(encodeEvent), outcome);
    this.lastSeq += events.length;
  }

  /** Carries out what freshly stored events ask for, then cancels whatever the state no longer holds open. */
  carryOut(events: readonly TimedEvent[]): void {
    for (const event of events) {
      if (event.type === 'TaskScheduled') {
        const task = this.state.tasks.get(event.taskId);
        if (task) this.dispatch(task);
      } else if (event.type === 'TimerStarted') {
        this.arm(event.timerId, event.fireAt);
      }
    }
    for (const [taskId, controller] of this.running) {
      if (!this.state.tasks.has(taskId)) {
        controller.abort(new Error('the task is no longer open'));
        this.running.delete(taskId);
      }
    }
    for (const [timerId, handle] of this.timers) {
      if (!this.state.timers.has(timerId)) {
        this.host.clock.clearTimer(handle);
        this.timers.delete(timerId);
      }
    }
    if (this.state.status !== 'RUNNING') {
      this.close();
      this.host.finished(this);
    }
  }

  /** After a restart: re-arm timers at their original time and settle tasks that were running when the process died. */
  resume(): void {
    for (const timer of this.state.timers.values()) this.arm(timer.timerId, timer.fireAt);
    for (const task of this.state.tasks.values()) {
      if (task.pattern === 'waitForTaskToken' && task.submitted) continue;
      if (this.host.runner(task.resource)?.resumable) {
        this.dispatch(task);
      } else {
        this.enqueue({
          kind: 'taskFailed',
          taskId: task.taskId,
          error: 'States.TaskFailed',
          cause: `the engine stopped while attempt ${task.attempt} of state "${task.state}" was running`,
        });
      }
    }
    this.enqueue({ kind: 'continue' });
  }

  private dispatch(task: OpenTask): void {
    const runner = this.host.runner(task.resource);
    if (!runner) {
      this.enqueue({
        kind: 'taskFailed',
        taskId: task.taskId,
        error: 'States.Runtime',
        cause: `no task resource is registered as "${task.resource}"`,
      });
      return;
    }
    const controller = new AbortController();
    this.running.set(task.taskId, controller);
    const request = {
      resource: task.resource,
      pattern: task.pattern,
      taskId: task.taskId,
      input: task.input,
      executionId: this.record.id,
      stateName: task.state,
      attempt: task.attempt,
      ...(task.token !== undefined && { taskToken: task.token }),
      ...(this.host.cwd !== undefined && { cwd: this.host.cwd }),
    };
    runner.run(request, controller.signal).then(
      (output: Json) => {
        this.settled(task.taskId, controller);
        if (task.pattern === 'waitForTaskToken') this.enqueue({ kind: 'taskSubmitted', taskId: task.taskId });
        else this.enqueue({ kind: 'taskSucceeded', taskId: task.taskId, output: output ?? null });
      },
      (error: unknown) => {
        this.settled(task.taskId, controller);
        if (controller.signal.aborted) return;
        const failure =
          error instanceof TaskFailure
            ? { error: error.error, cause: error.causeText }
            : { error: 'States.TaskFailed', cause: error instanceof Error ? error.message : String(error) };
        this.enqueue({ kind: 'taskFailed', taskId: task.taskId, ...failure });
      },
    );
  }

  private settled(taskId: number, controller: AbortController): void {
    if (this.running.get(taskId) === controller) this.running.delete(taskId);
  }

  private arm(timerId: number, fireAt: number): void {
    if (this.timers.has(timerId)) return;
    this.timers.set(
      timerId,
      this.host.clock.setTimer(fireAt, () => {
        this.timers.delete(timerId);
        this.enqueue({ kind: 'timerFired', timerId });
      }),
    );
  }

  /** Stops all in-process work of this actor without recording anything (shutdown, lost lease). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const controller of this.running.values()) controller.abort(new Error('the engine released the execution'));
    this.running.clear();
    for (const handle of this.timers.values()) this.host.clock.clearTimer(handle);
    this.timers.clear();
  }
}
