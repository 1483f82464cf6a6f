/** A prediction helper thread: scores the row range of each batch it is sent, then says which job is done. */
import { parentPort } from 'node:worker_threads';
import { type PredictJob, runPredictJob } from './predict-batch.js';

parentPort!.on('message', ({ id, job }: { id: number; job: PredictJob }) => {
  try {
    runPredictJob(job);
    parentPort!.postMessage({ id });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
