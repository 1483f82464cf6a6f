/** Messages between trainFromFiles (main thread) and the training worker. */
import type { Model, RoundMetrics } from '../gbdt/index.js';

export interface TrainRequest {
  train: string;
  validation?: string | undefined;
  hyperparameters: Record<string, string | number>;
  label?: string | undefined;
  threads: number;
}

/** Milliseconds spent in each phase inside the worker. */
export interface TrainTimings {
  readMs: number;
  /** Quantile cuts and binning (XGBoost's sketch, part of its first round). */
  binMs: number;
  firstRoundMs: number;
  roundsMs: number;
}

export interface TrainResult {
  model: Model;
  modelJson: string;
  /** With early stopping: the 0-based best round (every round is kept in the model, as XGBoost does). */
  bestIteration: number | null;
  history: RoundMetrics[];
  stoppedEarly: boolean;
  timings: TrainTimings;
}

export type TrainWorkerMessage =
  | { kind: 'round'; round: number; metrics: RoundMetrics; bestIteration: number | null }
  | ({ kind: 'done' } & TrainResult)
  | { kind: 'error'; name: string; message: string };
