import { isJsonObject, type Json, type JsonObject } from './json.js';
import type { FilterExpr, FilterOperand, PathSegment } from './json-path-syntax.js';

// Evaluates parsed JSONPaths with Jayway's semantics. json-path.ts is the public face: parse cache, shapes, errors.

/** The one child a definite step selects, or undefined. */
export function step(node: Json, segment: PathSegment): Json | undefined {
  if (segment.kind === 'property') return isJsonObject(node) ? ownValue(node, segment.name) : undefined;
  if (segment.kind === 'index') return Array.isArray(node) ? node[indexIn(node, segment.index)] : undefined;
  if (segment.kind === 'properties' && isJsonObject(node)) return pick(node, segment.names);
  return undefined;
}

export function ownValue(node: JsonObject, name: string): Json | undefined {
  return Object.hasOwn(node, name) ? node[name] : undefined;
}

/** Jayway merges a trailing name union into one object holding the names that exist. */
function pick(node: JsonObject, names: readonly string[]): JsonObject {
  const merged: JsonObject = {};
  for (const name of names) {
    const value = ownValue(node, name);
    if (value !== undefined) setOwn(merged, name, value);
  }
  return merged;
}

export function indexIn(array: readonly Json[], index: number): number {
  return index < 0 ? array.length + index : index;
}

/** Collects the matches of segments[i..] below node, in document order (Jayway's scan is pre-order). */
export function walk(segments: readonly PathSegment[], i: number, node: Json, root: Json, out: Json[]): void {
  const segment = segments[i];
  if (segment === undefined) {
    out.push(node);
  } else if (segment.kind === 'descendant') {
    walk(segments, i + 1, node, root, out);
    for (const child of childrenOf(node)) walk(segments, i, child, root, out);
  } else {
    for (const child of select(segment, node, root, i === segments.length - 1)) walk(segments, i + 1, child, root, out);
  }
}

/** What one non-scan step selects from node. */
function select(segment: Exclude<PathSegment, { kind: 'descendant' }>, node: Json, root: Json, leaf: boolean): Json[] {
  switch (segment.kind) {
    case 'property':
    case 'index': {
      const child = step(node, segment);
      return child === undefined ? [] : [child];
    }
    case 'properties':
      if (!isJsonObject(node)) return [];
      if (leaf) return [pick(node, segment.names)];
      return present(segment.names.map((name) => ownValue(node, name)));
    case 'indexes':
      if (!Array.isArray(node)) return [];
      return present(segment.indexes.map((index) => node[indexIn(node, index)]));
    case 'slice':
      return Array.isArray(node) ? sliceOf(node, segment.start, segment.end) : [];
    case 'wildcard':
      return childrenOf(node);
    case 'filter':
      if (Array.isArray(node)) return node.filter((item) => test(segment.expr, item, root));
      return isJsonObject(node) && test(segment.expr, node, root) ? [node] : [];
  }
}

function present(values: (Json | undefined)[]): Json[] {
  return values.filter((value) => value !== undefined);
}

function childrenOf(node: Json): Json[] {
  if (Array.isArray(node)) return node;
  return isJsonObject(node) ? Object.values(node) : [];
}

/** `[a:b]` with Jayway's bounds: negative ends count from the end, and both are clamped to the array. */
function sliceOf(array: readonly Json[], start: number | null, end: number | null): Json[] {
  const clamp = (n: number): number => Math.min(array.length, Math.max(0, indexIn(array, n)));
  return array.slice(start === null ? 0 : clamp(start), end === null ? array.length : clamp(end));
}

const MISSING = Symbol('missing');

function operandValue(operand: FilterOperand, item: Json, root: Json): Json | typeof MISSING {
  if (operand.kind === 'literal') return operand.value;
  const start = operand.root === '@' ? item : root;
  const matches: Json[] = [];
  walk(operand.segments, 0, start, root, matches);
  const definite = operand.segments.every((s) => s.kind === 'property' || s.kind === 'index');
  if (!definite) return matches;
  return matches.length === 0 ? MISSING : matches[0]!;
}

/** Filter semantics as Jayway's: a bare path tests existence, mismatched types compare false, `!=` is `!(==)`. */
function test(expr: FilterExpr, item: Json, root: Json): boolean {
  switch (expr.kind) {
    case 'or':
      return test(expr.left, item, root) || test(expr.right, item, root);
    case 'and':
      return test(expr.left, item, root) && test(expr.right, item, root);
    case 'not':
      return !test(expr.expr, item, root);
    case 'test': {
      const value = operandValue(expr.operand, item, root);
      return expr.operand.kind === 'path' ? value !== MISSING : value === true;
    }
    case 'compare': {
      const left = operandValue(expr.left, item, root);
      const right = operandValue(expr.right, item, root);
      if (expr.op === '==') return jsonEquals(left, right);
      if (expr.op === '!=') return !jsonEquals(left, right);
      const order = orderOf(left, right);
      if (order === undefined) return false;
      if (expr.op === '<') return order < 0;
      if (expr.op === '<=') return order <= 0;
      if (expr.op === '>') return order > 0;
      return order >= 0;
    }
  }
}

function orderOf(left: Json | typeof MISSING, right: Json | typeof MISSING): number | undefined {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return undefined;
}

function jsonEquals(left: Json | typeof MISSING, right: Json | typeof MISSING): boolean {
  if (left === MISSING || right === MISSING) return false;
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((value, i) => jsonEquals(value, right[i]!));
  }
  if (!isJsonObject(left) || !isJsonObject(right)) return false;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEquals(left[key]!, right[key]!));
}

/** Sets an own property even when the key is `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(object: JsonObject, key: string, value: Json): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
