/**
 * Writes a Model in XGBoost's JSON model format, in the shape XGBoost 1.7 writes (which 2.x and 3.x also load):
 * `base_score` as a plain scalar string, since 1.7 silently reads the bracketed 3.x form as its default 0.5.
 * Float fields are written as the shortest text that reads back as the same float32.
 */
import { formatFloat32 } from './json-fields.js';
import type { Model, Tree } from './model.js';

/** The format version we write: the oldest XGBoost we check our files against. */
const WRITTEN_VERSION = [1, 7, 4];

const floats = (values: Float32Array): string => {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = formatFloat32(values[i]!);
  return `[${parts.join(',')}]`;
};
const ints = (values: ArrayLike<number>): string => `[${Array.prototype.join.call(values, ',')}]`;

function treeJson(tree: Tree, id: number, numFeature: number): string {
  const n = tree.left.length;
  const parents = Int32Array.from(tree.parent);
  parents[0] = 2147483647;
  return (
    `{"base_weights":${floats(tree.baseWeight)},"categories":[],"categories_nodes":[],` +
    `"categories_segments":[],"categories_sizes":[],"default_left":${ints(tree.defaultLeft)},"id":${id},` +
    `"left_children":${ints(tree.left)},"loss_changes":${floats(tree.lossChange)},"parents":${ints(parents)},` +
    `"right_children":${ints(tree.right)},"split_conditions":${floats(tree.condition)},` +
    `"split_indices":${ints(tree.feature)},"split_type":${ints(new Uint8Array(n))},` +
    `"sum_hessian":${floats(tree.sumHessian)},"tree_param":{"num_deleted":"0","num_feature":"${numFeature}",` +
    `"num_nodes":"${n}","size_leaf_vector":"1"}}`
  );
}

/** The model as XGBoost JSON text, loadable by XGBoost's `Booster.load_model` (1.7 to 3.x). */
export function toXgboostJson(model: Model): string {
  if (model.baseScore.length !== 1) {
    // XGBoost before 3.1 cannot read a per-class base_score; multi-class models we train use one value.
    throw new RangeError('toXgboostJson: only a single base_score can be written in the XGBoost 1.7 format');
  }
  const trees = model.trees.map((tree, i) => treeJson(tree, i, model.numFeature)).join(',');
  const gbtree =
    `{"gbtree_model_param":{"num_parallel_tree":"${model.numParallelTree}","num_trees":"${model.trees.length}"},` +
    `"tree_info":${ints(model.treeInfo)},"trees":[${trees}]}`;
  const booster = model.treeWeights
    ? `{"gbtree":{"model":${gbtree},"name":"gbtree"},"name":"dart","weight_drop":${floats(model.treeWeights)}}`
    : `{"model":${gbtree},"name":"gbtree"}`;
  const learnerParam = {
    base_score: formatFloat32(model.baseScore[0]!),
    boost_from_average: '1',
    num_class: String(model.numClass),
    num_feature: String(model.numFeature),
    num_target: '1',
  };
  const objective = { name: model.objective, ...model.objectiveParams };
  return (
    `{"learner":{"attributes":${JSON.stringify(model.attributes)},` +
    `"feature_names":${JSON.stringify(model.featureNames)},"feature_types":${JSON.stringify(model.featureTypes)},` +
    `"gradient_booster":${booster},"learner_model_param":${JSON.stringify(learnerParam)},` +
    `"objective":${JSON.stringify(objective)}},"version":${JSON.stringify(WRITTEN_VERSION)}}`
  );
}
