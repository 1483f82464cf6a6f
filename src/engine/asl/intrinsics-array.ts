import {
  arrayArg,
  canonicalJson,
  describe,
  type IntrinsicArguments,
  integerArg,
  intrinsicFailure,
  jsonEqual,
} from './intrinsics-support.js';
import type { Json } from './json.js';

/** AWS caps the array States.ArrayRange builds. */
export const MAX_ARRAY_RANGE_ITEMS = 1000;

/** States.Array: its arguments, in order, as an array. */
export function array(call: IntrinsicArguments): Json {
  return [...call.values];
}

/** States.ArrayPartition: chunks of the given size; the last chunk holds what is left and may be shorter. */
export function arrayPartition(call: IntrinsicArguments): Json {
  const items = arrayArg(call, 0);
  const size = integerArg(call, 1);
  if (size <= 0) throw intrinsicFailure(call.name, `the chunk size must be a positive integer (got ${size})`);
  const chunks: Json[] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** States.ArrayContains: whether the array holds a value structurally equal to the second argument. */
export function arrayContains(call: IntrinsicArguments): Json {
  const items = arrayArg(call, 0);
  const wanted = call.values[1] ?? null;
  return items.some((item) => jsonEqual(item, wanted));
}

/**
 * States.ArrayRange(first, last, step): first, first + step, ... up to and including last when the step lands on it.
 * The step may be negative (AWS only requires it to be non-zero); a step pointing away from last gives [].
 */
export function arrayRange(call: IntrinsicArguments): Json {
  const first = integerArg(call, 0);
  const last = integerArg(call, 1);
  const step = integerArg(call, 2);
  if (step === 0) throw intrinsicFailure(call.name, 'the step (argument 3) must not be 0');
  const count = Math.floor((last - first) / step) + 1;
  if (count > MAX_ARRAY_RANGE_ITEMS) {
    throw intrinsicFailure(
      call.name,
      `the range would hold ${count} items, more than the ${MAX_ARRAY_RANGE_ITEMS} an array may contain`,
    );
  }
  return Array.from({ length: Math.max(count, 0) }, (_, i) => first + i * step);
}

/** States.ArrayGetItem: the item at a zero-based index, which must lie inside the array. */
export function arrayGetItem(call: IntrinsicArguments): Json {
  const items = arrayArg(call, 0);
  const index = integerArg(call, 1);
  const item = index >= 0 ? items[index] : undefined;
  if (item === undefined) {
    const valid = items.length === 0 ? 'the array is empty' : `valid indexes are 0 to ${items.length - 1}`;
    throw intrinsicFailure(call.name, `index ${index} is out of bounds for ${describe(items)} (${valid})`);
  }
  return item;
}

/** States.ArrayLength: the number of items. */
export function arrayLength(call: IntrinsicArguments): Json {
  return arrayArg(call, 0).length;
}

/** States.ArrayUnique: the items without duplicates (structural equality), each kept where it first appears. */
export function arrayUnique(call: IntrinsicArguments): Json {
  const seen = new Set<string>();
  return arrayArg(call, 0).filter((item) => {
    const key = canonicalJson(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
