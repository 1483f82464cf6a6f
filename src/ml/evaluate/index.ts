/**
 * Evaluation metrics and the quality gate: pure functions over arrays and plain objects, JSON-ready results.
 * This file is the module's only public entry.
 */
export {
  type BinaryInput,
  type BinaryMetrics,
  type ConfusionMatrix,
  DEFAULT_CURVE_POINTS,
  DEFAULT_THRESHOLD,
  evaluateBinary,
  LOGLOSS_EPS,
  type NullableBinaryMetric,
} from './binary.js';
export type { PrPoint, RocPoint } from './curves.js';
export { describeGateFailure } from './describe-gate.js';
export {
  type BaselineComparison,
  type BaselineSpec,
  type ChannelMetrics,
  evaluateGate,
  type GateCheck,
  type GateInput,
  type GateResult,
} from './gate.js';
export { GATE_OPS, type GateCondition, type GateOp, type MetricRef, parseGateCondition } from './gate-condition.js';
export {
  type EvaluationResult,
  gateMetrics,
  type MetricDirection,
  type MetricValues,
  metricDirection,
} from './metric-names.js';
export { evaluateMulticlass, type MulticlassInput, type MulticlassMetrics } from './multiclass.js';
export { evaluateRegression, type RegressionInput, type RegressionMetrics } from './regression.js';
