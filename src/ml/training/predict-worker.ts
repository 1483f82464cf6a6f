/** A prediction helper thread: scores its row range of a shared batch, then says so. */
import { parentPort, workerData } from 'node:worker_threads';
import { type PredictJob, runPredictJob } from './predict-batch.js';

runPredictJob(workerData as PredictJob);
parentPort!.postMessage('done');
