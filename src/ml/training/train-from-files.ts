/**
 * Trains from CSV files off the main thread: hyperparameters are checked here first (a bad one rejects before any
 * work starts), then a worker thread reads, trains and streams each round back. Aborting the signal terminates the
 * worker (and with it its helper threads).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HyperparameterError, parseHyperparameters, type RoundMetrics, TrainingError } from '../gbdt/index.js';
import type { TrainRequest, TrainResult, TrainWorkerMessage } from './train-protocol.js';

export type { TrainResult } from './train-protocol.js';

export interface TrainFromFilesOptions {
  train: string;
  validation?: string;
  hyperparameters: Record<string, string | number>;
  /** Name of the label column in a header line; the first column by default. */
  label?: string;
  onRound?(round: number, metrics: RoundMetrics): void;
  signal?: AbortSignal;
  /** Threads to train with; default `nthread`, else the machine's available parallelism. */
  threads?: number;
}

export function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const error = new Error('training was cancelled');
  error.name = 'AbortError';
  return error;
}

const WORKER_ERRORS: Record<string, new (message: string) => Error> = {
  TrainingError,
  CsvError: Error,
  ModelFormatError: Error,
};

/** @example await trainFromFiles({ train: 'train.csv', hyperparameters: { objective: 'binary:logistic' } }) */
export async function trainFromFiles(options: TrainFromFilesOptions): Promise<TrainResult> {
  const hp = parseHyperparameters(options.hyperparameters);
  if (hp.early_stopping_rounds !== null && !options.validation) {
    throw new HyperparameterError(['hyperparameters.early_stopping_rounds needs a validation channel']);
  }
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  const request: TrainRequest = {
    train: options.train,
    validation: options.validation,
    hyperparameters: options.hyperparameters,
    label: options.label,
    threads: options.threads ?? hp.nthread ?? availableParallelism(),
  };
  const worker = new Worker(new URL('./train-worker.js', import.meta.url), { workerData: request });
  return new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      settle(() => reject(abortError(signal!)));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: TrainWorkerMessage) => {
      if (message.kind === 'round') {
        if (!settled) options.onRound?.(message.round, message.metrics);
      } else if (message.kind === 'done') {
        const { model, modelJson, bestIteration, history, stoppedEarly, timings } = message;
        settle(() => resolve({ model, modelJson, bestIteration, history, stoppedEarly, timings }));
      } else {
        const ErrorType = WORKER_ERRORS[message.name] ?? Error;
        const error = new ErrorType(message.message);
        error.name = message.name;
        settle(() => reject(error));
        void worker.terminate();
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`training worker exited with code ${code}`))));
  });
}
