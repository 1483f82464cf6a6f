/** Adding a freshly grown tree to the training margins, without walking the float features again. */
import type { BinnedMatrix } from './binning.js';
import type { LeafUpdate, TrainingExecutor } from './tree-executor.js';
import type { GrownTree } from './tree-grower.js';

/**
 * Sampled rows take their leaf's value through the leaf's row range; rows left out by subsampling are routed
 * through the tree by their bins (x < threshold is bin <= leftMaxBin; the missing slot follows default_left).
 */
export function addTreeToMargins(
  grown: GrownTree,
  matrix: BinnedMatrix,
  executor: TrainingExecutor,
  rows: Int32Array,
  sampled: number,
  margins: Float64Array,
  offset: number,
): void {
  const { tree, leafBegin, leafEnd, leftMaxBin } = grown;
  const leaves: LeafUpdate[] = [];
  for (let node = 0; node < tree.left.length; node++) {
    if (tree.left[node]! >= 0) continue;
    leaves.push({ begin: leafBegin[node]!, end: leafEnd[node]!, value: tree.condition[node]! });
  }
  executor.addLeaves(leaves, offset);
  const { columns, nRows, cuts } = matrix;
  if (sampled === nRows) return;
  const inSample = new Uint8Array(nRows);
  for (let i = 0; i < sampled; i++) inSample[rows[i]!] = 1;
  for (let r = 0; r < nRows; r++) {
    if (inSample[r]) continue;
    let n = 0;
    while (tree.left[n]! >= 0) {
      const f = tree.feature[n]!;
      const bin = columns[f * nRows + r]!;
      const missing = cuts.hasMissing[f] === 1 && bin === cuts.ptrs[f + 1]! - cuts.ptrs[f]!;
      const goLeft = missing ? tree.defaultLeft[n] === 1 : bin <= leftMaxBin[n]!;
      n = goLeft ? tree.left[n]! : tree.right[n]!;
    }
    margins[offset + r]! += tree.condition[n]!;
  }
}
