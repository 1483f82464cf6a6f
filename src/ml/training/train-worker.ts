/** The training worker: reads the CSV files, trains round by round posting each round's metrics, then the model. */
import { parentPort, type Worker, workerData } from 'node:worker_threads';
import { parseHyperparameters, type TrainingData, TrainingSession, toXgboostJson } from '../gbdt/index.js';
import { readCsvFile } from './csv-file.js';
import { allocateShared, createParallelExecutor, type ParallelExecutor, startHelpers } from './parallel-executor.js';
import type { TrainRequest, TrainWorkerMessage } from './train-protocol.js';

const request = workerData as TrainRequest;
const post = (message: TrainWorkerMessage) => parentPort!.postMessage(message);

function read(path: string): TrainingData {
  const labelOption = request.label === undefined ? {} : { label: request.label };
  return readCsvFile(path, labelOption);
}

let pool: ParallelExecutor | null = null;
let helpers: Worker[] = [];
try {
  const hp = parseHyperparameters(request.hyperparameters);
  const threads = Math.max(1, request.threads);
  // Helper threads load while this one reads the files.
  helpers = startHelpers(threads);
  let started = performance.now();
  let train: TrainingData | null = read(request.train);
  const validation = request.validation ? read(request.validation) : undefined;
  const readMs = performance.now() - started;
  started = performance.now();
  const parallel = helpers.length > 0;
  const session = new TrainingSession(train, hp, {
    validation,
    ...(parallel
      ? {
          allocate: allocateShared,
          executor: (work) => {
            pool = createParallelExecutor(work, helpers);
            return pool;
          },
        }
      : {}),
  });
  train = null; // the float features are binned now: let them go
  const binMs = performance.now() - started;
  started = performance.now();
  let firstRoundMs = 0;
  let step = session.step();
  for (; step.kind === 'round'; step = session.step()) {
    if (step.round === 0) firstRoundMs = performance.now() - started;
    post(step);
  }
  const model = session.model();
  post({
    kind: 'done',
    model,
    modelJson: toXgboostJson(model),
    bestIteration: session.bestIteration,
    history: session.history,
    stoppedEarly: step.reason === 'early_stopping',
    timings: { readMs, binMs, firstRoundMs, roundsMs: performance.now() - started },
  });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'error', name: e.name, message: e.message });
} finally {
  const executor = pool as ParallelExecutor | null;
  if (executor) executor.close();
  else for (const helper of helpers) void helper.terminate();
}
