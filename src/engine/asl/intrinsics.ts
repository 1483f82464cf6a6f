import { StatesError, StatesErrors } from './errors.js';
import {
  array,
  arrayContains,
  arrayGetItem,
  arrayLength,
  arrayPartition,
  arrayRange,
  arrayUnique,
} from './intrinsics-array.js';
import { mathAdd, mathRandom, uuid } from './intrinsics-math.js';
import { type IntrinsicArg, type IntrinsicCall, parseIntrinsicSyntax } from './intrinsics-parser.js';
import type { IntrinsicArguments, IntrinsicEnv } from './intrinsics-support.js';
import {
  base64Decode,
  base64Encode,
  format,
  hash,
  jsonMerge,
  jsonToString,
  stringSplit,
  stringToJson,
  templatePieces,
} from './intrinsics-text.js';
import type { Json } from './json.js';
import { evaluatePath } from './json-path.js';

export type { IntrinsicArg, IntrinsicCall } from './intrinsics-parser.js';
export type { HashAlgorithm, IntrinsicEnv } from './intrinsics-support.js';

interface IntrinsicFunction {
  minArgs: number;
  maxArgs: number;
  run(call: IntrinsicArguments): Json;
}

/** Every intrinsic function of the Amazon States Language (JSONPath), with the argument counts AWS accepts. */
const FUNCTIONS = {
  'States.Format': { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, run: format },
  'States.StringToJson': { minArgs: 1, maxArgs: 1, run: stringToJson },
  'States.JsonToString': { minArgs: 1, maxArgs: 1, run: jsonToString },
  'States.Array': { minArgs: 0, maxArgs: Number.POSITIVE_INFINITY, run: array },
  'States.ArrayPartition': { minArgs: 2, maxArgs: 2, run: arrayPartition },
  'States.ArrayContains': { minArgs: 2, maxArgs: 2, run: arrayContains },
  'States.ArrayRange': { minArgs: 3, maxArgs: 3, run: arrayRange },
  'States.ArrayGetItem': { minArgs: 2, maxArgs: 2, run: arrayGetItem },
  'States.ArrayLength': { minArgs: 1, maxArgs: 1, run: arrayLength },
  'States.ArrayUnique': { minArgs: 1, maxArgs: 1, run: arrayUnique },
  'States.Base64Encode': { minArgs: 1, maxArgs: 1, run: base64Encode },
  'States.Base64Decode': { minArgs: 1, maxArgs: 1, run: base64Decode },
  'States.Hash': { minArgs: 2, maxArgs: 2, run: hash },
  'States.JsonMerge': { minArgs: 3, maxArgs: 3, run: jsonMerge },
  'States.MathRandom': { minArgs: 2, maxArgs: 3, run: mathRandom },
  'States.MathAdd': { minArgs: 2, maxArgs: 2, run: mathAdd },
  'States.StringSplit': { minArgs: 2, maxArgs: 2, run: stringSplit },
  'States.UUID': { minArgs: 0, maxArgs: 0, run: uuid },
} as const satisfies Record<string, IntrinsicFunction>;

export type IntrinsicName = keyof typeof FUNCTIONS;

/** AWS lets a field nest at most 10 intrinsic calls. */
export const MAX_INTRINSIC_NESTING = 10;

function isIntrinsicName(name: string): name is IntrinsicName {
  return Object.hasOwn(FUNCTIONS, name);
}

/** True when a `.$` value is meant as an intrinsic call (`States.`...) rather than a path; parseIntrinsic checks it. */
export function isIntrinsic(expression: string): boolean {
  return expression.trimStart().startsWith('States.');
}

/**
 * Parses and checks an intrinsic call: syntax, paths, function names, argument counts, nesting depth, and what can be
 * known before running (a literal States.Format template's placeholder count, States.JsonMerge's literal deep flag).
 * Throws an Error naming the expression and what is wrong; validation reports its message.
 * @example parseIntrinsic("States.Format('Hello {}', $.name)").args.length // 2
 */
export function parseIntrinsic(expression: string): IntrinsicCall {
  const call = parseIntrinsicSyntax(expression);
  checkCall(call, expression, 1);
  return call;
}

function checkCall(call: IntrinsicCall, expression: string, depth: number): void {
  const problem = (text: string) => new Error(`Invalid intrinsic function '${expression}': ${text}`);
  if (depth > MAX_INTRINSIC_NESTING) throw problem(`calls nest more than ${MAX_INTRINSIC_NESTING} deep`);
  if (!isIntrinsicName(call.name)) {
    throw problem(`${call.name} is not an intrinsic function; known ones are ${Object.keys(FUNCTIONS).join(', ')}`);
  }
  const { minArgs, maxArgs } = FUNCTIONS[call.name];
  const count = call.args.length;
  if (count < minArgs || count > maxArgs) {
    const expected =
      minArgs === maxArgs
        ? `exactly ${minArgs}`
        : maxArgs === Number.POSITIVE_INFINITY
          ? `at least ${minArgs}`
          : `${minArgs} to ${maxArgs}`;
    throw problem(`${call.name} takes ${expected} argument${maxArgs === 1 ? '' : 's'} but is given ${count}`);
  }
  const [first, , third] = call.args;
  if (call.name === 'States.Format' && first?.kind === 'literal') {
    throw problem('the first argument of States.Format must be a string template');
  }
  if (call.name === 'States.Format' && first?.kind === 'string') {
    const placeholders = templatePieces(first.raw).length - 1;
    if (placeholders !== count - 1) {
      throw problem(
        `the States.Format template has ${placeholders} placeholder(s) {} but ${count - 1} value(s) follow it`,
      );
    }
  }
  if (call.name === 'States.JsonMerge' && third?.kind === 'literal' && third.value !== false) {
    throw problem('the third argument of States.JsonMerge must be false: only shallow merging is supported');
  }
  for (const arg of call.args) if (arg.kind === 'call') checkCall(arg.call, expression, depth + 1);
}

/**
 * Evaluates an intrinsic call against the state's input and the context object. Failures are workflow errors:
 * States.IntrinsicFailure for bad arguments (and for an expression that does not parse, should an unvalidated
 * definition reach here), States.Runtime for an argument path that selects nothing.
 * @example evaluateIntrinsic('States.MathAdd($.n, 1)', { n: 41 }, {}, env) // 42
 */
export function evaluateIntrinsic(expression: string, input: Json, context: Json, env: IntrinsicEnv): Json {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(expression);
  } catch (error) {
    throw new StatesError(StatesErrors.IntrinsicFailure, (error as Error).message);
  }
  return run(call, { input, context, env });
}

interface Sources {
  input: Json;
  context: Json;
  env: IntrinsicEnv;
}

function run(call: IntrinsicCall, sources: Sources): Json {
  const values = call.args.map((arg) => argumentValue(arg, sources, call.name));
  const rawLiterals = call.args.map((arg) => (arg.kind === 'string' ? arg.raw : undefined));
  return FUNCTIONS[call.name as IntrinsicName].run({ name: call.name, values, env: sources.env, rawLiterals });
}

function argumentValue(arg: IntrinsicArg, sources: Sources, caller: string): Json {
  switch (arg.kind) {
    case 'string':
    case 'literal':
      return arg.value;
    case 'path':
      return evaluatePath(arg.path, arg.source === 'context' ? sources.context : sources.input, `${caller} argument`);
    case 'call':
      return run(arg.call, sources);
  }
}
