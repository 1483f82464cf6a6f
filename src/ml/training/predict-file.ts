/**
 * Batch prediction from a CSV file: feature columns only, or a label column first (ignored) when the file has one
 * column more than the model has features. Writes one line per row (one value, or one per class) when `out` is set.
 */
import { writeFile } from 'node:fs/promises';
import { type Model, outputGroups } from '../gbdt/index.js';
import { readCsvFile } from './csv-file.js';
import { loadModel } from './model-file.js';
import { predictBatch } from './predict-batch.js';

export interface PredictFileOptions {
  /** A model, or the path of an XGBoost JSON model file. */
  model: Model | string;
  input: string;
  out?: string;
  threads?: number;
  outputMargin?: boolean;
  rounds?: number;
}

export interface PredictFileResult {
  nRows: number;
  /** Values per row: 1, or the class count for multi:softprob. */
  groups: number;
  predictions: Float64Array;
}

export async function predictFile(options: PredictFileOptions): Promise<PredictFileResult> {
  const model = typeof options.model === 'string' ? await loadModel(options.model) : options.model;
  // Several threads score rows in shared memory: read them there, so that nothing is copied.
  const shared = (options.threads ?? 1) > 1;
  const allocate = shared ? (bytes: number) => new SharedArrayBuffer(bytes) : (bytes: number) => new ArrayBuffer(bytes);
  const table = readCsvFile(options.input, { label: false, allocate });
  let features = table.features;
  if (table.nCols === model.numFeature + 1) {
    features = new Float32Array(allocate(table.nRows * model.numFeature * 4));
    for (let r = 0; r < table.nRows; r++) {
      features.set(table.features.subarray(r * table.nCols + 1, (r + 1) * table.nCols), r * model.numFeature);
    }
  } else if (table.nCols !== model.numFeature) {
    throw new Error(
      `${options.input}: rows have ${table.nCols} columns; the model expects ${model.numFeature} features ` +
        `(or ${model.numFeature + 1} with a label column first)`,
    );
  }
  const predictions = await predictBatch(model, features, table.nRows, model.numFeature, {
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
    outputMargin: options.outputMargin ?? false,
  });
  const groups = model.objective === 'multi:softmax' && !options.outputMargin ? 1 : outputGroups(model);
  if (options.out) await writeFile(options.out, formatPredictions(predictions, groups));
  return { nRows: table.nRows, groups, predictions };
}

/** One line per row, values with 9 significant digits (float32 precision, as XGBoost predicts). */
export function formatPredictions(predictions: Float64Array, groups: number): string {
  const lines: string[] = [];
  for (let r = 0; r < predictions.length; r += groups) {
    const values: string[] = [];
    for (let k = 0; k < groups; k++) values.push(String(Number(predictions[r + k]!.toPrecision(9))));
    lines.push(values.join(','));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
