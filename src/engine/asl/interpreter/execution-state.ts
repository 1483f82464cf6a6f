import type { MapState, ParallelState, State, StateMachineDefinition, SubMachine } from '../definition.js';
import type { Json } from '../json.js';
import type { IntegrationPattern, TimerPurpose } from './events.js';

/** Where a frame's cursor stands inside its current state. */
export type Phase =
  | { kind: 'ready' }
  | { kind: 'task'; taskId: number }
  | { kind: 'waiting'; timerId: number }
  | { kind: 'retrying'; timerId: number }
  | { kind: 'children'; children: Children };

/** The branches of a running Parallel state or the iterations of a running Map state. */
export interface Children {
  kind: 'parallel' | 'map';
  total: number;
  results: Json[];
  done: number;
  failures: number;
  /** null: no tolerance configured, the first failure fails the state. */
  toleratedFailures: number | null;
  /** Frame ids of the children still running, in start order. */
  running: Set<number>;
  nextIndex: number;
  /** 0 means no limit. */
  maxConcurrency: number;
}

export interface Cursor {
  state: string;
  rawInput: Json;
  enteredAt: number;
  /** Retries used so far, per retrier index of the state's Retry list. */
  retryCounts: number[];
  phase: Phase;
}

export interface Frame {
  id: number;
  parent: number | null;
  /** Branch index (Parallel) or item index (Map) within the parent. */
  index: number;
  scope: SubMachine | StateMachineDefinition;
  cursor: Cursor | null;
}

export interface OpenTask {
  taskId: number;
  frame: number;
  state: string;
  resource: string;
  pattern: IntegrationPattern;
  input: Json;
  attempt: number;
  token?: string;
  heartbeatSeconds?: number;
  timeoutSeconds?: number;
  /** For `.waitForTaskToken`: the resource accepted the work and the callback is awaited. */
  submitted: boolean;
}

export interface OpenTimer {
  timerId: number;
  frame: number;
  fireAt: number;
  purpose: TimerPurpose;
  taskId?: number;
  retrier?: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** An execution as its history says it is. Built only by `evolve`. */
export interface ExecutionState {
  definition: StateMachineDefinition;
  status: ExecutionStatus;
  input: Json;
  startedAt: number;
  output: Json;
  error: string | null;
  cause: string | null;
  /** Running frames only: finished frames are folded into their parent's results and dropped. */
  frames: Map<number, Frame>;
  tasks: Map<number, OpenTask>;
  timers: Map<number, OpenTimer>;
  /** Frames whose cursor has entered a state and not acted yet, in order. */
  ready: Set<number>;
  /** Next id for a frame, task or timer. */
  nextId: number;
  /** Number of events folded (equals the history's last sequence number). */
  eventCount: number;
}

export function initialState(definition: StateMachineDefinition): ExecutionState {
  return {
    definition,
    status: 'RUNNING',
    input: null,
    startedAt: 0,
    output: null,
    error: null,
    cause: null,
    frames: new Map(),
    tasks: new Map(),
    timers: new Map(),
    ready: new Set(),
    nextId: 1,
    eventCount: 0,
  };
}

/** The state definition a frame's cursor stands on. */
export function stateOf(frame: Frame, name: string): State | undefined {
  return frame.scope.States[name];
}

/** The sub-machine a new child frame of `parent` runs (a Parallel branch or the Map item processor). */
export function childScope(parent: Frame, index: number): SubMachine {
  const cursor = parent.cursor;
  const state = cursor ? stateOf(parent, cursor.state) : undefined;
  if (state?.Type === 'Parallel') {
    const branch = (state as ParallelState).Branches[index];
    if (branch) return branch;
  } else if (state?.Type === 'Map') {
    const processor = (state as MapState).ItemProcessor ?? (state as MapState).Iterator;
    if (processor) return processor;
  }
  throw new Error(`history is inconsistent: frame ${parent.id} has no child scope ${index}`);
}
