/** Time for the runtime: the real clock in production, a fake one in tests (the only fake the project allows). */
export interface Clock {
  now(): number;
  /** Calls `fire` once the clock reaches `at` (at once if it already has). */
  setTimer(at: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly at: number;
}

const MAX_DELAY = 2_147_483_647;

class SystemTimer implements TimerHandle {
  timeout: NodeJS.Timeout | undefined;
  constructor(readonly at: number) {}
}

/** The wall clock. Long delays are chained because setTimeout caps at about 24.8 days. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fire) {
    const handle = new SystemTimer(at);
    const arm = (): void => {
      const delay = at - Date.now();
      if (delay <= 0) {
        handle.timeout = setTimeout(fire, 0);
      } else {
        // Node may wake a millisecond early: `arm` checks again, so a timer never fires before its time.
        handle.timeout = setTimeout(arm, Math.min(delay, MAX_DELAY));
      }
      handle.timeout.unref?.();
    };
    arm();
    return handle;
  },
  clearTimer(handle) {
    if (handle instanceof SystemTimer && handle.timeout) clearTimeout(handle.timeout);
  },
};

interface FakeTimer extends TimerHandle {
  fire: () => void;
  seq: number;
}

/** A manual clock: time moves only when a test calls `advance`; due timers fire in time order. */
export class FakeClock implements Clock {
  private current: number;
  private timers = new Set<FakeTimer>();
  private seq = 0;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(at: number, fire: () => void): TimerHandle {
    const timer: FakeTimer = { at, fire, seq: this.seq++ };
    this.timers.add(timer);
    if (at <= this.current) queueMicrotask(() => this.fireDue());
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.delete(handle as FakeTimer);
  }

  /** The time of the earliest pending timer, if any. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    this.current += ms;
    this.fireDue();
  }

  /** Moves time to `at` (never backwards). */
  advanceTo(at: number): void {
    if (at > this.current) this.current = at;
    this.fireDue();
  }

  private fireDue(): void {
    const due = [...this.timers].filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const t of due) {
      if (!this.timers.delete(t)) continue;
      t.fire();
    }
  }
}
