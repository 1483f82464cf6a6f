import { StatesError, StatesErrors } from './errors.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { indexIn, ownValue, setOwn, step, walk } from './json-path-eval.js';
import { type PathSegment, parsePathSyntax } from './json-path-syntax.js';

export type { PathSegment } from './json-path-syntax.js';

/** A parsed path and what the evaluator needs to know about its shape. */
interface CompiledPath {
  segments: PathSegment[];
  /** Jayway's "definite": the path yields one value, not a list (a name union as the last step merges into one object). */
  definite: boolean;
  /** Only `.name`, `['name']` and `[index]` steps: a Reference Path in the spec's words. */
  reference: boolean;
}

const MAX_CACHED_PATHS = 10_000;
const cache = new Map<string, CompiledPath>();

function compile(path: string): CompiledPath {
  let compiled = cache.get(path);
  if (compiled) return compiled;
  const segments = parsePathSyntax(path);
  const reference = segments.every((s) => s.kind === 'property' || s.kind === 'index');
  const last = segments.length - 1;
  const definite = segments.every(
    (s, i) => s.kind === 'property' || s.kind === 'index' || (s.kind === 'properties' && i === last),
  );
  compiled = { segments, definite, reference };
  // Paths come from definitions, so the set is small; the bound only guards against paths built from data.
  if (cache.size >= MAX_CACHED_PATHS) cache.clear();
  cache.set(path, compiled);
  return compiled;
}

/** Parses a JSONPath (`$...`, or `$$...` for the context object); cached. Throws a plain Error naming the bad spot. */
export function parsePath(path: string): PathSegment[] {
  return compile(path).segments;
}

/** True for a Reference Path: no wildcard, slice, filter, union or `..`, so it names at most one node. */
export function isDefinitePath(path: string): boolean {
  return compile(path).reference;
}

export type PathResult = { found: true; value: Json } | { found: false };
const NOT_FOUND: PathResult = Object.freeze({ found: false });

/**
 * Applies a path to data the way AWS does: a definite path gives its one value or nothing; an indefinite path always
 * gives the array of its matches, which may be empty.
 * @example tryEvaluatePath('$.items[*].id', { items: [{ id: 1 }, { id: 2 }] }) // { found: true, value: [1, 2] }
 */
export function tryEvaluatePath(path: string, data: Json): PathResult {
  const { segments, definite } = compile(path);
  if (!definite) {
    const matches: Json[] = [];
    walk(segments, 0, data, data, matches);
    return { found: true, value: matches };
  }
  let node: Json = data;
  for (const segment of segments) {
    const next = step(node, segment);
    if (next === undefined) return NOT_FOUND;
    node = next;
  }
  return { found: true, value: node };
}

/** Fields whose missing path AWS reports with the Choice state's wording rather than InputPath's. */
const CHOICE_FIELD =
  /^(?:Variable|(?:String|Numeric|Boolean|Timestamp)(?:Equals|(?:Less|Greater)Than(?:Equals)?)Path)$/;

/**
 * Applies a path and throws States.Runtime when a definite path selects nothing. `what` names the field the path came
 * from: Choice fields (`Variable`, `NumericEqualsPath`, ...) get AWS's Choice wording, every other field (InputPath,
 * OutputPath, ItemsPath, SecondsPath, ...) AWS's `Invalid path '$.x' : No results for path: $['x']`.
 */
export function evaluatePath(path: string, data: Json, what: string): Json {
  const result = tryEvaluatePath(path, data);
  if (result.found) return result.value;
  const cause = CHOICE_FIELD.test(what)
    ? `Invalid path '${path}': The choice state's condition path references an invalid value.`
    : `Invalid path '${path}' : ${explainMiss(compile(path).segments, data)}`;
  throw new StatesError(StatesErrors.Runtime, cause);
}

/** Jayway's normalized form of a path, as its messages print it: `$['a'][0]`. */
function normalized(segments: readonly PathSegment[]): string {
  return `$${segments.map(segmentText).join('')}`;
}

function segmentText(segment: PathSegment): string {
  switch (segment.kind) {
    case 'property':
      return `['${segment.name}']`;
    case 'properties':
      return `[${segment.names.map((name) => `'${name}'`).join(',')}]`;
    case 'index':
      return `[${segment.index}]`;
    case 'indexes':
      return `[${segment.indexes.join(',')}]`;
    case 'slice':
      return `[${segment.start ?? ''}:${segment.end ?? ''}]`;
    case 'wildcard':
      return '[*]';
    case 'descendant':
      return '..';
    case 'filter':
      return '[?]';
  }
}

/** Why a definite path found nothing, in the words of Jayway's PathNotFoundException (which AWS passes through). */
function explainMiss(segments: readonly PathSegment[], data: Json): string {
  const noResults = `No results for path: ${normalized(segments)}`;
  let node: Json = data;
  for (const [i, segment] of segments.entries()) {
    const here = normalized(segments.slice(0, i));
    if (segment.kind === 'index' && !Array.isArray(node)) {
      if (node === null) return `The path ${here} is null`;
      return `Filter: [${segment.index}] can only be applied to arrays. Current context is: ${JSON.stringify(node)}`;
    }
    if (segment.kind !== 'index' && !isJsonObject(node)) {
      const found = node === null ? 'null' : Array.isArray(node) ? 'array' : typeof node;
      return `Expected to find an object with property ${segmentText(segment)} in path ${here} but found '${found}'`;
    }
    const next = step(node, segment);
    if (next === undefined) {
      const leaf = i === segments.length - 1;
      return leaf || segment.kind === 'index' ? noResults : `Missing property in path ${here}${segmentText(segment)}`;
    }
    node = next;
  }
  return noResults;
}

/**
 * ResultPath: returns a copy of target with value placed at path, copying only the objects along the path and never
 * mutating target. `$` gives value itself; missing objects on the way are created. A step through anything but an
 * object (or an existing array element for `[n]`) fails with States.ResultPathMatchFailure, worded as AWS words it.
 * @example setReferencePath({ a: 1 }, '$.b.c', 2) // { a: 1, b: { c: 2 } }
 */
export function setReferencePath(target: Json, path: string, value: Json): Json {
  const { segments, reference } = compile(path);
  if (!reference) {
    throw new Error(`ResultPath '${path}' must be a Reference Path: only '.name', "['name']" and '[index]' steps`);
  }
  const place = (node: Json | undefined, i: number): Json => {
    const segment = segments[i];
    if (segment === undefined) return value;
    if (segment.kind === 'property' && (node === undefined || isJsonObject(node))) {
      const copy: JsonObject = { ...node };
      setOwn(copy, segment.name, place(node === undefined ? undefined : ownValue(node, segment.name), i + 1));
      return copy;
    }
    if (segment.kind === 'index' && Array.isArray(node)) {
      const index = indexIn(node, segment.index);
      if (index >= 0 && index < node.length) {
        const copy = node.slice();
        copy[index] = place(node[index], i + 1);
        return copy;
      }
    }
    throw new StatesError(
      StatesErrors.ResultPathMatchFailure,
      `Unable to apply ReferencePath ${path} to input ${JSON.stringify(target)}`,
    );
  };
  return place(target, 0);
}
