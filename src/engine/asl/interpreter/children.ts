/** Parallel branches and Map iterations: starting child frames, concurrency, tolerated failures, and the results. */
import type { MapState, ParallelState } from '../definition.js';
import { StatesError, StatesErrors } from '../errors.js';
import type { Json } from '../json.js';
import { evaluatePath } from '../json-path.js';
import type { Decider } from './decider.js';
import type { Children, Cursor, Frame } from './execution-state.js';
import { guarded } from './failure-handling.js';
import { applyInputPath, applyOutputPath, applyResultPath } from './io.js';
import { template } from './payload.js';

/** The Map's failure tolerance: the smaller of its count and percentage limits (AWS fails when either is exceeded). */
export function toleratedFailures(def: MapState, input: Json, items: number): number | null {
  const read = (value: number | undefined, path: string | undefined, field: string): number | undefined => {
    if (value !== undefined) return value;
    if (path === undefined) return undefined;
    const found = evaluatePath(path, input, field);
    if (typeof found !== 'number' || found < 0) {
      throw new StatesError(
        StatesErrors.Runtime,
        `The value of ${field} must be a non-negative number (got ${JSON.stringify(found)})`,
      );
    }
    return found;
  };
  const limits: number[] = [];
  const count = read(def.ToleratedFailureCount, def.ToleratedFailureCountPath, 'ToleratedFailureCountPath');
  if (count !== undefined) limits.push(Math.floor(count));
  const percentage = read(
    def.ToleratedFailurePercentage,
    def.ToleratedFailurePercentagePath,
    'ToleratedFailurePercentagePath',
  );
  if (percentage !== undefined) limits.push(Math.floor((items * percentage) / 100));
  return limits.length > 0 ? Math.min(...limits) : null;
}

export function mapItems(def: MapState, input: Json): Json[] {
  const items = evaluatePath(def.ItemsPath ?? '$', input, 'ItemsPath');
  if (!Array.isArray(items)) {
    throw new StatesError(
      StatesErrors.Runtime,
      `Map state input must be an array, but ItemsPath '${def.ItemsPath ?? '$'}' selected ${JSON.stringify(items)}`,
    );
  }
  return items;
}

export function startChild(d: Decider, parent: Frame, index: number, startAt: string, input: Json): void {
  const id = d.newId();
  d.emit({ type: 'FrameStarted', frame: id, parent: parent.id, index, input });
  const child = d.frame(id);
  if (child) d.enter(child, startAt, input);
}

/** Starts Map items while concurrency allows; finishes the state once every child is done. */
export function continueChildren(d: Decider, frame: Frame, children: Children): void {
  const cursor = frame.cursor;
  const def = cursor ? frame.scope.States[cursor.state] : undefined;
  if (!cursor || !def) return;
  if (def.Type === 'Map' && children.nextIndex < children.total) {
    const input = applyInputPath(def.InputPath, cursor.rawInput);
    const items = mapItems(def, input);
    const processor = def.ItemProcessor ?? def.Iterator;
    const selector = def.ItemSelector ?? def.Parameters;
    while (
      children.nextIndex < children.total &&
      (children.maxConcurrency === 0 || children.running.size < children.maxConcurrency)
    ) {
      const index = children.nextIndex;
      const value = items[index] ?? null;
      const itemInput = selector
        ? template(d, cursor, selector, input, 'ItemSelector', { mapItem: { index, value } })
        : value;
      startChild(d, frame, index, processor?.StartAt ?? '', itemInput);
    }
  }
  if (children.done === children.total && children.running.size === 0) {
    finishChildren(d, frame, cursor, def as MapState | ParallelState, children.results);
  }
}

export function finishChildren(
  d: Decider,
  frame: Frame,
  cursor: Cursor,
  def: MapState | ParallelState,
  results: Json[],
): void {
  guarded(d, frame, () => {
    const result = def.ResultSelector ? template(d, cursor, def.ResultSelector, results, 'ResultSelector') : results;
    d.exit(frame, applyOutputPath(def.OutputPath, applyResultPath(def.ResultPath, cursor.rawInput, result)));
  });
}
