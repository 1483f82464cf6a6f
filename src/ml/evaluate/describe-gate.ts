import type { BaselineComparison, GateCheck, GateResult } from './gate.js';
import { compare, NEGATED_OP } from './gate-condition.js';

/**
 * One line saying why a gate failed (or that it passed), fit for an ASL Fail state's Cause.
 * @example describeGateFailure(result) // 'quality gate failed: test:auc 0.812 < 0.85'
 */
export function describeGateFailure(result: GateResult): string {
  if (result.passed) {
    const what = result.checks.map(describeCheck);
    if (result.baseline !== undefined) what.push(describeBaseline(result.baseline));
    return `quality gate passed: ${what.join('; ')}`;
  }
  const failed = result.checks.filter((c) => !c.passed).map(describeCheck);
  if (result.baseline !== undefined && !result.baseline.passed) failed.push(describeBaseline(result.baseline));
  return `quality gate failed: ${failed.join('; ')}`;
}

function describeCheck(check: GateCheck): string {
  const name = `${check.channel}:${check.metric}`;
  if (check.actual === null) return `${name} missing: ${check.reason ?? 'no value'}`;
  const op = check.passed ? check.op : NEGATED_OP[check.op];
  const short = formatNumber(check.actual);
  // Rounding must not make the message contradict the verdict (0.84999 shown as 0.85 < 0.85).
  const shown = compare(check.op, Number(short), check.threshold) === check.passed ? short : String(check.actual);
  return `${name} ${shown} ${op} ${check.threshold}`;
}

function describeBaseline(b: BaselineComparison): string {
  const head = `baseline check ${b.metric}`;
  if (b.candidate === null || b.baseline === null) return `${head}: ${b.reason ?? 'missing'}`;
  const values = `${formatNumber(b.candidate)} vs baseline ${formatNumber(b.baseline)}`;
  if (b.passed) return `${head} ${values}`;
  return `${head} ${values}: ${b.reason ?? 'not improved enough'}`;
}

/** Rounds to 4 significant digits (keeping every integer digit) for messages. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  const integerDigits = magnitude >= 1 ? Math.floor(Math.log10(magnitude)) + 1 : 1;
  return String(Number(value.toPrecision(Math.min(21, Math.max(4, integerDigits)))));
}
