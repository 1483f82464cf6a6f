import {
  type BinaryMetrics,
  describeGateFailure,
  evaluateBinary,
  evaluateGate,
  evaluateMulticlass,
  evaluateRegression,
  type GateResult,
  gateMetrics,
  type MulticlassMetrics,
  type RegressionMetrics,
} from '../evaluate/index.js';
import { predict } from '../gbdt/index.js';
import { loadModel, readCsvFile } from '../training/index.js';

export interface EvaluateFileOptions {
  /** An XGBoost JSON model file. */
  model: string;
  /** A labelled CSV: label first (or named by `label` in a header line), features in the model's order. */
  test: string;
  label?: string;
  /** Binary models: a score above it counts as positive (default 0.5). */
  threshold?: number;
  /** The channel the metrics are filed under for the gate (default 'test'). */
  channel?: string;
  /** Gate conditions such as `test:auc >= 0.85`; metrics of other channels may be passed in `otherMetrics`. */
  gate?: {
    conditions: string[];
    baseline?: {
      metrics: Record<string, Record<string, number | null>>;
      metric: string;
      minAbsoluteImprovement?: number;
      minRelativeImprovement?: number;
    };
  };
  otherMetrics?: Record<string, Record<string, number | null>>;
}

export interface EvaluateFileResult {
  channel: string;
  rows: number;
  metrics: BinaryMetrics | RegressionMetrics | MulticlassMetrics;
  /** The metrics by the names gate conditions use, per channel. */
  gateMetrics: Record<string, Record<string, number | null>>;
  gate: GateResult | null;
  /** One line for people and for a Fail state's Cause, e.g. `quality gate failed: test:auc 0.812 < 0.85`. */
  verdict: string;
}

/** Scores a labelled file with a model and computes the metrics its objective calls for, then the gate if given. */
export async function evaluateModelFile(options: EvaluateFileOptions): Promise<EvaluateFileResult> {
  const model = await loadModel(options.model);
  const table = readCsvFile(options.test, {
    header: 'auto',
    ...(options.label !== undefined && { label: options.label }),
  });
  if (table.nCols !== model.numFeature) {
    throw new Error(
      `${options.test}: rows have ${table.nCols} feature columns but the model ${options.model} expects ${model.numFeature}`,
    );
  }
  const predictions = predict(model, table.features, table.nRows, table.nCols);
  const labels = Array.from(table.labels);
  let metrics: EvaluateFileResult['metrics'];
  if (model.objective.startsWith('multi:')) {
    metrics = evaluateMulticlass({ labels, probabilities: Array.from(predictions), numClass: model.numClass });
  } else if (model.objective === 'binary:logistic') {
    metrics = evaluateBinary({
      labels,
      scores: predictions,
      ...(options.threshold !== undefined && { threshold: options.threshold }),
    });
  } else {
    metrics = evaluateRegression({ labels, predictions });
  }
  const channel = options.channel ?? 'test';
  const all = { ...options.otherMetrics, [channel]: gateMetrics(metrics) };
  const gate = options.gate
    ? evaluateGate({
        conditions: options.gate.conditions,
        metrics: all,
        ...(options.gate.baseline && { baseline: options.gate.baseline }),
      })
    : null;
  const verdict =
    gate === null
      ? 'no quality gate'
      : gate.passed
        ? `quality gate passed: ${gate.checks.map((c) => c.condition).join('; ')}`
        : describeGateFailure(gate);
  return { channel, rows: table.nRows, metrics, gateMetrics: all, gate, verdict };
}
