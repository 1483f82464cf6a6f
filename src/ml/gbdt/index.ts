/** Pure gradient-boosted-tree core: XGBoost-compatible training maths, model format and scorer. No I/O. */

export type { Allocate, BinnedMatrix } from './binning.js';
export { CsvError, type CsvOptions, CsvReader, type NumericTable, parseNumericCsv } from './csv.js';
export { buildHistograms, type HistogramKernel, type HistogramTask, histogramKernel } from './histogram.js';
export {
  EVAL_METRICS,
  type EvalMetric,
  HyperparameterError,
  type Hyperparameters,
  parseHyperparameters,
} from './hyperparameters.js';
export { ModelFormatError } from './json-fields.js';
export type { Model, ObjectiveName, TrainObjective, Tree } from './model.js';
export { outputGroups } from './model.js';
export { transformMargins } from './objective-links.js';
export { computeGradientBlocks, type GradientInput } from './objectives.js';
export { mulberry32 } from './prng.js';
export { type PredictOptions, predict, predictMargins, predictRow } from './scorer.js';
export { betterSplit, findBestSplit, readSplit, type Split, type SplitParams, writeSplit } from './split.js';
export { type SyntheticOptions, synthetic } from './synthetic.js';
export {
  type RoundMetrics,
  type TrainingData,
  TrainingError,
  type TrainingOptions,
  TrainingSession,
  type TrainingStep,
  train,
} from './training-session.js';
export {
  addLeafValues,
  gradientBlockCount,
  type LeafUpdate,
  localExecutor,
  type PartitionRequest,
  partitionRows,
  type SplitRequest,
  type TrainingExecutor,
  type TrainingWork,
} from './tree-executor.js';
export { fromXgboostJson } from './xgboost-json-read.js';
export { toXgboostJson } from './xgboost-json-write.js';
