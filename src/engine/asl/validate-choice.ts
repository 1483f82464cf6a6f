import { isJsonObject, type JsonObject } from './json.js';
import type { Edge } from './validate-retry.js';
import { checkPath, isRfc3339Timestamp, type Location, ProblemCodes, type Report, show } from './validate-support.js';

type Operand = 'string' | 'number' | 'boolean' | 'timestamp' | 'path';

const COMPARISONS: Record<string, Operand> = {
  StringMatches: 'string',
  BooleanEquals: 'boolean',
  BooleanEqualsPath: 'path',
  IsNull: 'boolean',
  IsPresent: 'boolean',
  IsNumeric: 'boolean',
  IsString: 'boolean',
  IsBoolean: 'boolean',
  IsTimestamp: 'boolean',
};
for (const [family, operand] of [
  ['String', 'string'],
  ['Numeric', 'number'],
  ['Timestamp', 'timestamp'],
] as const) {
  for (const test of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
    COMPARISONS[`${family}${test}`] = operand;
    COMPARISONS[`${family}${test}Path`] = 'path';
  }
}

const OPERAND_TEXT: Record<Operand, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  timestamp: 'an RFC 3339 timestamp such as "2016-03-14T01:59:00Z"',
  path: 'a JSONPath',
};
const COMBINATORS = ['And', 'Or', 'Not'] as const;
const UNSUPPORTED_RULE_FIELDS = new Set(['Assign', 'Condition']);

function isComparison(key: string): boolean {
  return Object.hasOwn(COMPARISONS, key);
}

/** Checks a Choice state's Choices and Default and returns its edges (each top-level rule's Next, and Default). */
export function checkChoice(report: Report, at: Location, owner: string, state: JsonObject): Edge[] {
  const edges: Edge[] = [];
  const choices = state.Choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    report([...at, 'Choices'], ProblemCodes.Schema, `${owner} needs Choices: a non-empty array of choice rules`);
  } else {
    for (const [i, rule] of choices.entries())
      checkRule(report, [...at, 'Choices', i], `${owner} Choices[${i}]`, rule, edges, i);
  }
  if ('Default' in state) {
    if (typeof state.Default === 'string')
      edges.push({ target: state.Default, at: [...at, 'Default'], field: 'Default' });
    else
      report(
        [...at, 'Default'],
        ProblemCodes.Schema,
        `${owner} has Default ${show(state.Default)}; it must be a state name`,
      );
  }
  return edges;
}

/** One rule: top-level rules (index given) carry Next; rules nested in And, Or and Not must not. */
function checkRule(report: Report, at: Location, name: string, rule: unknown, edges: Edge[], index?: number): void {
  if (!isJsonObject(rule)) {
    report(at, ProblemCodes.Schema, `${name} must be a choice rule object (got ${show(rule)})`);
    return;
  }
  if (index !== undefined) {
    if (typeof rule.Next === 'string')
      edges.push({ target: rule.Next, at: [...at, 'Next'], field: `Choices[${index}].Next` });
    else report([...at, 'Next'], ProblemCodes.Schema, `${name} needs Next: the state to go to when the rule matches`);
  } else if ('Next' in rule) {
    report([...at, 'Next'], ProblemCodes.Schema, `${name} is nested in And, Or or Not and must not have Next`);
  }
  const combinators = COMBINATORS.filter((key) => key in rule);
  const operators = Object.keys(rule).filter(isComparison);
  for (const key of Object.keys(rule)) {
    if (key === 'Next' || key === 'Comment' || key === 'Variable' || isComparison(key)) continue;
    if ((COMBINATORS as readonly string[]).includes(key)) continue;
    const code = UNSUPPORTED_RULE_FIELDS.has(key) ? ProblemCodes.Unsupported : ProblemCodes.Schema;
    const why =
      code === ProblemCodes.Unsupported ? 'which Flywheel does not support yet' : 'which is not a choice rule field';
    report([...at, key], code, `${name} has the field "${key}", ${why}`);
  }
  if (combinators.length > 0) {
    if (combinators.length > 1 || operators.length > 0 || 'Variable' in rule) {
      const parts = [...combinators, ...('Variable' in rule ? ['Variable'] : []), ...operators].join(', ');
      report(
        at,
        ProblemCodes.Schema,
        `${name} mixes ${parts}; a rule is exactly one of And, Or, Not or a Variable test`,
      );
      return;
    }
    checkCombinator(report, at, name, combinators[0]!, rule, edges);
    return;
  }
  checkDataTest(report, at, name, rule, operators);
}

function checkCombinator(
  report: Report,
  at: Location,
  name: string,
  key: string,
  rule: JsonObject,
  edges: Edge[],
): void {
  const here = [...at, key];
  const value = rule[key];
  if (key === 'Not') {
    checkRule(report, here, `${name}.Not`, value, edges);
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    report(here, ProblemCodes.Schema, `${name} has ${key} ${show(value)}; it must be a non-empty array of rules`);
    return;
  }
  for (const [i, nested] of value.entries()) checkRule(report, [...here, i], `${name}.${key}[${i}]`, nested, edges);
}

/** A data-test rule: a Variable path and exactly one comparison operator with an operand of the right type. */
function checkDataTest(report: Report, at: Location, name: string, rule: JsonObject, operators: string[]): void {
  if (!('Variable' in rule)) {
    report(at, ProblemCodes.Schema, `${name} needs And, Or, Not, or a Variable with a comparison operator`);
  } else {
    checkPath(report, [...at, 'Variable'], `${name} Variable`, rule.Variable);
  }
  if (operators.length === 0) {
    report(at, ProblemCodes.Schema, `${name} has no comparison operator such as StringEquals or NumericGreaterThan`);
    return;
  }
  if (operators.length > 1) {
    report(
      at,
      ProblemCodes.Schema,
      `${name} has ${operators.length} comparison operators (${operators.join(', ')}); a rule tests exactly one, combine rules with And or Or`,
    );
  }
  for (const operator of operators) {
    const operand = COMPARISONS[operator]!;
    const value = rule[operator];
    const here = [...at, operator];
    if (operand === 'path') checkPath(report, here, `${name} ${operator}`, value);
    else if (!operandMatches(operand, value)) {
      report(here, ProblemCodes.Schema, `${name} has ${operator} ${show(value)}; it must be ${OPERAND_TEXT[operand]}`);
    }
  }
}

function operandMatches(operand: Exclude<Operand, 'path'>, value: unknown): boolean {
  if (operand === 'timestamp') return typeof value === 'string' && isRfc3339Timestamp(value);
  return typeof value === operand;
}
