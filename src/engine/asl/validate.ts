import { isJsonObject, type JsonObject } from './json.js';
import type { Edge } from './validate-retry.js';
import { checkState, type ScopeCheck } from './validate-state.js';
import {
  checkFields,
  isPositiveInteger,
  type Location,
  type Problem,
  ProblemCodes,
  pathText,
  type Report,
  show,
} from './validate-support.js';

export { type Problem, type ProblemCode, ProblemCodes } from './validate-support.js';

/** What a schema validator run outside the pure core (asl-validator, through an adapter) reports. */
export interface SchemaProblem {
  code: string;
  message: string;
  /** A JSON Pointer to the value at fault, when the validator knows it: `/States/Train/Next`. */
  pointer?: string;
}

export interface ValidateOptions {
  /** Extra schema checks, e.g. asl-validator's; their problems are added unless ours already cover them. */
  schemaCheck?: (definition: unknown) => SchemaProblem[];
}

/** AWS's limit on a state name's length, in characters. */
export const MAX_STATE_NAME_LENGTH = 80;

const MACHINE_FIELDS = new Set(['Comment', 'StartAt', 'States', 'TimeoutSeconds', 'Version', 'QueryLanguage']);
const SCOPE_FIELDS = {
  branch: new Set(['Comment', 'StartAt', 'States']),
  processor: new Set(['Comment', 'StartAt', 'States', 'ProcessorConfig']),
};
const TERMINAL_TYPES = new Set(['Succeed', 'Fail']);

/**
 * Every problem in a state machine definition that AWS would reject (or that Flywheel cannot run), each with the
 * JSONPath of the value at fault and AWS's error code. An empty list means the definition is a StateMachineDefinition.
 * @example validateDefinition({ StartAt: 'Train', States: { Train: { Type: 'Pass', Next: 'Evaluate' } } })
 * // [{ path: '$.States.Train.Next', code: 'MISSING_TRANSITION_TARGET',
 * //    message: 'state "Train" names Next "Evaluate" which does not exist' }]
 */
export function validateDefinition(definition: unknown, options: ValidateOptions = {}): Problem[] {
  const ours: Problem[] = [];
  const report: Report = (at, code, message) => ours.push({ path: pathText(at), code, message });
  checkMachine(report, definition);
  const theirs = options.schemaCheck?.(definition) ?? [];
  return [
    ...ours,
    ...theirs.filter((problem) => !isCovered(problem, ours, definition)).map((p) => toProblem(p, definition)),
  ];
}

/** One line per problem: `$.States.Train.Next: state "Train" names ... (MISSING_TRANSITION_TARGET)`. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(({ path, code, message }) => `${path}: ${message} (${code})`).join('\n');
}

function checkMachine(report: Report, definition: unknown): void {
  if (!isJsonObject(definition)) {
    report(
      [],
      ProblemCodes.Schema,
      `the definition must be a JSON object with StartAt and States (got ${show(definition)})`,
    );
    return;
  }
  checkFields(report, [], definition, 'the state machine', MACHINE_FIELDS);
  if ('TimeoutSeconds' in definition && !isPositiveInteger(definition.TimeoutSeconds)) {
    const got = show(definition.TimeoutSeconds);
    report(
      ['TimeoutSeconds'],
      ProblemCodes.Schema,
      `the state machine has TimeoutSeconds ${got}; it must be a positive integer`,
    );
  }
  if ('Version' in definition && typeof definition.Version !== 'string') {
    report(
      ['Version'],
      ProblemCodes.Schema,
      `the state machine has Version ${show(definition.Version)}; it must be a string`,
    );
  }
  if ('QueryLanguage' in definition && definition.QueryLanguage !== 'JSONPath') {
    const code = definition.QueryLanguage === 'JSONata' ? ProblemCodes.Unsupported : ProblemCodes.Schema;
    report(
      ['QueryLanguage'],
      code,
      `the state machine has QueryLanguage ${show(definition.QueryLanguage)}; Flywheel runs JSONPath`,
    );
  }
  checkScope(report, [], definition, 'the state machine', new Set());
}

/**
 * StartAt, States, the states themselves, and the graph of one scope. A Parallel branch or Map processor is a scope of
 * its own: its transitions may only name its own states (outer names only improve the message).
 */
function checkScope(report: Report, at: Location, scope: JsonObject, title: string, outer: ReadonlySet<string>): void {
  const states = isJsonObject(scope.States) ? scope.States : undefined;
  if (!states || Object.keys(states).length === 0) {
    report([...at, 'States'], ProblemCodes.Schema, `${title} needs States: an object of at least one named state`);
  }
  const names = new Set(Object.keys(states ?? {}));
  const visible = new Set([...outer, ...names]);
  const checkNested: ScopeCheck = (nestedAt, nested, kind) => checkNestedScope(report, nestedAt, nested, kind, visible);
  const edges = new Map<string, Edge[]>();
  for (const [name, state] of Object.entries(states ?? {})) {
    checkStateName(report, [...at, 'States', name], name);
    edges.set(name, checkState(report, [...at, 'States', name], name, state, checkNested));
  }
  let dangling = 0;
  for (const [name, outgoing] of edges) {
    for (const edge of outgoing.filter((e) => !names.has(e.target))) {
      dangling++;
      const where = outer.has(edge.target) ? ` in ${title}, which may only name its own states` : '';
      const message = `state ${JSON.stringify(name)} names ${edge.field} ${JSON.stringify(edge.target)} which does not exist${where}`;
      report(edge.at, ProblemCodes.MissingTransitionTarget, message);
    }
  }
  const startAt = scope.StartAt;
  if (typeof startAt !== 'string') {
    report(
      [...at, 'StartAt'],
      ProblemCodes.Schema,
      `${title} needs StartAt: the name of its first state (got ${show(startAt)})`,
    );
  } else if (!names.has(startAt)) {
    report(
      [...at, 'StartAt'],
      ProblemCodes.MissingTransitionTarget,
      `StartAt names ${JSON.stringify(startAt)} which does not exist`,
    );
  } else {
    checkReachable(report, at, startAt, edges);
  }
  const ends = Object.values(states ?? {}).some(claimsToEnd);
  // A dangling transition usually means a state is missing, so the terminal state may be that one: say it once.
  if (names.size > 0 && !ends && dangling === 0) {
    const message = `${title} has no terminal state: give a state End: true or add a Succeed or Fail state`;
    report([...at, 'States'], ProblemCodes.MissingTerminalState, message);
  }
}

/**
 * Whether a state ends the scope or means to: End (even a bad one), Succeed, Fail, or a state missing Next (reported on
 * its own), so that MISSING_TERMINAL_STATE is only for scopes where every path loops.
 */
function claimsToEnd(state: unknown): boolean {
  if (!isJsonObject(state)) return true;
  return 'End' in state || TERMINAL_TYPES.has(String(state.Type)) || (state.Type !== 'Choice' && !('Next' in state));
}

function checkNestedScope(
  report: Report,
  at: Location,
  scope: unknown,
  kind: 'branch' | 'processor',
  outer: ReadonlySet<string>,
): void {
  const title = kind === 'branch' ? `Parallel branch ${pathText(at)}` : `Map processor ${pathText(at)}`;
  if (!isJsonObject(scope)) {
    report(at, ProblemCodes.Schema, `${title} must be an object with StartAt and States (got ${show(scope)})`);
    return;
  }
  checkFields(report, at, scope, title, SCOPE_FIELDS[kind]);
  const config = scope.ProcessorConfig;
  if (kind === 'processor' && config !== undefined) {
    const valid =
      isJsonObject(config) &&
      Object.keys(config).every((key) => key === 'Mode' || key === 'ExecutionType') &&
      [undefined, 'INLINE', 'DISTRIBUTED'].includes(config.Mode as string | undefined) &&
      [undefined, 'STANDARD', 'EXPRESS'].includes(config.ExecutionType as string | undefined);
    if (!valid) {
      const message = `${title} has ProcessorConfig ${show(config)}; it takes Mode INLINE or DISTRIBUTED and ExecutionType STANDARD or EXPRESS`;
      report([...at, 'ProcessorConfig'], ProblemCodes.Schema, message);
    }
  }
  checkScope(report, at, scope, title, outer);
}

function checkStateName(report: Report, at: Location, name: string): void {
  const length = Array.from(name).length;
  if (length === 0) report(at, ProblemCodes.Schema, 'a state name must not be empty');
  if (length > MAX_STATE_NAME_LENGTH) {
    const message = `state name ${JSON.stringify(name)} is ${length} characters long; the limit is ${MAX_STATE_NAME_LENGTH}`;
    report(at, ProblemCodes.Schema, message);
  }
}

/** Every state must be reachable from StartAt through Next, Default, Choices and Catch. */
function checkReachable(report: Report, at: Location, startAt: string, edges: ReadonlyMap<string, Edge[]>): void {
  const reached = new Set([startAt]);
  const queue = [startAt];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const { target } of edges.get(name) ?? []) {
      if (edges.has(target) && !reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  for (const name of edges.keys()) {
    if (reached.has(name)) continue;
    const message = `state ${JSON.stringify(name)} is not reachable: no transition from StartAt ${JSON.stringify(startAt)} leads to it`;
    report([...at, 'States', name], ProblemCodes.MissingTransitionTarget, message);
  }
}

const TRANSITION_CODES = new Set([
  ProblemCodes.MissingTransitionTarget,
  'BRANCH_OUTBOUND_TRANSITION_TARGET',
  'MAP_OUTBOUND_TRANSITION_TARGET',
]);
const SUBJECTS = [/^State "?(.+?)"? is not reachable/, /target: (.+)$/, /^State "(.+?)" MUST/];

/**
 * Whether one of our problems already says what a schema problem says, so ours is kept and theirs dropped: one at the
 * same value, inside it or around it, or in the same state; or, when the validator gives no location, one naming the same state with a code
 * of the same kind (transitions versus schema) or, naming nothing, with the same code.
 */
function isCovered(problem: SchemaProblem, ours: readonly Problem[], definition: unknown): boolean {
  if (problem.pointer !== undefined) {
    const at = pointerLocation(problem.pointer, definition);
    const path = pathText(at);
    // asl-validator's oneOf schemas often blame a sibling field (Type for a bad ResultPath): the state is what counts.
    const state = stateOf(at);
    return ours.some(
      ({ path: mine }) => related(mine, path) || related(path, mine) || (state !== undefined && related(state, mine)),
    );
  }
  const subject = SUBJECTS.map((pattern) => pattern.exec(problem.message)?.[1]).find((name) => name !== undefined);
  if (subject === undefined) return ours.some(({ code }) => code === problem.code);
  const kind = (code: string) => TRANSITION_CODES.has(code);
  return ours.some(
    ({ code, message }) => kind(code) === kind(problem.code) && message.includes(JSON.stringify(subject)),
  );
}

/** The path of the innermost state a location lies in, if any: `$.States.P.Branches[0].States.B`. */
function stateOf(at: Location): string | undefined {
  const index = at.lastIndexOf('States');
  return index >= 0 && index + 1 < at.length ? pathText(at.slice(0, index + 2)) : undefined;
}

/** Whether `inner` is `outer` or lies inside it. */
function related(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
}

function toProblem(problem: SchemaProblem, definition: unknown): Problem {
  const at = problem.pointer === undefined ? [] : pointerLocation(problem.pointer, definition);
  return { path: pathText(at), code: problem.code, message: `asl-validator: ${problem.message}` };
}

/** `/States/P/Branches/0` → `['States', 'P', 'Branches', 0]`, indexes recognised by walking the definition. */
function pointerLocation(pointer: string, definition: unknown): Location {
  const at: (string | number)[] = [];
  let node: unknown = definition;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const index = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : undefined;
    at.push(index ?? key);
    node = index !== undefined ? (node as unknown[])[index] : isJsonObject(node) ? node[key] : undefined;
  }
  return at;
}
