import { describe, expect, it } from 'vitest';
import { parseHyperparameters } from './hyperparameters.js';
import { ModelFormatError } from './json-fields.js';
import type { JsonValue } from './model.js';
import { predictMargins } from './scorer.js';
import { synthetic } from './synthetic.js';
import { train } from './training-session.js';
import { fromXgboostJson } from './xgboost-json-read.js';
import { toXgboostJson } from './xgboost-json-write.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary paths of a parsed model
type Json = { [key: string]: any };

const rows = synthetic({ rows: 800, seed: 11, missing: 0.1 });
const trained = train(rows, parseHyperparameters({ objective: 'binary:logistic', num_round: 3, max_depth: 3 })).model();
const text = toXgboostJson(trained);
const fresh = () => JSON.parse(text) as Json;

function errorOf(edit: (m: Json) => void): string {
  const m = fresh();
  edit(m);
  try {
    fromXgboostJson(m as JsonValue);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return (error as Error).message;
  }
  throw new Error('expected a ModelFormatError');
}

const TREES = 'learner.gradient_booster.model.trees';

describe('XGBoost JSON model format', () => {
  it('writes what it reads: same trees, same margins, floats as float32 text with a decimal point', () => {
    const again = fromXgboostJson(text);
    expect(toXgboostJson(again)).toBe(text);
    expect(Array.from(predictMargins(again, rows.features, rows.nRows, rows.nCols))).toEqual(
      Array.from(predictMargins(trained, rows.features, rows.nRows, rows.nCols)),
    );
    const tree = fresh().learner.gradient_booster.model.trees[0];
    expect(tree.split_conditions.every((v: number) => Number.isFinite(v))).toBe(true);
    expect(text).not.toMatch(/"split_conditions":\[[^\]]*[,[]-?\d+[,\]]/); // no bare integers in float arrays
    expect(fresh().learner.learner_model_param.base_score).toMatch(/^0\.\d+$/);
    expect(fresh().learner.objective).toEqual({ name: 'binary:logistic', reg_loss_param: { scale_pos_weight: '1' } });
  });

  it('accepts base_score as a 3.x bracketed list and default_left as booleans', () => {
    const m = fresh();
    m.learner.learner_model_param.base_score = '[4E-1]';
    m.learner.gradient_booster.model.trees[0].default_left = m.learner.gradient_booster.model.trees[0].default_left.map(
      (v: number) => v === 1,
    );
    const model = fromXgboostJson(m as JsonValue);
    expect(model.baseScore).toEqual([Math.fround(0.4)]);
    expect(Array.from(model.trees[0]!.defaultLeft)).toEqual(Array.from(trained.trees[0]!.defaultLeft));
  });

  it.each([
    ['a missing learner', (m: Json) => delete m.learner, '(model root).learner must be an object (got missing)'],
    [
      'a missing learner_model_param',
      (m: Json) => delete m.learner.learner_model_param,
      'learner.learner_model_param must be an object (got missing)',
    ],
    [
      'a bad num_feature',
      (m: Json) => (m.learner.learner_model_param.num_feature = 'many'),
      'learner.learner_model_param.num_feature must be an integer of at least 0 (a number or a string) (got "many")',
    ],
    [
      'an unknown objective',
      (m: Json) => (m.learner.objective.name = 'rank:magic'),
      'learner.objective.name must be one of binary:logistic',
    ],
    [
      'a base_score outside (0, 1) for a logistic objective',
      (m: Json) => (m.learner.learner_model_param.base_score = '1.5'),
      'learner.learner_model_param.base_score must be between 0 and 1 (exclusive) for binary:logistic (got "1.5")',
    ],
    [
      'gblinear',
      (m: Json) => (m.learner.gradient_booster.name = 'gblinear'),
      'learner.gradient_booster.name must be "gbtree" or "dart"',
    ],
    [
      'a tree count that disagrees',
      (m: Json) => (m.learner.gradient_booster.model.gbtree_model_param.num_trees = '4'),
      `${TREES} must be an array of num_trees (4) trees (got "3 trees")`,
    ],
    [
      'a tree_info of the wrong length',
      (m: Json) => m.learner.gradient_booster.model.tree_info.pop(),
      'learner.gradient_booster.model.tree_info must have 3 items, one per node (got 2)',
    ],
    [
      'a missing split_conditions',
      (m: Json) => delete m.learner.gradient_booster.model.trees[1].split_conditions,
      `${TREES}[1].split_conditions must be an array (got missing)`,
    ],
    [
      'a non-numeric threshold',
      (m: Json) => (m.learner.gradient_booster.model.trees[2].split_conditions[0] = 'x'),
      `${TREES}[2].split_conditions[0] must be a number (got "x")`,
    ],
    [
      'arrays shorter than num_nodes',
      (m: Json) => m.learner.gradient_booster.model.trees[0].right_children.pop(),
      `${TREES}[0].right_children must have`,
    ],
    [
      'a cycle',
      (m: Json) => (m.learner.gradient_booster.model.trees[0].left_children[1] = 0),
      `${TREES}[0].left_children[1] must be a node index not used before (got 0)`,
    ],
    [
      'a feature index past num_feature',
      (m: Json) => (m.learner.gradient_booster.model.trees[0].split_indices[0] = 99),
      `${TREES}[0].split_indices[0] must be a feature index below num_feature (8) (got 99)`,
    ],
    [
      'a categorical split',
      (m: Json) => (m.learner.gradient_booster.model.trees[0].split_type[0] = 1),
      `${TREES}[0].split_type must be all 0 (categorical splits are not supported)`,
    ],
    ['text that is not JSON', null, 'model JSON is not valid JSON'],
  ])('rejects %s, naming the field', (_, edit, message) => {
    if (edit === null) {
      expect(() => fromXgboostJson('{"learner": ')).toThrow(message);
      return;
    }
    expect(errorOf(edit)).toContain(message);
  });
});
