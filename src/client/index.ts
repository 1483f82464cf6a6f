export { ApiError, type Execution, FlywheelClient, type HistoryEventView, type StateMachine } from './client.js';
export type * from './tracking-types.js';
