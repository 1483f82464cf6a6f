/** The comparison operators a gate condition may use. */
export const GATE_OPS = ['>=', '>', '<=', '<', '=='] as const;
export type GateOp = (typeof GATE_OPS)[number];

/** A parsed `<channel>:<metric> <op> <number>` condition; `text` is what the user wrote. */
export interface GateCondition {
  text: string;
  channel: string;
  metric: string;
  op: GateOp;
  threshold: number;
}

/** A `<channel>:<metric>` reference such as `test:auc`. */
export interface MetricRef {
  channel: string;
  metric: string;
}

const compareBy: { [K in GateOp]: (actual: number, threshold: number) => boolean } = {
  '>=': (a, t) => a >= t,
  '>': (a, t) => a > t,
  '<=': (a, t) => a <= t,
  '<': (a, t) => a < t,
  // Exact equality: metrics are floats, so `==` is meant for counts and exact values such as accuracy 1.
  '==': (a, t) => a === t,
};

/** The operator that holds when `op` fails, for messages like `test:auc 0.812 < 0.85`. */
export const NEGATED_OP: { [K in GateOp]: string } = { '>=': '<', '>': '<=', '<=': '>', '<': '>=', '==': '!=' };

/** True when `actual op threshold` holds. */
export function compare(op: GateOp, actual: number, threshold: number): boolean {
  return compareBy[op](actual, threshold);
}

const REF = /^([A-Za-z_][A-Za-z0-9_-]*):([A-Za-z_][A-Za-z0-9_@.-]*)$/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const ANY_OP = /(>=|<=|==|=>|=<|!=|>|<|=)/;
const EXPECTED = `expected "<channel>:<metric> <op> <number>" with <op> one of ${GATE_OPS.join(', ')}`;

/**
 * Parses a `<channel>:<metric> <op> <number>` condition; throws an Error naming the text and the part that is wrong.
 * @example parseGateCondition('validation:auc >= 0.85') // { channel: 'validation', metric: 'auc', op: '>=', ... }
 */
export function parseGateCondition(text: string): GateCondition {
  const fail = (what: string): never => {
    throw new Error(
      `quality gate condition ${JSON.stringify(text)}: ${what}; ${EXPECTED}, e.g. "validation:auc >= 0.85"`,
    );
  };
  if (typeof text !== 'string' || text.trim() === '') return fail('is empty');
  const match = ANY_OP.exec(text);
  if (match === null) return fail('has no comparison operator');
  const op = match[1] ?? '';
  if (!isGateOp(op)) return fail(`operator "${op}" is not supported`);
  const left = text.slice(0, match.index).trim();
  const right = text.slice(match.index + op.length).trim();
  const ref = REF.exec(left);
  if (ref === null) return fail(`left side "${left}" is not <channel>:<metric> (letters, digits, _ and -)`);
  if (!NUMBER.test(right)) return fail(`right side "${right}" is not a number`);
  return { text: text.trim(), channel: ref[1]!, metric: ref[2]!, op, threshold: Number(right) };
}

/** Parses `<channel>:<metric>`; throws an Error naming `where` (e.g. `baseline.metric`) and the text. */
export function parseMetricRef(text: string, where: string): MetricRef {
  const ref = typeof text === 'string' ? REF.exec(text.trim()) : null;
  if (ref === null) {
    throw new Error(`${where} ${JSON.stringify(text)} is not <channel>:<metric>; expected e.g. "test:auc"`);
  }
  return { channel: ref[1]!, metric: ref[2]! };
}

function isGateOp(op: string): op is GateOp {
  return (GATE_OPS as readonly string[]).includes(op);
}
