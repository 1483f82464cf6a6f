/** Pure gradient-boosted-tree core: XGBoost-compatible training maths, model format and scorer. No I/O. */
export { CsvError, CsvReader, type CsvOptions, type NumericTable, parseNumericCsv } from './csv.js';
export { ModelFormatError } from './json-fields.js';
export type { Model, ObjectiveName, Tree, TrainObjective } from './model.js';
export { type PredictOptions, predict, predictMargins, predictRow } from './scorer.js';
export { fromXgboostJson } from './xgboost-json-read.js';
export { toXgboostJson } from './xgboost-json-write.js';
