/**
 * Reads XGBoost's JSON model format (written by XGBoost 1.x to 3.x or by us) into a Model, validating every field
 * prediction depends on; an error names the JSON path, what was expected and what was found.
 */
import {
  arrayAt,
  fail,
  integerParamAt,
  isObject,
  type JsonObject,
  ModelFormatError,
  numbersAt,
  objectAt,
  stringAt,
} from './json-fields.js';
import { type JsonValue, type Model, type ObjectiveName, PREDICT_OBJECTIVES, type Tree } from './model.js';

/** Parses a model from its JSON text (or an already parsed value). */
export function fromXgboostJson(json: string | JsonValue): Model {
  let root: JsonValue;
  if (typeof json === 'string') {
    try {
      root = JSON.parse(json) as JsonValue;
    } catch (error) {
      throw new ModelFormatError(`model JSON is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    root = json;
  }
  if (!isObject(root)) fail('(model root)', 'an object with a "learner" field', root);
  const learner = objectAt(root, 'learner', '(model root)');
  const lp = objectAt(learner, 'learner_model_param', 'learner');
  const lpPath = 'learner.learner_model_param';
  const numFeature = integerParamAt(lp, 'num_feature', lpPath, 0);
  const numClass = integerParamAt(lp, 'num_class', lpPath, 0, 0);
  const numTarget = integerParamAt(lp, 'num_target', lpPath, 1, 1);
  if (numTarget !== 1) fail(`${lpPath}.num_target`, '1 (multi-target models are not supported)', lp.num_target);

  const objectiveJson = objectAt(learner, 'objective', 'learner');
  const objectiveName = stringAt(objectiveJson, 'name', 'learner.objective');
  if (!(PREDICT_OBJECTIVES as readonly string[]).includes(objectiveName)) {
    fail('learner.objective.name', `one of ${PREDICT_OBJECTIVES.join(', ')}`, objectiveName);
  }
  const objective = objectiveName as ObjectiveName;
  const objectiveParams: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(objectiveJson)) if (key !== 'name') objectiveParams[key] = value;
  if (objective.startsWith('multi:') && numClass < 2)
    fail(`${lpPath}.num_class`, 'at least 2 for multi:*', lp.num_class);

  const baseScore = readBaseScore(lp.base_score, objective, Math.max(1, numClass));

  const booster = objectAt(learner, 'gradient_booster', 'learner');
  const boosterName = stringAt(booster, 'name', 'learner.gradient_booster');
  let modelPath = 'learner.gradient_booster.model';
  let gbtree: JsonObject;
  let treeWeights: Float32Array | null = null;
  if (boosterName === 'gbtree') {
    gbtree = objectAt(booster, 'model', 'learner.gradient_booster');
  } else if (boosterName === 'dart') {
    gbtree = objectAt(
      objectAt(booster, 'gbtree', 'learner.gradient_booster'),
      'model',
      'learner.gradient_booster.gbtree',
    );
    modelPath = 'learner.gradient_booster.gbtree.model';
    treeWeights = numbersAt(booster, 'weight_drop', 'learner.gradient_booster', (n) => new Float32Array(n));
  } else {
    fail('learner.gradient_booster.name', '"gbtree" or "dart" (gblinear is not supported)', boosterName);
  }
  const param = objectAt(gbtree, 'gbtree_model_param', modelPath);
  const numTrees = integerParamAt(param, 'num_trees', `${modelPath}.gbtree_model_param`, 0);
  const numParallelTree = integerParamAt(param, 'num_parallel_tree', `${modelPath}.gbtree_model_param`, 1, 1);
  const treesJson = arrayAt(gbtree, 'trees', modelPath);
  if (treesJson.length !== numTrees) {
    fail(`${modelPath}.trees`, `an array of num_trees (${numTrees}) trees`, `${treesJson.length} trees`);
  }
  const treeInfo = numbersAt(gbtree, 'tree_info', modelPath, (n) => new Int32Array(n), {
    integer: true,
    length: numTrees,
  });
  const groups = Math.max(1, numClass);
  treeInfo.forEach((group, i) => {
    if (group < 0 || group >= groups) fail(`${modelPath}.tree_info[${i}]`, `between 0 and ${groups - 1}`, group);
  });
  if (treeWeights && treeWeights.length !== numTrees) {
    fail('learner.gradient_booster.weight_drop', `an array of ${numTrees} weights`, `${treeWeights.length} items`);
  }
  const trees = treesJson.map((tree, i) => readTree(tree, `${modelPath}.trees[${i}]`, numFeature));

  return {
    objective,
    objectiveParams,
    numClass,
    numFeature,
    baseScore,
    trees,
    treeInfo,
    numParallelTree,
    treeWeights,
    attributes: readStringRecord(learner.attributes, 'learner.attributes'),
    featureNames: readStrings(learner.feature_names, 'learner.feature_names'),
    featureTypes: readStrings(learner.feature_types, 'learner.feature_types'),
  };
}

/** `base_score` is "0.5" in older files and "[3.9182603E-1]" (one per class in 3.1+ multi-class) in newer ones. */
function readBaseScore(raw: JsonValue | undefined, objective: ObjectiveName, groups: number): number[] {
  const path = 'learner.learner_model_param.base_score';
  let values: number[];
  if (typeof raw === 'number') values = [raw];
  else if (typeof raw === 'string' && raw.trim().startsWith('[')) {
    values = raw.trim().slice(1, -1).split(',').map(Number);
  } else if (typeof raw === 'string') values = [Number(raw)];
  else return fail(path, 'a number or a string such as "0.5" or "[5E-1]"', raw);
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) fail(path, 'finite numbers', raw);
  if (values.length !== 1 && values.length !== groups) fail(path, `one value or ${groups} values`, raw);
  const logistic = objective === 'binary:logistic' || objective === 'reg:logistic' || objective === 'binary:logitraw';
  if (logistic && values.some((v) => v <= 0 || v >= 1)) fail(path, `between 0 and 1 (exclusive) for ${objective}`, raw);
  const logLink = objective === 'count:poisson' || objective === 'reg:gamma' || objective === 'reg:tweedie';
  if (logLink && values.some((v) => v <= 0)) fail(path, `positive for ${objective}`, raw);
  return values.map(Math.fround);
}

function readTree(json: JsonValue, path: string, numFeature: number): Tree {
  if (!isObject(json)) fail(path, 'an object', json);
  const tp = isObject(json.tree_param) ? json.tree_param : undefined;
  const left = numbersAt(json, 'left_children', path, (n) => new Int32Array(n), { integer: true });
  const n = left.length;
  if (tp) {
    const numNodes = integerParamAt(tp, 'num_nodes', `${path}.tree_param`, 1);
    if (numNodes !== n) fail(`${path}.left_children`, `an array of tree_param.num_nodes (${numNodes}) items`, n);
    const leafVector = integerParamAt(tp, 'size_leaf_vector', `${path}.tree_param`, 0, 1);
    if (leafVector > 1)
      fail(`${path}.tree_param.size_leaf_vector`, '0 or 1 (vector leaves are not supported)', leafVector);
  }
  if (n === 0) fail(`${path}.left_children`, 'a non-empty array', json.left_children);
  const opts = { integer: true, length: n };
  const right = numbersAt(json, 'right_children', path, (k) => new Int32Array(k), opts);
  const feature = numbersAt(json, 'split_indices', path, (k) => new Int32Array(k), opts);
  const condition = numbersAt(json, 'split_conditions', path, (k) => new Float32Array(k), { length: n });
  const defaultLeft = numbersAt(json, 'default_left', path, (k) => new Uint8Array(k), { ...opts, booleans: true });
  if (Array.isArray(json.split_type) && json.split_type.some((t) => t !== 0)) {
    fail(`${path}.split_type`, 'all 0 (categorical splits are not supported)', json.split_type);
  }
  const optional = (key: string, fallback: (k: number) => Float32Array) =>
    key in json ? numbersAt(json, key, path, (k) => new Float32Array(k), { length: n }) : fallback(n);
  const parent = new Int32Array(n).fill(-1);
  parent[0] = 2147483647;
  // Walk from the root: every node reachable once, children in range, so scoring always terminates.
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  while (stack.length > 0) {
    const node = stack.pop()!;
    const l = left[node]!;
    const r = right[node]!;
    if (l === -1 && r === -1) continue;
    for (const [child, key] of [
      [l, 'left_children'],
      [r, 'right_children'],
    ] as const) {
      if (child < 0 || child >= n || seen[child])
        fail(`${path}.${key}[${node}]`, 'a node index not used before', child);
      seen[child] = 1;
      parent[child] = node;
      stack.push(child);
    }
    const f = feature[node]!;
    if (f < 0 || (numFeature > 0 && f >= numFeature)) {
      fail(`${path}.split_indices[${node}]`, `a feature index below num_feature (${numFeature})`, f);
    }
  }
  return {
    left,
    right,
    parent,
    feature,
    condition,
    defaultLeft,
    baseWeight: optional('base_weights', (k) => Float32Array.from(condition.subarray(0, k))),
    lossChange: optional('loss_changes', (k) => new Float32Array(k)),
    sumHessian: optional('sum_hessian', (k) => new Float32Array(k)),
  };
}

function readStrings(value: JsonValue | undefined, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(path, 'an array of strings', value);
  return value as string[];
}

function readStringRecord(value: JsonValue | undefined, path: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) fail(path, 'an object', value);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) out[key] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
