import type { HistoryEvent, NewHistoryEvent } from '../../store/index.js';
import {
  type ExecutionState,
  evolve,
  initialState,
  type StateMachineDefinition,
  type TimedEvent,
} from '../asl/index.js';

/** An interpreter event as the store keeps it: type and timestamp in columns, the rest as JSON text. */
export function encodeEvent(event: TimedEvent): NewHistoryEvent {
  const { type, timestamp, ...body } = event;
  return { type, timestamp, body: JSON.stringify(body) };
}

export function decodeEvent(stored: HistoryEvent): TimedEvent {
  return { ...(JSON.parse(stored.body) as object), type: stored.type, timestamp: stored.timestamp } as TimedEvent;
}

/** Rebuilds an execution's state from its stored history alone. */
export function foldHistory(definition: StateMachineDefinition, history: readonly HistoryEvent[]): ExecutionState {
  const state = initialState(definition);
  for (const stored of history) evolve(state, decodeEvent(stored));
  return state;
}
