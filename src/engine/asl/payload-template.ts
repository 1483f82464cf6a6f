import { StatesError, StatesErrors } from './errors.js';
import { evaluateIntrinsic, type IntrinsicEnv, isIntrinsic } from './intrinsics.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { tryEvaluatePath } from './json-path.js';
import { setOwn } from './json-path-eval.js';

/**
 * Builds the payload of a Payload Template (Parameters, ItemSelector, ResultSelector, and a Map's older Parameters):
 * a key ending in `.$` takes the value of a path on the input (`$...`), a path on the context object (`$$...`) or an
 * intrinsic function (`States.Format(...)`), and loses its `.$`; every other value is copied, with objects processed
 * recursively, including objects inside arrays (as AWS does for e.g. ECS `ContainerOverrides[].Environment[]`).
 *
 * A path that selects nothing fails with States.Runtime in AWS's words; a `.$` value that is not a string, or a string
 * that is neither a path nor an intrinsic, is a definition error (a plain Error naming `field` and the key).
 * @example applyPayloadTemplate({ 'id.$': '$.order.id', source: 'web' }, { order: { id: 7 } }, {}, env, 'Parameters')
 * // { id: 7, source: 'web' }
 */
export function applyPayloadTemplate(
  template: JsonObject,
  input: Json,
  context: Json,
  env: IntrinsicEnv,
  field: string,
): JsonObject {
  return fillObject(template, { input, context, env }, field);
}

interface Sources {
  input: Json;
  context: Json;
  env: IntrinsicEnv;
}

function fillObject(template: JsonObject, sources: Sources, where: string): JsonObject {
  const payload: JsonObject = {};
  for (const key of Object.keys(template)) {
    const value = template[key]!;
    if (key.endsWith('.$')) {
      setOwn(payload, key.slice(0, -2), resolve(key, value, sources, `${where}.${key}`));
    } else {
      setOwn(payload, key, fill(value, sources, `${where}.${key}`));
    }
  }
  return payload;
}

function fill(value: Json, sources: Sources, where: string): Json {
  if (Array.isArray(value)) return value.map((item, i) => fill(item, sources, `${where}[${i}]`));
  return isJsonObject(value) ? fillObject(value, sources, where) : value;
}

/** The value of one `.$` field: a path on the input or context object, or an intrinsic function call. */
function resolve(key: string, expression: Json, sources: Sources, where: string): Json {
  if (typeof expression !== 'string') {
    throw new Error(
      `${where} must be a string holding a JSONPath or an intrinsic function (got ${JSON.stringify(expression)})`,
    );
  }
  if (expression.startsWith('$')) {
    const data = expression.startsWith('$$') ? sources.context : sources.input;
    const result = tryEvaluatePath(expression, data);
    if (result.found) return result.value;
    throw new StatesError(
      StatesErrors.Runtime,
      `The JSONPath '${expression}' specified for the field '${key}' could not be found in the input '${JSON.stringify(data)}'`,
    );
  }
  if (isIntrinsic(expression)) return evaluateIntrinsic(expression, sources.input, sources.context, sources.env);
  throw new Error(
    `${where} must be a JSONPath ('$...' or '$$...') or an intrinsic function ('States.Format(...)'; got ${JSON.stringify(expression)})`,
  );
}
