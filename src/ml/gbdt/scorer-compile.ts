/** Compiles a Model into the flat arrays the scorer walks (see scorer.ts for the two layouts). */
import { type Model, outputGroups, type Tree, treeDepth } from './model.js';
import { baseMargin } from './objective-links.js';
import { type TreeBlockKernel, treeBlockKernel } from './scorer-kernels.js';

/** Trees deeper than this use the node-pair layout: a complete tree of depth d holds 2^d leaves. */
const MAX_HEAP_DEPTH = 12;

export interface CompiledModel {
  groups: number;
  nTrees: number;
  baseMargins: Float64Array;
  group: Int32Array;
  weight: Float64Array;
  /** True: heap layout (depth, nodeOffset, leafOffset, leaf); false: pair layout (nodeOffset is the root, child). */
  heap: boolean;
  depth: Int32Array;
  nodeOffset: Int32Array;
  leafOffset: Int32Array;
  feature: Int32Array;
  /** float32 values held as doubles: the generated kernels compare faster against a Float64Array. */
  threshold: Float64Array;
  /** 1 when a missing value goes right. */
  missRight: Uint8Array;
  leaf: Float64Array;
  child: Int32Array;
  /** Per tree (heap layout only): the kernel for blocks without, and with, missing values. */
  fastKernels: TreeBlockKernel[];
  missingKernels: TreeBlockKernel[];
}

export function compileModel(model: Model): CompiledModel {
  const groups = outputGroups(model);
  const c = compileTrees(model.trees, groups, model.treeInfo, model.treeWeights);
  for (let g = 0; g < groups; g++) {
    c.baseMargins[g] = baseMargin(model.objective, model.baseScore[model.baseScore.length === 1 ? 0 : g]!);
  }
  return c;
}

/** The layout of trees alone (base margins zero). */
export function compileTrees(
  trees: Tree[],
  groups: number,
  treeInfo: Int32Array = new Int32Array(trees.length),
  treeWeights: Float32Array | null = null,
): CompiledModel {
  const depth = Int32Array.from(trees, treeDepth);
  const heap = depth.every((d) => d <= MAX_HEAP_DEPTH);
  const weight = new Float64Array(trees.length).fill(1);
  if (treeWeights) weight.set(treeWeights);
  const base = {
    groups,
    nTrees: trees.length,
    baseMargins: new Float64Array(groups),
    group: Int32Array.from(treeInfo),
    weight,
    depth,
  };
  if (!heap) return { ...base, ...pairLayout(trees), fastKernels: [], missingKernels: [] };
  const plain = groups === 1 && weight.every((w) => w === 1);
  return {
    ...base,
    ...heapLayout(trees, depth),
    fastKernels: Array.from(depth, (d) => treeBlockKernel(d, false, plain)),
    missingKernels: Array.from(depth, (d) => treeBlockKernel(d, true, plain)),
  };
}

function heapLayout(trees: Tree[], depth: Int32Array) {
  const nodeOffset = new Int32Array(trees.length);
  const leafOffset = new Int32Array(trees.length);
  let nodes = 0;
  let leaves = 0;
  trees.forEach((_, t) => {
    nodeOffset[t] = nodes;
    leafOffset[t] = leaves;
    nodes += (1 << depth[t]!) - 1;
    leaves += 1 << depth[t]!;
  });
  const feature = new Int32Array(nodes);
  const threshold = new Float64Array(nodes);
  const missRight = new Uint8Array(nodes);
  const leaf = new Float64Array(leaves);
  trees.forEach((tree, t) => {
    const d = depth[t]!;
    const firstLeaf = (1 << d) - 1;
    // [tree node, heap slot, level]; a leaf above the last level fills both children with itself.
    const stack = [0, 0, 0];
    while (stack.length > 0) {
      const level = stack.pop()!;
      const slot = stack.pop()!;
      const node = stack.pop()!;
      if (level === d) {
        leaf[leafOffset[t]! + slot - firstLeaf] = tree.condition[node]!;
        continue;
      }
      const isLeaf = tree.left[node]! < 0;
      if (!isLeaf) {
        feature[nodeOffset[t]! + slot] = tree.feature[node]!;
        threshold[nodeOffset[t]! + slot] = tree.condition[node]!;
        missRight[nodeOffset[t]! + slot] = tree.defaultLeft[node] ? 0 : 1;
      }
      stack.push(isLeaf ? node : tree.left[node]!, 2 * slot + 1, level + 1);
      stack.push(isLeaf ? node : tree.right[node]!, 2 * slot + 2, level + 1);
    }
  });
  return { heap: true as const, nodeOffset, leafOffset, feature, threshold, missRight, leaf, child: new Int32Array(0) };
}

function pairLayout(trees: Tree[]) {
  const total = trees.reduce((sum, tree) => sum + tree.left.length, 0);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const missRight = new Uint8Array(total);
  const child = new Int32Array(total).fill(-1);
  const nodeOffset = new Int32Array(trees.length);
  let next = 0;
  trees.forEach((tree, t) => {
    nodeOffset[t] = next;
    // Breadth-first renumbering that puts a node's two children side by side: right = left + 1.
    const queue: number[] = [0, next++];
    for (let q = 0; q < queue.length; q += 2) {
      const node = queue[q]!;
      const slot = queue[q + 1]!;
      threshold[slot] = tree.condition[node]!;
      if (tree.left[node]! < 0) continue;
      feature[slot] = tree.feature[node]!;
      missRight[slot] = tree.defaultLeft[node] ? 0 : 1;
      child[slot] = next;
      queue.push(tree.left[node]!, next++, tree.right[node]!, next++);
    }
  });
  return {
    heap: false as const,
    nodeOffset,
    leafOffset: new Int32Array(0),
    feature,
    threshold,
    missRight,
    leaf: new Float64Array(0),
    child,
  };
}
