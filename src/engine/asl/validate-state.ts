import type { StateType } from './definition.js';
import { isJsonObject, type JsonObject } from './json.js';
import { checkChoice } from './validate-choice.js';
import { checkCatch, checkRetry, type Edge } from './validate-retry.js';
import {
  checkFields,
  checkPath,
  checkPayloadTemplate,
  isNonNegativeInteger,
  isPositiveInteger,
  isRfc3339Timestamp,
  type Location,
  ProblemCodes,
  type Report,
  show,
} from './validate-support.js';

/** Validates a Parallel branch or a Map item processor: a nested scope with its own StartAt and States. */
export type ScopeCheck = (at: Location, scope: unknown, kind: 'branch' | 'processor') => void;

interface StateCheck {
  type: StateType;
  report: Report;
  at: Location;
  /** `state "Train"`: how messages name the state. */
  owner: string;
  state: JsonObject;
  checkScope: ScopeCheck;
}

const COMMON = ['Type', 'Comment', 'QueryLanguage', 'InputPath', 'OutputPath'];
const FLOW = [...COMMON, 'Next', 'End'];
const RESULT = ['Parameters', 'ResultSelector', 'ResultPath', 'Retry', 'Catch'];
const FIELDS: { [K in StateType]: ReadonlySet<string> } = {
  Pass: new Set([...FLOW, 'Result', 'ResultPath', 'Parameters']),
  Task: new Set([
    ...[...FLOW, ...RESULT, 'Resource', 'Credentials'],
    ...['TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath'],
  ]),
  Choice: new Set([...COMMON, 'Choices', 'Default']),
  Wait: new Set([...FLOW, 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']),
  Succeed: new Set(COMMON),
  Fail: new Set(['Type', 'Comment', 'QueryLanguage', 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([...FLOW, ...RESULT, 'Branches']),
  Map: new Set([
    ...FLOW,
    ...RESULT,
    ...['ItemProcessor', 'Iterator', 'ItemsPath', 'ItemSelector', 'Label', 'MaxConcurrency', 'MaxConcurrencyPath'],
    ...['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount'],
    'ToleratedFailureCountPath',
  ]),
};
/** Fields AWS accepts (JSONata, variables, distributed Map sources) that Flywheel's engine does not implement. */
const UNSUPPORTED = new Set(['Assign', 'Output', 'Arguments', 'Items', 'ItemReader', 'ItemBatcher', 'ResultWriter']);
const ENDS_EXECUTION: ReadonlySet<string> = new Set(['Succeed', 'Fail', 'Choice']);

function isStateType(type: unknown): type is StateType {
  return typeof type === 'string' && Object.hasOwn(FIELDS, type);
}

/**
 * Checks one state: its Type, fields, paths, transition (Next/End) and the rules of its type, recursing into Parallel
 * branches and Map processors through checkScope. Returns the state's edges for the scope's graph checks.
 */
export function checkState(report: Report, at: Location, name: string, state: unknown, checkScope: ScopeCheck): Edge[] {
  const owner = `state ${JSON.stringify(name)}`;
  if (!isJsonObject(state)) {
    report(at, ProblemCodes.Schema, `${owner} must be an object with a Type (got ${show(state)})`);
    return [];
  }
  const type = state.Type;
  if (!isStateType(type)) {
    const expected = Object.keys(FIELDS).join(', ');
    report([...at, 'Type'], ProblemCodes.Schema, `${owner} has Type ${show(type)}; expected one of ${expected}`);
    return typeof state.Next === 'string' ? [{ target: state.Next, at: [...at, 'Next'], field: 'Next' }] : [];
  }
  const check: StateCheck = { type, report, at, owner, state, checkScope };
  const terminal = ENDS_EXECUTION.has(type);
  const fields = terminal
    ? Object.fromEntries(Object.entries(state).filter(([key]) => key !== 'Next' && key !== 'End'))
    : state;
  checkFields(report, at, fields, owner, FIELDS[type], UNSUPPORTED);
  for (const field of ['InputPath', 'OutputPath']) {
    if (field in state) checkPath(report, [...at, field], `${owner} ${field}`, state[field], { nullable: true });
  }
  if ('QueryLanguage' in state && state.QueryLanguage !== 'JSONPath') {
    const code = state.QueryLanguage === 'JSONata' ? ProblemCodes.Unsupported : ProblemCodes.Schema;
    report(
      [...at, 'QueryLanguage'],
      code,
      `${owner} has QueryLanguage ${show(state.QueryLanguage)}; Flywheel runs JSONPath`,
    );
  }
  const edges = terminal ? checkNoTransition(check, type) : checkTransition(check);
  return [...edges, ...TYPE_CHECKS[type](check)];
}

function checkNoTransition({ report, at, owner, state }: StateCheck, type: string): Edge[] {
  const why = type === 'Choice' ? 'moves on through Choices and Default' : 'ends the execution';
  for (const field of ['Next', 'End']) {
    if (field in state)
      report([...at, field], ProblemCodes.Schema, `${owner} is a ${type} state, which ${why}: it cannot have ${field}`);
  }
  return [];
}

function checkTransition({ report, at, owner, state }: StateCheck): Edge[] {
  const hasNext = 'Next' in state;
  if (hasNext && 'End' in state) {
    report(at, ProblemCodes.Schema, `${owner} has both Next and End; it either goes on (Next) or ends (End: true)`);
  } else if (!hasNext && !('End' in state)) {
    report(at, ProblemCodes.Schema, `${owner} needs Next (the state to go to) or End: true`);
  }
  if ('End' in state && state.End !== true) {
    report([...at, 'End'], ProblemCodes.Schema, `${owner} has End ${show(state.End)}; End must be true (or use Next)`);
  }
  if (!hasNext) return [];
  if (typeof state.Next === 'string') return [{ target: state.Next, at: [...at, 'Next'], field: 'Next' }];
  report([...at, 'Next'], ProblemCodes.Schema, `${owner} has Next ${show(state.Next)}; Next must be a state name`);
  return [];
}

/** Reports a state that sets both of two mutually exclusive fields. */
function exclusive({ report, at, owner, state }: StateCheck, first: string, second: string): void {
  if (first in state && second in state) {
    report([...at, second], ProblemCodes.Schema, `${owner} has both ${first} and ${second}; keep one`);
  }
}

/** Reports a literal field that fails a rule. */
function literal(check: StateCheck, field: string, valid: (value: unknown) => boolean, expected: string): void {
  const { report, at, owner, state } = check;
  if (field in state && !valid(state[field])) {
    report([...at, field], ProblemCodes.Schema, `${owner} has ${field} ${show(state[field])}; it must be ${expected}`);
  }
}

function referencePath(check: StateCheck, field: string): void {
  const { report, at, owner, state } = check;
  if (field in state) checkPath(report, [...at, field], `${owner} ${field}`, state[field], { reference: true });
}

/** Payload templates, ResultPath, Retry and Catch, each checked where the state type has it. */
function checkResultHandling(check: StateCheck): Edge[] {
  const { type, report, at, owner, state } = check;
  // Only the templates this type has: a stray one is already reported as an unknown field.
  for (const field of ['Parameters', 'ResultSelector', 'ItemSelector', 'Credentials']) {
    if (field in state && FIELDS[type].has(field))
      checkPayloadTemplate(report, [...at, field], `${owner} ${field}`, state[field]);
  }
  if ('ResultPath' in state) {
    const rules = { nullable: true, reference: true, inputOnly: true };
    checkPath(report, [...at, 'ResultPath'], `${owner} ResultPath`, state.ResultPath, rules);
  }
  if ('Retry' in state && FIELDS[type].has('Retry')) checkRetry(report, [...at, 'Retry'], owner, state.Retry);
  return 'Catch' in state && FIELDS[type].has('Catch') ? checkCatch(report, [...at, 'Catch'], owner, state.Catch) : [];
}

const TYPE_CHECKS: { [K in StateType]: (check: StateCheck) => Edge[] } = {
  Pass: checkResultHandling,
  Succeed: () => [],
  Choice: ({ report, at, owner, state }) => checkChoice(report, at, owner, state),
  Wait(check) {
    const { report, at, owner, state } = check;
    const given = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((field) => field in state);
    if (given.length !== 1) {
      const problem = given.length === 0 ? 'needs one of' : `has ${given.join(' and ')}; it takes exactly one of`;
      report(at, ProblemCodes.Schema, `${owner} ${problem} Seconds, Timestamp, SecondsPath or TimestampPath`);
    }
    literal(check, 'Seconds', isNonNegativeInteger, 'an integer >= 0');
    literal(check, 'Timestamp', (v) => typeof v === 'string' && isRfc3339Timestamp(v), 'an RFC 3339 timestamp');
    referencePath(check, 'SecondsPath');
    referencePath(check, 'TimestampPath');
    return [];
  },
  Fail(check) {
    const { report, at, owner, state } = check;
    for (const field of ['Error', 'Cause']) {
      exclusive(check, field, `${field}Path`);
      literal(check, field, (value) => typeof value === 'string', 'a string');
      const path = `${field}Path`;
      if (path in state) {
        checkPath(report, [...at, path], `${owner} ${path}`, state[path], { intrinsic: true, reference: true });
      }
    }
    return [];
  },
  Task(check) {
    const { report, at, owner, state } = check;
    if (typeof state.Resource !== 'string' || state.Resource === '') {
      report(
        [...at, 'Resource'],
        ProblemCodes.Schema,
        `${owner} needs Resource: the task to run (got ${show(state.Resource)})`,
      );
    }
    for (const field of ['TimeoutSeconds', 'HeartbeatSeconds']) {
      exclusive(check, field, `${field}Path`);
      literal(check, field, isPositiveInteger, 'a positive integer');
      referencePath(check, `${field}Path`);
    }
    const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
    if (isPositiveInteger(timeout) && isPositiveInteger(heartbeat) && heartbeat >= timeout) {
      const message = `${owner} has HeartbeatSeconds ${heartbeat}, which must be less than TimeoutSeconds ${timeout}`;
      report([...at, 'HeartbeatSeconds'], ProblemCodes.Schema, message);
    }
    return checkResultHandling(check);
  },
  Parallel(check) {
    const { report, at, owner, state, checkScope } = check;
    const branches = state.Branches;
    if (!Array.isArray(branches) || branches.length === 0) {
      report([...at, 'Branches'], ProblemCodes.Schema, `${owner} needs Branches: a non-empty array of branches`);
    } else {
      for (const [i, branch] of branches.entries()) checkScope([...at, 'Branches', i], branch, 'branch');
    }
    return checkResultHandling(check);
  },
  Map(check) {
    const { report, at, owner, state, checkScope } = check;
    const processors = ['ItemProcessor', 'Iterator'].filter((field) => field in state);
    if (processors.length === 0)
      report(at, ProblemCodes.Schema, `${owner} needs ItemProcessor: the states run for each item`);
    exclusive(check, 'ItemProcessor', 'Iterator');
    for (const field of processors) checkScope([...at, field], state[field], 'processor');
    exclusive(check, 'ItemSelector', 'Parameters');
    referencePath(check, 'ItemsPath');
    for (const field of ['MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount']) {
      exclusive(check, field, `${field}Path`);
      referencePath(check, `${field}Path`);
    }
    literal(check, 'MaxConcurrency', isNonNegativeInteger, 'an integer >= 0 (0 means no limit)');
    literal(check, 'ToleratedFailureCount', isNonNegativeInteger, 'an integer >= 0');
    const percentage = (value: unknown) => typeof value === 'number' && value >= 0 && value <= 100;
    literal(check, 'ToleratedFailurePercentage', percentage, 'a number from 0 to 100');
    literal(check, 'Label', (value) => typeof value === 'string', 'a string');
    return checkResultHandling(check);
  },
};
