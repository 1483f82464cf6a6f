/** Payload templates evaluated with the state's context object, and integer fields read from paths. */
import { StatesError, StatesErrors } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import { applyPayloadTemplate } from '../payload-template.js';
import { contextObject } from './context-object.js';
import type { Decider } from './decider.js';
import type { Cursor } from './execution-state.js';

/** Applies a payload template (Parameters, ItemSelector, ResultSelector) with the state's context object. */
export function template(
  d: Decider,
  cursor: Cursor,
  tpl: JsonObject,
  input: Json,
  field: string,
  extra = {},
): JsonObject {
  const context = contextObject(d.env.identity, d.state, cursor, extra);
  return applyPayloadTemplate(tpl, input, context, d.env, field);
}

/** A non-negative integer from a *Path field, or States.Runtime. */
export function positiveInteger(value: Json, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StatesError(
      StatesErrors.Runtime,
      `The value of ${field} must be a non-negative integer (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}
