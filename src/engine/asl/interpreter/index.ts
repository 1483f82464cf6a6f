export type { Command, DecideEnv } from './commands.js';
export type { ExecutionIdentity } from './context-object.js';
export { type DecideResult, decide } from './decider.js';
export type { ExecutionEvent, ExecutionEventType, IntegrationPattern, TimedEvent, TimerPurpose } from './events.js';
export { evolve } from './evolve.js';
export {
  type ExecutionState,
  type ExecutionStatus,
  initialState,
  type OpenTask,
  type OpenTimer,
} from './execution-state.js';
export { parseResource } from './resource.js';
export { decideFailure, errorMatches, retryDelayMs } from './retry.js';
