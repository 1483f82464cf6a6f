import { describe, expect, it } from 'vitest';
import type { Model, Tree } from './model.js';
import { predict, predictMargins, predictRow } from './scorer.js';

/** A tree from [feature, threshold, defaultLeft, left, right] splits and leaf values (index -> value). */
function tree(nodes: ([number, number, number, number, number] | number)[]): Tree {
  const n = nodes.length;
  const t = {
    left: new Int32Array(n).fill(-1),
    right: new Int32Array(n).fill(-1),
    parent: new Int32Array(n),
    feature: new Int32Array(n),
    condition: new Float32Array(n),
    defaultLeft: new Uint8Array(n),
    baseWeight: new Float32Array(n),
    lossChange: new Float32Array(n),
    sumHessian: new Float32Array(n),
  };
  nodes.forEach((node, i) => {
    if (typeof node === 'number') {
      t.condition[i] = node;
      return;
    }
    const [f, thr, dl, l, r] = node;
    t.feature[i] = f;
    t.condition[i] = thr;
    t.defaultLeft[i] = dl;
    t.left[i] = l;
    t.right[i] = r;
  });
  return t;
}

function model(trees: Tree[], extra: Partial<Model> = {}): Model {
  return {
    objective: 'reg:squarederror',
    objectiveParams: {},
    numClass: 0,
    numFeature: 2,
    baseScore: [0],
    trees,
    treeInfo: new Int32Array(trees.length),
    numParallelTree: 1,
    treeWeights: null,
    attributes: {},
    featureNames: [],
    featureTypes: [],
    ...extra,
  };
}

/**
 * A chain of `depth` splits on f0 < k (k = 0, 1, ...): split k at node 2k, its left leaf (k * 10) at 2k + 1, the
 * next split at 2k + 2, the last leaf (depth * 10) at 2 * depth.
 */
function chain(depth: number, defaultLeft: number): Tree {
  const nodes: ([number, number, number, number, number] | number)[] = [];
  for (let k = 0; k < depth; k++) {
    const id = nodes.length;
    nodes.push([0, k, defaultLeft, id + 1, id + 2], k * 10);
  }
  nodes.push(depth * 10);
  return tree(nodes);
}

describe('scorer', () => {
  it('walks deep trees (node-pair layout) and shallow ones (heap layout) alike', () => {
    const rows = Float32Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? i / 2 - 3.5 : 0));
    for (const depth of [3, 11, 14]) {
      const m = model([chain(depth, 0)]);
      const margins = predictMargins(m, rows, 20, 2);
      for (let r = 0; r < 20; r++) {
        const x = rows[2 * r]!;
        const k = x < 0 ? 0 : Math.min(Math.floor(x) + 1, depth);
        expect(margins[r]).toBe(k === depth ? depth * 10 : k * 10);
      }
    }
  });

  it('sends a missing value the default way in both layouts, in blocks with and without NaN', () => {
    for (const depth of [2, 14]) {
      for (const dl of [0, 1]) {
        const rows = new Float32Array(2 * 200).fill(0.5);
        rows[2 * 150] = Number.NaN;
        const margins = predictMargins(model([chain(depth, dl)]), rows, 200, 2);
        expect(margins[150]).toBe(dl ? 0 : depth === 2 ? 20 : 140);
        expect(margins[10]).toBe(10);
      }
    }
  });

  it('adds trees to their class, applies dart weights and limits rounds', () => {
    const stump = (v: number) => tree([v]);
    const m = model([stump(1), stump(2), stump(3), stump(4)], {
      objective: 'multi:softprob',
      numClass: 2,
      treeInfo: Int32Array.of(0, 1, 0, 1),
      treeWeights: Float32Array.of(1, 1, 0.5, 0.5),
      baseScore: [0.5],
    });
    expect(Array.from(predictMargins(m, new Float32Array(2), 1, 2))).toEqual([0.5 + 1 + 1.5, 0.5 + 2 + 2]);
    expect(Array.from(predictMargins(m, new Float32Array(2), 1, 2, { rounds: 1 }))).toEqual([1.5, 2.5]);
    const p = predictRow(m, [0, 0]);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
    expect(p[1]! / p[0]!).toBeCloseTo(Math.exp(1.5), 12);
  });

  it('applies the objective link', () => {
    const t = [tree([0.5])];
    expect(
      predict(model(t, { objective: 'binary:logistic', baseScore: [0.5] }), new Float32Array(2), 1, 2)[0],
    ).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 12);
    expect(predict(model(t, { objective: 'count:poisson', baseScore: [1] }), new Float32Array(2), 1, 2)[0]).toBeCloseTo(
      Math.exp(0.5),
      6,
    );
    const softmax = model([tree([1]), tree([3])], {
      objective: 'multi:softmax',
      numClass: 2,
      treeInfo: Int32Array.of(0, 1),
    });
    expect(Array.from(predict(softmax, new Float32Array(4), 2, 2))).toEqual([1, 1]);
  });

  it('rejects rows of the wrong shape', () => {
    const m = model([tree([1])]);
    expect(() => predictMargins(m, new Float32Array(6), 2, 3)).toThrow(
      'predict: rows have 3 columns but the model expects 2 features',
    );
    expect(() => predictMargins(m, new Float32Array(3), 2, 2)).toThrow(
      'predict: 2 rows x 2 columns need 4 values (got 3)',
    );
    expect(() => predictMargins(m, new Float32Array(4), 2, 2, { rounds: -1 })).toThrow(
      'rounds must be an integer >= 0',
    );
  });
});
