import { StatesErrors } from './errors.js';
import { isJsonObject, type JsonObject } from './json.js';
import {
  checkFields,
  checkPath,
  isNonNegativeInteger,
  isPositiveInteger,
  type Location,
  ProblemCodes,
  type Report,
  show,
} from './validate-support.js';

/** A transition a state declares: the name it targets and where in the definition it is named. */
export interface Edge {
  target: string;
  at: Location;
  /** How the message names the field: `Next`, `Default`, `Catch[0].Next`, `Choices[1].Next`. */
  field: string;
}

const PREDEFINED_ERRORS: ReadonlySet<string> = new Set(Object.values(StatesErrors));
const RETRIER_FIELDS = new Set([
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
]);
const CATCHER_FIELDS = new Set(['ErrorEquals', 'Next', 'ResultPath', 'Comment']);
const CATCHER_UNSUPPORTED = new Set(['Assign', 'Output']);

/**
 * Retry: each retrier matches errors and bounds its attempts (MaxAttempts >= 0, IntervalSeconds >= 1,
 * BackoffRate >= 1, MaxDelaySeconds >= 1, JitterStrategy FULL or NONE).
 */
export function checkRetry(report: Report, at: Location, owner: string, retry: unknown): void {
  if (!Array.isArray(retry)) {
    report(at, ProblemCodes.Schema, `${owner} has Retry ${show(retry)}; Retry must be an array of retriers`);
    return;
  }
  retry.forEach((retrier, i) => {
    const here = [...at, i];
    const name = `${owner} Retry[${i}]`;
    if (!isJsonObject(retrier)) {
      report(here, ProblemCodes.Schema, `${name} must be an object with ErrorEquals`);
      return;
    }
    checkFields(report, here, retrier, name, RETRIER_FIELDS);
    checkErrorEquals(report, here, name, retrier, i === retry.length - 1, 'Retry');
    const rules: [string, (value: unknown) => boolean, string][] = [
      ['MaxAttempts', isNonNegativeInteger, 'an integer >= 0'],
      ['IntervalSeconds', isPositiveInteger, 'an integer >= 1'],
      ['BackoffRate', (value) => typeof value === 'number' && value >= 1, 'a number >= 1.0'],
      ['MaxDelaySeconds', isPositiveInteger, 'an integer >= 1'],
      ['JitterStrategy', (value) => value === 'FULL' || value === 'NONE', '"FULL" or "NONE"'],
    ];
    for (const [field, valid, expected] of rules) {
      if (field in retrier && !valid(retrier[field])) {
        report(
          [...here, field],
          ProblemCodes.Schema,
          `${name} has ${field} ${show(retrier[field])}; it must be ${expected}`,
        );
      }
    }
  });
}

/** Catch: each catcher matches errors and names the state to go to (an edge of the graph) and where the error goes. */
export function checkCatch(report: Report, at: Location, owner: string, catchers: unknown): Edge[] {
  if (!Array.isArray(catchers)) {
    report(at, ProblemCodes.Schema, `${owner} has Catch ${show(catchers)}; Catch must be an array of catchers`);
    return [];
  }
  const edges: Edge[] = [];
  catchers.forEach((catcher, i) => {
    const here = [...at, i];
    const name = `${owner} Catch[${i}]`;
    if (!isJsonObject(catcher)) {
      report(here, ProblemCodes.Schema, `${name} must be an object with ErrorEquals and Next`);
      return;
    }
    checkFields(report, here, catcher, name, CATCHER_FIELDS, CATCHER_UNSUPPORTED);
    checkErrorEquals(report, here, name, catcher, i === catchers.length - 1, 'Catch');
    if (typeof catcher.Next === 'string')
      edges.push({ target: catcher.Next, at: [...here, 'Next'], field: `Catch[${i}].Next` });
    else report([...here, 'Next'], ProblemCodes.Schema, `${name} needs Next: the name of the state to go to`);
    if ('ResultPath' in catcher) {
      checkPath(report, [...here, 'ResultPath'], `${name} ResultPath`, catcher.ResultPath, {
        nullable: true,
        reference: true,
        inputOnly: true,
      });
    }
  });
  return edges;
}

/** ErrorEquals: non-empty names; `States.ALL` alone and only in the last retrier or catcher; no made-up `States.` names. */
function checkErrorEquals(
  report: Report,
  at: Location,
  name: string,
  rule: JsonObject,
  last: boolean,
  list: string,
): void {
  const here = [...at, 'ErrorEquals'];
  const errors = rule.ErrorEquals;
  if (!Array.isArray(errors) || errors.length === 0 || errors.some((error) => typeof error !== 'string')) {
    report(
      here,
      ProblemCodes.Schema,
      `${name} needs ErrorEquals: a non-empty array of error names (got ${show(errors)})`,
    );
    return;
  }
  errors.forEach((error, i) => {
    if (typeof error === 'string' && error.startsWith('States.') && !PREDEFINED_ERRORS.has(error)) {
      report(
        [...here, i],
        ProblemCodes.Schema,
        `${name} names ${show(error)}, which is not a predefined error; names starting with "States." are reserved`,
      );
    }
  });
  if (!errors.includes(StatesErrors.ALL)) return;
  if (errors.length > 1) {
    report(here, ProblemCodes.Schema, `${name} lists States.ALL with other errors; States.ALL must appear alone`);
  }
  if (!last) {
    report(here, ProblemCodes.Schema, `${name} uses States.ALL but is not the last in ${list}; move it to the end`);
  }
}
