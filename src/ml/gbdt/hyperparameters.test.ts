import { describe, expect, it } from 'vitest';
import { HyperparameterError, parseHyperparameters } from './hyperparameters.js';

const problemsOf = (raw: Record<string, string | number>): string[] => {
  try {
    parseHyperparameters(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(HyperparameterError);
    return (error as HyperparameterError).problems;
  }
  throw new Error('expected the hyperparameters to be rejected');
};

describe('parseHyperparameters', () => {
  it("fills in XGBoost's defaults", () => {
    const hp = parseHyperparameters({});
    expect(hp).toMatchObject({
      objective: 'reg:squarederror',
      num_round: 10,
      eta: 0.3,
      max_depth: 6,
      min_child_weight: 1,
      gamma: 0,
      lambda: 1,
      alpha: 0,
      subsample: 1,
      colsample_bytree: 1,
      max_bin: 256,
      scale_pos_weight: 1,
      base_score: null,
      eval_metric: ['rmse'],
      early_stopping_rounds: null,
      seed: 0,
    });
    expect(parseHyperparameters({ objective: 'binary:logistic' }).eval_metric).toEqual(['logloss']);
    expect(parseHyperparameters({ objective: 'multi:softprob', num_class: 3 }).eval_metric).toEqual(['mlogloss']);
  });

  it('accepts SageMaker-style strings, numbers, aliases and metric lists', () => {
    const hp = parseHyperparameters({
      objective: 'binary:logistic',
      num_round: '100',
      max_depth: ' 5 ',
      learning_rate: '0.2',
      min_split_loss: 4,
      reg_lambda: '2.5',
      reg_alpha: '1e-1',
      subsample: '0.8',
      eval_metric: 'error, auc',
      early_stopping_rounds: '10',
      tree_method: 'hist',
    });
    expect(hp).toMatchObject({ num_round: 100, max_depth: 5, eta: 0.2, gamma: 4, lambda: 2.5, alpha: 0.1 });
    expect(hp.eval_metric).toEqual(['error', 'auc']);
    expect(hp.early_stopping_rounds).toBe(10);
  });

  it('names the key, the value and the allowed range', () => {
    expect(problemsOf({ max_depth: 'five' })).toEqual([
      'hyperparameters.max_depth must be an integer between 0 and 64 (got "five")',
    ]);
    expect(problemsOf({ eta: 1.5 })).toEqual(['hyperparameters.eta must be a number between 0 and 1 (got 1.5)']);
  });

  it.each([
    ['objective', 'binary:hinge', 'one of binary:logistic, reg:squarederror, reg:logistic, multi:softprob'],
    ['num_round', '0', 'an integer between 1 and 100000'],
    ['num_round', '2.5', 'an integer between 1 and 100000'],
    ['eta', '-0.1', 'a number between 0 and 1'],
    ['max_depth', '65', 'an integer between 0 and 64'],
    ['min_child_weight', '-1', 'a number >= 0'],
    ['gamma', 'lots', 'a number >= 0'],
    ['lambda', '-2', 'a number >= 0'],
    ['alpha', 'NaN', 'a number >= 0'],
    ['subsample', '0', 'a number > 0 and <= 1'],
    ['subsample', '1.01', 'a number > 0 and <= 1'],
    ['colsample_bytree', '0', 'a number > 0 and <= 1'],
    ['max_bin', '1', 'an integer between 2 and 65535'],
    ['scale_pos_weight', '0', 'a number > 0'],
    ['base_score', 'Infinity', 'a finite number'],
    ['early_stopping_rounds', '0', 'an integer between 1 and 100000'],
    ['seed', '1.5', 'an integer between -2147483648 and 2147483647'],
    ['nthread', '0', 'an integer between 1 and 1024'],
    ['tree_method', 'exact', 'one of hist, auto'],
    ['booster', 'dart', 'one of gbtree'],
  ])('rejects %s = %j', (key, value, range) => {
    expect(problemsOf({ [key]: value })).toEqual([
      `hyperparameters.${key} must be ${range} (got ${JSON.stringify(value)})`,
    ]);
  });

  it('collects every problem in one error', () => {
    const problems = problemsOf({ max_depth: 'deep', eta: '2', colour: 'blue', objective: 'multi:softprob' });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('hyperparameters.max_depth');
    expect(problems[1]).toContain('hyperparameters.eta');
    expect(problems[2]).toMatch(/^hyperparameters\.colour is not a known hyperparameter \(known: objective, /);
    expect(problems[3]).toBe(
      'hyperparameters.num_class is required with objective multi:softprob (an integer between 2 and 10000)',
    );
    expect(() => parseHyperparameters({ max_depth: 'deep', eta: '2' })).toThrow(/max_depth[^\n]*\n[^\n]*eta/);
  });

  it('rejects a key given twice under an alias', () => {
    expect(problemsOf({ eta: 0.1, learning_rate: 0.2 })).toEqual([
      'hyperparameters.learning_rate and hyperparameters.eta are the same hyperparameter; give one',
    ]);
  });

  it('checks base_score and eval_metric against the objective', () => {
    expect(problemsOf({ objective: 'binary:logistic', base_score: '1' })).toEqual([
      'hyperparameters.base_score must be between 0 and 1 (exclusive) with objective binary:logistic (got "1")',
    ]);
    expect(parseHyperparameters({ objective: 'reg:squarederror', base_score: -3 }).base_score).toBe(-3);
    expect(problemsOf({ objective: 'reg:squarederror', eval_metric: 'auc' })).toEqual([
      'hyperparameters.eval_metric must be one or more of rmse with objective reg:squarederror, comma-separated (got "auc")',
    ]);
    expect(problemsOf({ objective: 'binary:logistic', eval_metric: 'auc,mlogloss' })[0]).toContain(
      '(got "auc,mlogloss")',
    );
    expect(problemsOf({ objective: 'multi:softprob', num_class: 1 })).toEqual([
      'hyperparameters.num_class must be an integer between 2 and 10000 (got 1)',
    ]);
  });
});
