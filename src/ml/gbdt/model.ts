/**
 * The in-memory model: XGBoost's gbtree in its own array layout, so that a file read from XGBoost and a model we
 * train are the same thing and write back unchanged. Node 0 is a tree's root; a leaf has `left[i] === -1` and its
 * value, learning rate applied, in `condition[i]`.
 */

/** Objectives whose predictions we can compute; the first four can also be trained. */
export const PREDICT_OBJECTIVES = [
  'binary:logistic',
  'reg:squarederror',
  'reg:logistic',
  'multi:softprob',
  'multi:softmax',
  'binary:logitraw',
  'binary:hinge',
  'reg:linear',
  'reg:absoluteerror',
  'reg:pseudohubererror',
  'reg:quantileerror',
  'reg:squaredlogerror',
  'count:poisson',
  'reg:gamma',
  'reg:tweedie',
  'rank:pairwise',
  'rank:ndcg',
  'rank:map',
] as const;
export type ObjectiveName = (typeof PREDICT_OBJECTIVES)[number];

export const TRAIN_OBJECTIVES = ['binary:logistic', 'reg:squarederror', 'reg:logistic', 'multi:softprob'] as const;
export type TrainObjective = (typeof TRAIN_OBJECTIVES)[number];

export interface Tree {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly parent: Int32Array;
  /** `split_indices`: the feature a split tests (0 for a leaf). */
  readonly feature: Int32Array;
  /** `split_conditions`: a split's threshold (a row goes left iff x < threshold, in float32), or a leaf's value. */
  readonly condition: Float32Array;
  /** 1 when a missing value goes left. */
  readonly defaultLeft: Uint8Array;
  readonly baseWeight: Float32Array;
  readonly lossChange: Float32Array;
  readonly sumHessian: Float32Array;
}

/** A plain JSON value, as the objective's own parameters are kept. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Model {
  objective: ObjectiveName;
  /** The objective's own parameter blocks (e.g. `reg_loss_param`), kept so that a file round-trips unchanged. */
  objectiveParams: Record<string, JsonValue>;
  /** As XGBoost writes it: 0 unless the objective is multi-class. */
  numClass: number;
  numFeature: number;
  /** `base_score` as the file states it (probability space for logistic objectives): one value, or one per class. */
  baseScore: number[];
  trees: Tree[];
  /** The output group (class) each tree adds to. */
  treeInfo: Int32Array;
  numParallelTree: number;
  /** Per-tree weights of a `dart` booster; null for `gbtree`. */
  treeWeights: Float32Array | null;
  attributes: Record<string, string>;
  featureNames: string[];
  featureTypes: string[];
}

/** Number of outputs a row gets: the class count for multi-class objectives, else 1. */
export function outputGroups(model: Pick<Model, 'numClass'>): number {
  return Math.max(1, model.numClass);
}

/** Trees added per boosting round. */
export function treesPerRound(model: Pick<Model, 'numClass' | 'numParallelTree'>): number {
  return outputGroups(model) * Math.max(1, model.numParallelTree);
}

/** Depth of a tree (a single leaf has depth 0); nodes may be numbered in any order. */
export function treeDepth(tree: Tree): number {
  let max = 0;
  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const node = stack.pop()!;
    const left = tree.left[node]!;
    if (left < 0) {
      if (depth > max) max = depth;
      continue;
    }
    stack.push(left, depth + 1, tree.right[node]!, depth + 1);
  }
  return max;
}
