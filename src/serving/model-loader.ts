/**
 * The model-loader port: turns a model file into a scorer a replica calls. One implementation per model format
 * (`xgboost-json` today); an ONNX loader is another entry in `MODEL_LOADERS`. Runs inside replica processes.
 */
import { readFile } from 'node:fs/promises';
import { fromXgboostJson, predict } from '../ml/gbdt/index.js';

/** What a model reads and writes: the router validates requests against it. */
export interface ModelSignature {
  /** Features per row, in the order CSV columns and `instances` arrays give them. */
  numFeatures: number;
  /** One per feature: the model's own names, else `f0`, `f1`, ... (XGBoost's defaults). */
  featureNames: string[];
  /** Predictions per row: 1, or the class count for multi-class probabilities. */
  outputs: number;
}

export interface LoadedModel {
  readonly signature: ModelSignature;
  /** Scores `nRows` row-major rows (NaN = missing); `signature.outputs` values per row. */
  score(rows: Float32Array, nRows: number): Float64Array;
}

export interface ModelLoader {
  /** The format name a model reference resolves to, e.g. `xgboost-json`. */
  readonly format: string;
  /** Reads and checks the model; throws with a message naming the file and what is wrong with it. */
  load(path: string): Promise<LoadedModel>;
}

/** Flywheel's own model format (also XGBoost's): scored by the ML core's compiled-tree scorer. */
export const xgboostJsonLoader: ModelLoader = {
  format: 'xgboost-json',
  async load(path) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read model file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let model: ReturnType<typeof fromXgboostJson>;
    try {
      model = fromXgboostJson(text);
    } catch (error) {
      throw new Error(`${path} is not an XGBoost JSON model: ${(error as Error).message}`);
    }
    const numFeatures = model.numFeature;
    if (numFeatures < 1) throw new Error(`${path}: learner_model_param.num_feature must be at least 1 to serve it`);
    const names = model.featureNames.length === numFeatures ? model.featureNames : [];
    const featureNames = names.length > 0 ? names : Array.from({ length: numFeatures }, (_, i) => `f${i}`);
    // One row of missing values: proves the model scores, and tells how many values a row gets.
    const probe = predict(model, new Float32Array(numFeatures).fill(Number.NaN), 1, numFeatures);
    if (!probe.every(Number.isFinite)) throw new Error(`${path}: the model scores a row as ${probe.join(', ')}`);
    return {
      signature: { numFeatures, featureNames, outputs: probe.length },
      score: (rows, nRows) => predict(model, rows, nRows, numFeatures),
    };
  },
};

/** Every loader a replica knows, by format. */
export const MODEL_LOADERS: Readonly<Record<string, ModelLoader>> = { [xgboostJsonLoader.format]: xgboostJsonLoader };
