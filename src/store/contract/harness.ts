import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import type { NewExecution, NewHistoryEvent, Store } from '../port.js';

/** What `describeStore` needs of an implementation for one test case. */
export interface StoreUnderTest {
  /** A store on a new, empty database. */
  store: Store;
  /** Opens another store on the same database (as a second process would); the suite closes it. */
  reopen: () => Promise<Store>;
  /** Closes `store` (which may already be closed) and removes the database. */
  cleanup: () => Promise<void>;
}

export type MakeStore = () => Promise<StoreUnderTest>;

/** The case's store, and more stores on the same database. */
export interface Harness {
  readonly store: Store;
  open(): Promise<Store>;
}

/** Gives every case a fresh database and closes everything the case opened. */
export function harness(makeStore: MakeStore): Harness {
  let current: StoreUnderTest | undefined;
  const others: Store[] = [];
  beforeEach(async () => {
    current = await makeStore();
  });
  afterEach(async () => {
    await Promise.all(others.splice(0).map((store) => store.close()));
    await current?.cleanup();
    current = undefined;
  });
  const now = (): StoreUnderTest => {
    if (current === undefined) throw new Error('the store is only available inside a test case');
    return current;
  };
  return {
    get store() {
      return now().store;
    },
    async open() {
      const store = await now().reopen();
      others.push(store);
      return store;
    },
  };
}

/** A fixed start of time: the store never reads the clock, so tests pass times explicitly. */
export const T0 = 1_700_000_000_000;
export const MINUTE = 60_000;
export const DEFINITION = '{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","End":true}}}';

let counter = 0;

/** A RUNNING execution of state machine 'etl' held by 'worker-a' for a minute; each call starts one ms later. */
export function newExecution(overrides: Partial<NewExecution> = {}): NewExecution {
  counter += 1;
  return {
    id: `ex-${counter}-${randomUUID()}`,
    name: `run-${counter}`,
    stateMachineName: 'etl',
    stateMachineVersion: 1,
    definition: DEFINITION,
    input: `{"n":${counter}}`,
    startedAt: T0 + counter,
    parentId: null,
    owner: 'worker-a',
    leaseUntil: T0 + MINUTE,
    ...overrides,
  };
}

/** `count` events whose type and body say which batch (`label`) and position they are. */
export function newEvents(count: number, label = 'e', timestamp = T0): NewHistoryEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: `${label}${i + 1}`,
    timestamp: timestamp + i,
    body: JSON.stringify({ label, i, text: 'quote " backslash \\ brace { comma , ü 🙂' }),
  }));
}

/** Creates `count` executions held by `owner` whose leases expired at T0. */
export async function expiredExecutions(store: Store, count: number, owner = 'dead-worker'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const execution = newExecution({ owner, leaseUntil: T0 });
    await store.createExecution(execution, newEvents(1));
    ids.push(execution.id);
  }
  return ids;
}
