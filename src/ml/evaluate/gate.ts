import { formatNumber } from './describe-gate.js';
import {
  compare,
  type GateCondition,
  type GateOp,
  type MetricRef,
  parseGateCondition,
  parseMetricRef,
} from './gate-condition.js';
import { KNOWN_DIRECTION_METRICS, type MetricDirection, type MetricValues, metricDirection } from './metric-names.js';

/** Metrics by channel (`train`, `validation`, `test`, ...), then by metric name. */
export type ChannelMetrics = Readonly<Record<string, Readonly<MetricValues>>>;

export interface BaselineSpec {
  /** The baseline (e.g. the model in production) evaluated on the same channels. */
  metrics: ChannelMetrics;
  /** `<channel>:<metric>` to compare, e.g. `test:auc`; its direction comes from the metric name. */
  metric: string;
  /** Least improvement in the metric's own units; negative tolerates a regression. */
  minAbsoluteImprovement?: number;
  /** Least improvement as a fraction of |baseline| (0.02 = 2 %). */
  minRelativeImprovement?: number;
}

export interface GateInput {
  /** Condition texts, or conditions as parseGateCondition returns them. */
  conditions: ReadonlyArray<string | GateCondition>;
  metrics: ChannelMetrics;
  baseline?: BaselineSpec;
}

export interface GateCheck {
  condition: string;
  channel: string;
  metric: string;
  op: GateOp;
  threshold: number;
  actual: number | null;
  passed: boolean;
  /** Why the check failed without a comparison (metric missing or null). */
  reason?: string;
}

export interface BaselineComparison {
  metric: string;
  direction: MetricDirection;
  candidate: number | null;
  baseline: number | null;
  /** Signed so that positive is better: candidate − baseline, or baseline − candidate for lower-is-better. */
  improvement: number | null;
  /** improvement / |baseline|; null when the baseline is 0 or a value is missing. */
  relativeImprovement: number | null;
  requiredAbsoluteImprovement: number | null;
  requiredRelativeImprovement: number | null;
  passed: boolean;
  reason?: string;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  baseline?: BaselineComparison;
}

/**
 * Improvements are compared with this relative slack so that 0.3 over 0.2 meets a 0.1 minimum despite binary
 * floating point (0.3 − 0.2 = 0.09999999999999998). Conditions compare measured values with typed ones and need none.
 */
const IMPROVEMENT_SLACK = 1e-12;

/**
 * Checks every condition by metric name (a missing or null metric fails its check with a reason, never passes) and,
 * if given, the candidate against the baseline; throws only on a malformed gate (bad condition, unknown direction).
 * @example evaluateGate({ conditions: ['test:auc >= 0.85'], metrics: { test: { auc: 0.9 } } }).passed // true
 */
export function evaluateGate(input: GateInput): GateResult {
  if (input.conditions.length === 0 && input.baseline === undefined) {
    throw new Error('quality gate has no conditions and no baseline; give at least one, e.g. "validation:auc >= 0.85"');
  }
  const conditions = input.conditions.map((c) => (typeof c === 'string' ? parseGateCondition(c) : c));
  const checks = conditions.map((c) => check(c, input.metrics));
  const result: GateResult = { passed: checks.every((c) => c.passed), checks };
  if (input.baseline !== undefined) {
    result.baseline = compareWithBaseline(input.metrics, input.baseline);
    result.passed &&= result.baseline.passed;
  }
  return result;
}

function check(condition: GateCondition, metrics: ChannelMetrics): GateCheck {
  const { text, channel, metric, op, threshold } = condition;
  const found = lookup(metrics, { channel, metric });
  const base = { condition: text, channel, metric, op, threshold };
  if ('reason' in found) return { ...base, actual: null, passed: false, reason: found.reason };
  return { ...base, actual: found.value, passed: compare(op, found.value, threshold) };
}

/** A metric's value, or why there is none (naming what the channel does have). */
function lookup(metrics: ChannelMetrics, ref: MetricRef): { value: number } | { reason: string } {
  const { channel, metric } = ref;
  if (!Object.hasOwn(metrics, channel)) {
    const channels = Object.keys(metrics);
    const have = channels.length === 0 ? 'there are no channels' : `channels: ${channels.join(', ')}`;
    return { reason: `no metrics for channel "${channel}" (${have})` };
  }
  const values = metrics[channel];
  if (typeof values !== 'object' || values === null) {
    return { reason: `metrics for channel "${channel}" are not an object of metric values (got ${String(values)})` };
  }
  if (!Object.hasOwn(values, metric)) {
    const names = Object.keys(values);
    const have = names.length === 0 ? 'none' : names.join(', ');
    return { reason: `channel "${channel}" has no metric "${metric}" (it has: ${have})` };
  }
  const value = values[metric];
  if (value === null) {
    return { reason: `${channel}:${metric} is null (the evaluator could not compute it for that data)` };
  }
  // Infinity is refused too: it would compare, but turns into null in the JSON result.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { reason: `${channel}:${metric} is not a finite number (got ${String(value)})` };
  }
  return { value };
}

function compareWithBaseline(metrics: ChannelMetrics, spec: BaselineSpec): BaselineComparison {
  const ref = parseMetricRef(spec.metric, 'baseline.metric');
  const direction = metricDirection(ref.metric);
  if (direction === null) {
    throw new Error(
      `baseline.metric "${spec.metric}": cannot tell whether higher or lower "${ref.metric}" is better; ` +
        `use one of ${KNOWN_DIRECTION_METRICS.join(', ')}`,
    );
  }
  const minAbs = optionalFinite(spec.minAbsoluteImprovement, 'baseline.minAbsoluteImprovement');
  const minRel = optionalFinite(spec.minRelativeImprovement, 'baseline.minRelativeImprovement');
  // With no minimum given, the candidate must at least match the baseline.
  const requiredAbsoluteImprovement = minAbs ?? (minRel === null ? 0 : null);
  const empty = {
    metric: `${ref.channel}:${ref.metric}`,
    direction,
    candidate: null,
    baseline: null,
    improvement: null,
    relativeImprovement: null,
    requiredAbsoluteImprovement,
    requiredRelativeImprovement: minRel,
  };
  const candidate = lookup(metrics, ref);
  if ('reason' in candidate) return { ...empty, passed: false, reason: `candidate metrics: ${candidate.reason}` };
  const baseline = lookup(spec.metrics, ref);
  if ('reason' in baseline) {
    return { ...empty, candidate: candidate.value, passed: false, reason: `baseline metrics: ${baseline.reason}` };
  }

  const c = candidate.value;
  const b = baseline.value;
  const improvement = direction === 'higher' ? c - b : b - c;
  const relativeImprovement = b === 0 ? null : improvement / Math.abs(b);
  const slack = IMPROVEMENT_SLACK * Math.max(1, Math.abs(c), Math.abs(b));
  const failures: string[] = [];
  if (requiredAbsoluteImprovement !== null && improvement < requiredAbsoluteImprovement - slack) {
    failures.push(`improvement ${formatNumber(improvement)} < required ${requiredAbsoluteImprovement}`);
  }
  if (minRel !== null) {
    if (relativeImprovement === null) failures.push('relative improvement is undefined because the baseline is 0');
    else if (relativeImprovement < minRel - IMPROVEMENT_SLACK) {
      failures.push(`relative improvement ${formatNumber(relativeImprovement)} < required ${minRel}`);
    }
  }
  const comparison = { ...empty, candidate: c, baseline: b, improvement, relativeImprovement };
  if (failures.length === 0) return { ...comparison, passed: true };
  return { ...comparison, passed: false, reason: failures.join(' and ') };
}

function optionalFinite(value: number | undefined, where: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${where} must be a finite number (got ${String(value)})`);
  }
  return value;
}
