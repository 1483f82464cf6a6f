import { compileStringMatches, OPERATORS, type Operator } from './choice-operators.js';
import type { ChoiceExpression, ChoiceRule, ChoiceState } from './definition.js';
import { StatesError, StatesErrors } from './errors.js';
import { isJsonObject, type Json } from './json.js';
import { evaluatePath, tryEvaluatePath } from './json-path.js';

/** AWS's cause when no Choice rule matches and there is no Default (it reports States.Runtime, not NoChoiceMatched). */
export const NO_CHOICE_MATCHED_CAUSE =
  'Failed to transition out of the state. The state does not point to a next state.';

/** Fields of a data-test rule that are not its comparison operator. */
const NOT_OPERATORS = new Set(['Variable', 'Next', 'Comment', 'Assign', 'Output']);

type Test = (input: Json, context: Json) => boolean;

/** Compiled rules, by rule object: a definition's rules are evaluated many times, so each is analysed once. */
const compiled = new WeakMap<object, Test>();

/**
 * Evaluates one Choice rule against the state's effective input. Type mismatches are false; a Variable (or a `...Path`
 * operand) that selects nothing fails with States.Runtime, except under IsPresent. Paths starting `$$` read `context`.
 * @example evaluateChoiceRule({ Variable: '$.n', NumericGreaterThan: 3 }, { n: 5 }) // true
 */
export function evaluateChoiceRule(rule: ChoiceRule, input: Json, context: Json = null): boolean {
  return compile(rule)(input, context);
}

/**
 * The next state of a Choice state: the Next of the first top-level rule that matches, else Default, else a
 * States.Runtime failure worded as AWS words it (the spec names States.NoChoiceMatched; AWS does not use it).
 */
export function selectNext(state: ChoiceState, input: Json, context: Json = null): string {
  for (const rule of state.Choices) {
    if (!evaluateChoiceRule(rule, input, context)) continue;
    if (rule.Next === undefined) throw new Error(`Choice rule ${JSON.stringify(rule)} matched but has no Next`);
    return rule.Next;
  }
  if (state.Default !== undefined) return state.Default;
  throw new StatesError(StatesErrors.Runtime, NO_CHOICE_MATCHED_CAUSE);
}

function compile(rule: ChoiceExpression): Test {
  let test = compiled.get(rule);
  if (!test) {
    test = build(rule);
    compiled.set(rule, test);
  }
  return test;
}

const isAnd = (rule: ChoiceExpression): rule is { And: ChoiceRule[] } => 'And' in rule && Array.isArray(rule.And);
const isOr = (rule: ChoiceExpression): rule is { Or: ChoiceRule[] } => 'Or' in rule && Array.isArray(rule.Or);
const isNot = (rule: ChoiceExpression): rule is { Not: ChoiceRule } => 'Not' in rule && isJsonObject(rule.Not);

function build(rule: ChoiceExpression): Test {
  if (isAnd(rule)) {
    const parts = rule.And.map(compile);
    return (input, context) => parts.every((part) => part(input, context));
  }
  if (isOr(rule)) {
    const parts = rule.Or.map(compile);
    return (input, context) => parts.some((part) => part(input, context));
  }
  if (isNot(rule)) {
    const inner = compile(rule.Not);
    return (input, context) => !inner(input, context);
  }
  if (!('Variable' in rule) || typeof rule.Variable !== 'string') {
    throw new Error(`Choice rule ${JSON.stringify(rule)} needs And, Or, Not, or a Variable path with one operator`);
  }
  const names = Object.keys(rule).filter((key) => !NOT_OPERATORS.has(key));
  const operator = names.length === 1 ? OPERATORS.get(names[0]!) : undefined;
  if (operator === undefined) {
    throw new Error(`Choice rule ${JSON.stringify(rule)} must have exactly one comparison operator (found ${names})`);
  }
  return dataTest(rule.Variable, names[0]!, operator, rule[names[0]!]!);
}

/** Reads a path on the input, or on the context object for `$$...`, failing with AWS's Choice wording when absent. */
function read(path: string, input: Json, context: Json, field: string): Json {
  return evaluatePath(path, path.startsWith('$$') ? context : input, field);
}

function dataTest(variable: string, name: string, operator: Operator, operand: Json): Test {
  const where = `Choice rule field ${name}`;
  switch (operator.kind) {
    case 'present': {
      const expected = expectBoolean(operand, where);
      return (input, context) =>
        tryEvaluatePath(variable, variable.startsWith('$$') ? context : input).found === expected;
    }
    case 'type': {
      const expected = expectBoolean(operand, where);
      return (input, context) => operator.check(read(variable, input, context, 'Variable')) === expected;
    }
    case 'matches': {
      if (typeof operand !== 'string')
        throw new Error(`${where} must be a string pattern (got ${JSON.stringify(operand)})`);
      const matches = compileStringMatches(operand);
      return (input, context) => {
        const value = read(variable, input, context, 'Variable');
        return typeof value === 'string' && matches(value);
      };
    }
    case 'compare': {
      const { order, accepts, operandIsPath } = operator;
      if (operandIsPath && typeof operand !== 'string') {
        throw new Error(`${where} must be a path string (got ${JSON.stringify(operand)})`);
      }
      return (input, context) => {
        const value = read(variable, input, context, 'Variable');
        const other = operandIsPath ? read(operand as string, input, context, name) : operand;
        const result = order(value, other);
        return result !== undefined && accepts(result);
      };
    }
  }
}

function expectBoolean(operand: Json, where: string): boolean {
  if (typeof operand !== 'boolean') throw new Error(`${where} must be true or false (got ${JSON.stringify(operand)})`);
  return operand;
}
