/**
 * A helper thread of training. It is started early (while the training thread still reads and bins the data), gets
 * its shared buffers in one message, then waits for each posted job and does its share, until told to stop.
 */
import { parentPort } from 'node:worker_threads';
import { histogramKernel, type TrainingWork } from '../gbdt/index.js';
import { runShare } from './executor-jobs.js';
import { Control, type HelperInit, share } from './executor-protocol.js';

parentPort!.once('message', (init: HelperInit) => serve(init));

function serve(init: HelperInit): void {
  const { blocks, thread } = init;
  const { control } = blocks;
  const work: TrainingWork = {
    matrix: init.matrix,
    rows: init.rows,
    scratch: init.scratch,
    grad: init.grad,
    hess: init.hess,
    hist: init.hist,
    gradients: init.gradients,
    split: init.split,
  };
  const [f0, f1] = share(work.matrix.nCols, thread, blocks.threads);
  const state = {
    work,
    blocks,
    thread,
    kernel: histogramKernel(work.matrix.nCols, work.matrix.slotOffset, f0, f1),
    f0,
    f1,
  };

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
      runShare(state);
    } catch {
      Atomics.store(control, Control.Error, 1);
    }
    Atomics.add(control, Control.Done, 1);
    Atomics.notify(control, Control.Done);
  }
}
