import type { Json } from '../json.js';
import { evaluatePath, setReferencePath } from '../json-path.js';

/** InputPath: absent keeps the input, null gives {} (the spec's "discard"), a path selects. */
export function applyInputPath(path: string | null | undefined, raw: Json): Json {
  if (path === undefined) return raw;
  if (path === null) return {};
  return evaluatePath(path, raw, 'InputPath');
}

/** OutputPath: absent keeps the value, null gives {}, a path selects. */
export function applyOutputPath(path: string | null | undefined, value: Json): Json {
  if (path === undefined) return value;
  if (path === null) return {};
  return evaluatePath(path, value, 'OutputPath');
}

/** ResultPath: absent means `$` (the result replaces the input), null keeps the input, a path places the result. */
export function applyResultPath(path: string | null | undefined, raw: Json, result: Json): Json {
  if (path === undefined || path === '$') return result;
  if (path === null) return raw;
  return setReferencePath(raw, path, result);
}
