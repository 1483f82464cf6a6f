/** Training and batch prediction at the I/O edge: files, worker threads, cancellation. */
export { readCsvFile } from './csv-file.js';
export { loadModel, saveModel } from './model-file.js';
export { type BatchOptions, predictBatch } from './predict-batch.js';
export { formatPredictions, type PredictFileOptions, type PredictFileResult, predictFile } from './predict-file.js';
export {
  type PredictCommandArgs,
  parseHpArgs,
  runPredictCommand,
  runTrainCommand,
  type TrainCommandArgs,
} from './train-cli.js';
export { type TrainFromFilesOptions, type TrainResult, trainFromFiles } from './train-from-files.js';
export type { TrainTimings } from './train-protocol.js';
