/** Pure gradient-boosted-tree core: XGBoost-compatible training maths, model format and scorer. No I/O. */
export { CsvError, CsvReader, type CsvOptions, type NumericTable, parseNumericCsv } from './csv.js';
export { ModelFormatError } from './json-fields.js';
export type { Model, ObjectiveName, Tree, TrainObjective } from './model.js';
export { type PredictOptions, predict, predictMargins, predictRow } from './scorer.js';
export { fromXgboostJson } from './xgboost-json-read.js';
export { toXgboostJson } from './xgboost-json-write.js';
export { type Allocate, type BinnedMatrix } from './binning.js';
export {
  buildHistograms,
  type HistogramBuilder,
  type HistogramData,
  type HistogramTask,
  histogramKernel,
} from './histogram.js';
export {
  EVAL_METRICS,
  type EvalMetric,
  HyperparameterError,
  type Hyperparameters,
  parseHyperparameters,
} from './hyperparameters.js';
export {
  type RoundMetrics,
  train,
  type TrainingData,
  TrainingError,
  type TrainingOptions,
  TrainingSession,
  type TrainingStep,
} from './training-session.js';
export { outputGroups } from './model.js';
export { transformMargins } from './objective-links.js';
