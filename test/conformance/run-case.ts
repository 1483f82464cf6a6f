import type { ExecutionState, TimedEvent } from '../../src/engine/asl/index.js';
import { Engine, FakeClock, foldHistory } from '../../src/engine/runtime/index.js';
import { type ExecutionRecord, openSqliteStore } from '../../src/store/index.js';
import type { ConformanceCase, TaskCall } from './case-files.js';
import { createTestResources } from './test-resources.js';

/** What one run of a case produced: the stored execution, its history, the history folded again, the task calls. */
export interface CaseRun {
  record: ExecutionRecord;
  history: TimedEvent[];
  refolded: ExecutionState;
  calls: TaskCall[];
}

/** Fake time a case may use before the harness calls it stuck in a loop. */
const MAX_FAKE_MS = 48 * 3_600_000;
/** Clock advances a case may take (each one fires the timers due at one instant). */
const MAX_ADVANCES = 5_000;

/**
 * The random source handed to the engine (FULL jitter, States.UUID, unseeded States.MathRandom): this fixed cycle, so
 * a case's timings are exact. A retry with FULL jitter waits 0.25, then 0.5, then 0.75 of its computed delay, and so on.
 */
export const RANDOM_SEQUENCE = [0.25, 0.5, 0.75] as const;

function fixedRandom(): () => number {
  let next = 0;
  return () => RANDOM_SEQUENCE[next++ % RANDOM_SEQUENCE.length]!;
}

/**
 * Runs a case on a fresh in-memory SQLite store, a fake clock and a real Engine: settles the engine, and while the
 * execution runs, moves the clock to the next pending timer. Throws when the execution is stuck (running with nothing
 * pending) or runs past MAX_FAKE_MS.
 */
export async function runCase(testCase: ConformanceCase): Promise<CaseRun> {
  const store = await openSqliteStore(':memory:');
  const clock = new FakeClock();
  // Leases and signal polling run on real timers; a single engine never competes for them, so they may be slow.
  const engine = new Engine({ store, clock, random: fixedRandom(), owner: 'conformance', pollMs: 60_000 });
  let startedAt = clock.now();
  const resources = createTestResources(clock, engine, () => startedAt);
  for (const [name, runner] of Object.entries(resources.runners)) engine.registerRunner(name, runner);
  try {
    await engine.start();
    await engine.createStateMachine(testCase.name, testCase.definition);
    const started = await engine.startExecution({
      stateMachineName: testCase.name,
      input: testCase.input,
      name: testCase.name,
    });
    startedAt = started.startedAt;
    const stop = testCase.stop;
    if (stop) {
      clock.setTimer(startedAt + stop.afterSeconds * 1000, () =>
        resources.track(() => engine.stopExecution(started.id, stop.error, stop.cause)),
      );
    }
    const record = await runToEnd(engine, clock, resources.idle, started.id, startedAt);
    const stored = await store.readHistory(started.id);
    return {
      record,
      history: await engine.history(started.id),
      refolded: foldHistory(JSON.parse(record.definition), stored),
      calls: resources.calls,
    };
  } finally {
    await engine.close();
    await store.close();
  }
}

async function runToEnd(
  engine: Engine,
  clock: FakeClock,
  idle: () => Promise<void>,
  id: string,
  startedAt: number,
): Promise<ExecutionRecord> {
  for (let advances = 0; advances <= MAX_ADVANCES; advances++) {
    await idle();
    await engine.settled();
    await idle();
    const record = await engine.describeExecution(id);
    if (record.status !== 'RUNNING') return record;
    const next = clock.nextTimerAt();
    const elapsed = clock.now() - startedAt;
    if (next === undefined) {
      throw new Error(`the execution is stuck: RUNNING at +${elapsed} ms with no task, callback or timer pending`);
    }
    if (next - startedAt > MAX_FAKE_MS) {
      throw new Error(`the execution is still RUNNING after ${MAX_FAKE_MS / 3_600_000} h of fake time`);
    }
    clock.advanceTo(next);
  }
  throw new Error(`the execution is still RUNNING after ${MAX_ADVANCES} clock advances`);
}
