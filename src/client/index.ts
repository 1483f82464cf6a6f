export { ApiError, type Execution, FlywheelClient, type HistoryEventView, type StateMachine } from './client.js';
export { type EndpointSpec, EndpointsClient, type Invocation } from './endpoints.js';
export type * from './tracking-types.js';
