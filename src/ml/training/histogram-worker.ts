/** A histogram helper thread: builds its feature range of each batch the training thread posts, until told to stop. */
import { workerData } from 'node:worker_threads';
import { type BinnedMatrix, buildHistograms, type HistogramTask, histogramKernel } from '../gbdt/index.js';
import { Control, type HelperData, TASKS } from './histogram-control.js';

const d = workerData as HelperData;
const { control } = d;
// Only the fields a histogram build reads; cuts are not needed here.
const matrix = { nCols: d.nCols, bins: d.bins, slotOffset: d.slotOffset, totalSlots: d.totalSlots } as BinnedMatrix;
const data = { matrix, rows: d.rows, grad: d.grad, hess: d.hess, hist: d.hist };
const kernel = histogramKernel(d.nCols, d.slotOffset, d.f0, d.f1);

Atomics.add(control, Control.Ready, 1);
Atomics.notify(control, Control.Ready);
let seen = 0;
for (;;) {
  Atomics.wait(control, Control.Generation, seen);
  const generation = Atomics.load(control, Control.Generation);
  if (generation === seen) continue;
  seen = generation;
  if (Atomics.load(control, Control.Stop) !== 0) break;
  try {
    const count = control[Control.Count]!;
    const tasks: HistogramTask[] = [];
    for (let i = 0; i < count; i++) {
      tasks.push({ begin: control[TASKS + 3 * i]!, end: control[TASKS + 3 * i + 1]!, slot: control[TASKS + 3 * i + 2]! });
    }
    buildHistograms(data, kernel, tasks, control[Control.GradOffset]!, d.f0, d.f1);
  } catch {
    Atomics.store(control, Control.Error, 1);
  }
  Atomics.add(control, Control.Done, 1);
  Atomics.notify(control, Control.Done);
}
