/**
 * Grows one tree depth-wise, as XGBoost's hist updater does: the root's histogram, then level by level the smaller
 * child's histogram is built and the larger one is the parent's minus it. A node splits only when its best split
 * gains more than 1e-6 and at least gamma, and it is above max_depth. Rows of a node are a contiguous range of
 * `rows`, partitioned stably in place so each node reads its rows in ascending order.
 */
import type { BinnedMatrix } from './binning.js';
import type { HistogramTask } from './histogram.js';
import { subtractHistogram } from './histogram.js';
import type { Tree } from './model.js';
import { nodeWeight, type Split, type SplitParams } from './split.js';
import type { TrainingExecutor } from './tree-executor.js';

export interface GrowParams extends SplitParams {
  eta: number;
  gamma: number;
  maxDepth: number;
}

export interface GrowInput {
  matrix: BinnedMatrix;
  /** The rows this tree learns from are rows[0, nRows) of the executor's row order. */
  nRows: number;
  hist: Float64Array;
  /** Histogram slots in `hist`. */
  slots: number;
  executor: TrainingExecutor;
  params: GrowParams;
}

export interface GrownTree {
  tree: Tree;
  /** Per leaf node: its rows are rows[leafBegin[i], leafEnd[i]). Non-leaves have begin = end = 0. */
  leafBegin: Int32Array;
  leafEnd: Int32Array;
  /** Per node: the split's bin bound (for routing rows by bin), -2 for a leaf. */
  leftMaxBin: Int32Array;
}

const RT_EPS = 1e-6;

class Nodes {
  left: number[] = [];
  right: number[] = [];
  parent: number[] = [];
  feature: number[] = [];
  condition: number[] = [];
  defaultLeft: number[] = [];
  baseWeight: number[] = [];
  lossChange: number[] = [];
  sumHessian: number[] = [];
  leftMaxBin: number[] = [];
  begin: number[] = [];
  end: number[] = [];
  g: number[] = [];
  h: number[] = [];
  slot: number[] = [];
  split: (Split | null)[] = [];

  add(parent: number, begin: number, end: number, g: number, h: number, weight: number): number {
    const id = this.left.length;
    this.left.push(-1);
    this.right.push(-1);
    this.parent.push(parent);
    this.feature.push(0);
    this.condition.push(weight);
    this.defaultLeft.push(0);
    this.baseWeight.push(weight);
    this.lossChange.push(0);
    this.sumHessian.push(h);
    this.leftMaxBin.push(-2);
    this.begin.push(begin);
    this.end.push(end);
    this.g.push(g);
    this.h.push(h);
    this.slot.push(-1);
    this.split.push(null);
    return id;
  }
}

export function growTree(input: GrowInput): GrownTree {
  const { matrix, hist, executor, params } = input;
  const stride = 2 * matrix.totalSlots;
  const nodes = new Nodes();
  const free: number[] = [];
  for (let s = input.slots - 1; s >= 2; s--) free.push(s); // slots 0 and 1 are scratch
  const leafValue = (g: number, h: number) => Math.fround(nodeWeight(g, h, params) * params.eta);

  const root = nodes.add(2147483647, 0, input.nRows, 0, 0, 0);
  nodes.slot[root] = free.pop() ?? 0;
  executor.histograms([{ begin: 0, end: input.nRows, slot: nodes.slot[root]! }]);
  // The root's sums from its histogram: every row falls in exactly one slot of feature 0.
  let g0 = 0;
  let h0 = 0;
  const f0End = 2 * matrix.slotOffset[1]!;
  for (let k = nodes.slot[root]! * stride; k < nodes.slot[root]! * stride + f0End; k += 2) {
    g0 += hist[k]!;
    h0 += hist[k + 1]!;
  }
  nodes.g[root] = g0;
  nodes.h[root] = h0;
  nodes.sumHessian[root] = h0;
  nodes.condition[root] = leafValue(g0, h0);
  nodes.baseWeight[root] = nodes.condition[root]!;
  evaluate([root]);

  let frontier = [root];
  for (let depth = 0; frontier.length > 0; depth++) {
    const expand = frontier.filter((n) => {
      const s = nodes.split[n] ?? null;
      const ok = s !== null && s.gain > RT_EPS && s.gain >= params.gamma && s.leftH > 0 && s.rightH > 0;
      if (!ok && nodes.slot[n]! >= 2) free.push(nodes.slot[n]!);
      return ok && (params.maxDepth === 0 || depth < params.maxDepth);
    });
    const mids = executor.partition(
      expand.map((n) => {
        const s = nodes.split[n]!;
        const [begin, end] = [nodes.begin[n]!, nodes.end[n]!];
        return { begin, end, feature: s.feature, leftMaxBin: s.leftMaxBin, defaultLeft: s.defaultLeft };
      }),
    );
    const children: number[] = [];
    expand.forEach((n, i) => {
      children.push(...applySplit(n, mids[i]!));
    });
    if (params.maxDepth > 0 && depth + 1 >= params.maxDepth) {
      for (const n of expand) if (nodes.slot[n]! >= 2) free.push(nodes.slot[n]!);
      break; // children are leaves: no histograms needed
    }
    buildChildren(expand);
    frontier = children;
  }

  function evaluate(list: number[]): void {
    const splits = executor.splits(list.map((n) => ({ slot: nodes.slot[n]!, g: nodes.g[n]!, h: nodes.h[n]! })));
    list.forEach((n, i) => {
      nodes.split[n] = splits[i] ?? null;
    });
  }

  function applySplit(n: number, mid: number): [number, number] {
    const s = nodes.split[n]!;
    const l = nodes.add(n, nodes.begin[n]!, mid, s.leftG, s.leftH, leafValue(s.leftG, s.leftH));
    const r = nodes.add(n, mid, nodes.end[n]!, s.rightG, s.rightH, leafValue(s.rightG, s.rightH));
    nodes.left[n] = l;
    nodes.right[n] = r;
    nodes.feature[n] = s.feature;
    nodes.condition[n] = s.threshold;
    nodes.defaultLeft[n] = s.defaultLeft ? 1 : 0;
    nodes.baseWeight[n] = Math.fround(nodeWeight(nodes.g[n]!, nodes.h[n]!, params));
    nodes.lossChange[n] = s.gain;
    nodes.leftMaxBin[n] = s.leftMaxBin;
    return [l, r];
  }

  /** Histograms of the children of `expand`: subtraction where the parent kept its histogram and a slot is free. */
  function buildChildren(expand: number[]): void {
    const batch: HistogramTask[] = [];
    const subtract: [number, number, number][] = []; // [parent slot, small child, large child]
    const direct: number[] = [];
    for (const n of expand) {
      const l = nodes.left[n]!;
      const r = nodes.right[n]!;
      const lRows = nodes.end[l]! - nodes.begin[l]!;
      const rRows = nodes.end[r]! - nodes.begin[r]!;
      const [small, large] = lRows <= rRows ? [l, r] : [r, l];
      if (nodes.slot[n]! >= 2 && free.length > 0) {
        nodes.slot[small] = free.pop()!;
        batch.push({ begin: nodes.begin[small]!, end: nodes.end[small]!, slot: nodes.slot[small]! });
        subtract.push([nodes.slot[n]!, small, large]);
      } else {
        if (nodes.slot[n]! >= 2) free.push(nodes.slot[n]!);
        direct.push(small, large);
      }
    }
    if (batch.length > 0) executor.histograms(batch);
    const built: number[] = [];
    for (const [parentSlot, small, large] of subtract) {
      subtractHistogram(hist, parentSlot, nodes.slot[small]!, matrix.totalSlots);
      nodes.slot[large] = parentSlot;
      built.push(small, large);
    }
    if (built.length > 0) evaluate(built);
    // Without a parent histogram or a free slot: build each child in a persistent slot if one is free, else in a
    // scratch slot that is given back as soon as the child's split is known.
    for (const child of direct) {
      const slot = free.pop() ?? 0;
      nodes.slot[child] = slot;
      executor.histograms([{ begin: nodes.begin[child]!, end: nodes.end[child]!, slot }]);
      evaluate([child]);
      if (slot < 2) nodes.slot[child] = -1;
    }
  }

  const n = nodes.left.length;
  const leafBegin = new Int32Array(n);
  const leafEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (nodes.left[i]! >= 0) continue;
    leafBegin[i] = nodes.begin[i]!;
    leafEnd[i] = nodes.end[i]!;
  }
  const tree: Tree = {
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
    parent: Int32Array.from(nodes.parent),
    feature: Int32Array.from(nodes.feature),
    condition: Float32Array.from(nodes.condition),
    defaultLeft: Uint8Array.from(nodes.defaultLeft),
    baseWeight: Float32Array.from(nodes.baseWeight),
    lossChange: Float32Array.from(nodes.lossChange),
    sumHessian: Float32Array.from(nodes.sumHessian),
  };
  return { tree, leafBegin, leafEnd, leftMaxBin: Int32Array.from(nodes.leftMaxBin) };
}
