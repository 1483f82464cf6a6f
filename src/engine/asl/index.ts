export type { Json, JsonObject } from './json.js';
export { isJsonObject } from './json.js';
export { StatesError, StatesErrors, type Failure } from './errors.js';
export type * from './definition.js';
