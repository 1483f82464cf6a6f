import { describe, expect, it } from 'vitest';
import { GATE_OPS, parseGateCondition } from './index.js';

describe('parseGateCondition', () => {
  it.each(GATE_OPS)('parses the %s operator', (op) => {
    expect(parseGateCondition(`validation:auc ${op} 0.85`)).toEqual({
      text: `validation:auc ${op} 0.85`,
      channel: 'validation',
      metric: 'auc',
      op,
      threshold: 0.85,
    });
  });

  it('accepts missing spaces, surrounding spaces, signs, exponents and XGBoost @ metrics', () => {
    expect(parseGateCondition('test:error<0.1')).toMatchObject({ channel: 'test', metric: 'error', op: '<' });
    expect(parseGateCondition('  train:logloss <= 1e-1 ')).toMatchObject({
      text: 'train:logloss <= 1e-1',
      threshold: 0.1,
    });
    expect(parseGateCondition('test:r2 > -.5').threshold).toBe(-0.5);
    expect(parseGateCondition('holdout_2:pr_auc >= +1')).toMatchObject({ channel: 'holdout_2', metric: 'pr_auc' });
    expect(parseGateCondition('test:error@0.7 < 0.2')).toMatchObject({ metric: 'error@0.7', threshold: 0.2 });
    expect(parseGateCondition('validation:auc >= 1.')).toMatchObject({ threshold: 1 });
  });

  const expected =
    'expected "<channel>:<metric> <op> <number>" with <op> one of >=, >, <=, <, ==, e.g. "validation:auc >= 0.85"';
  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['validation:auc 0.85', 'has no comparison operator'],
    ['validation:auc = 0.85', 'operator "=" is not supported'],
    ['validation:auc => 0.85', 'operator "=>" is not supported'],
    ['validation:auc != 0.85', 'operator "!=" is not supported'],
    ['auc >= 0.85', 'left side "auc" is not <channel>:<metric> (letters, digits, _ and -)'],
    ['validation: >= 0.85', 'left side "validation:" is not <channel>:<metric> (letters, digits, _ and -)'],
    ['validation:auc:x >= 0.85', 'left side "validation:auc:x" is not <channel>:<metric> (letters, digits, _ and -)'],
    ['validation:auc >= high', 'right side "high" is not a number'],
    ['validation:auc >=', 'right side "" is not a number'],
    ['validation:auc >= 0.8.1', 'right side "0.8.1" is not a number'],
    ['validation:auc >= 85%', 'right side "85%" is not a number'],
    ['validation:auc === 0.85', 'right side "= 0.85" is not a number'],
  ])('rejects %j naming the text and what was expected', (text, what) => {
    expect(() => parseGateCondition(text)).toThrow(
      new Error(`quality gate condition ${JSON.stringify(text)}: ${what}; ${expected}`),
    );
  });
});
