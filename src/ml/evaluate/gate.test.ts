import { describe, expect, it } from 'vitest';
import { describeGateFailure, evaluateBinary, evaluateGate, gateMetrics, parseGateCondition } from './index.js';

const metrics = {
  train: { auc: 0.97, error: 0.04 },
  validation: { auc: 0.91, error: 0.08, logloss: 0.25 },
  test: { auc: 0.812, error: 0.12, f1: null },
};

describe('evaluateGate conditions', () => {
  it('passes when every condition holds, recording the numbers it used', () => {
    const result = evaluateGate({ conditions: ['validation:auc >= 0.85', 'train:error < 0.1'], metrics });
    expect(result).toEqual({
      passed: true,
      checks: [
        {
          condition: 'validation:auc >= 0.85',
          channel: 'validation',
          metric: 'auc',
          op: '>=',
          threshold: 0.85,
          actual: 0.91,
          passed: true,
        },
        {
          condition: 'train:error < 0.1',
          channel: 'train',
          metric: 'error',
          op: '<',
          threshold: 0.1,
          actual: 0.04,
          passed: true,
        },
      ],
    });
    expect(describeGateFailure(result)).toBe(
      'quality gate passed: validation:auc 0.91 >= 0.85; train:error 0.04 < 0.1',
    );
  });

  it('checks by metric NAME, not by whichever metric comes first', () => {
    const result = evaluateGate({ conditions: ['test:error < 0.1'], metrics });
    expect(result.checks[0]).toMatchObject({ actual: 0.12, passed: false });
    expect(result.passed).toBe(false);
    expect(describeGateFailure(result)).toBe('quality gate failed: test:error 0.12 >= 0.1');
  });

  it('describes a failure in one line with the negated operator', () => {
    const result = evaluateGate({
      conditions: ['test:auc >= 0.85', 'validation:auc >= 0.9', 'train:auc == 1'],
      metrics,
    });
    expect(result.checks.map((c) => c.passed)).toEqual([false, true, false]);
    expect(describeGateFailure(result)).toBe('quality gate failed: test:auc 0.812 < 0.85; train:auc 0.97 != 1');
  });

  it('shows full precision when rounding would contradict the verdict', () => {
    const result = evaluateGate({ conditions: ['test:auc >= 0.85'], metrics: { test: { auc: 0.84999999 } } });
    expect(describeGateFailure(result)).toBe('quality gate failed: test:auc 0.84999999 < 0.85');
  });

  it('fails a check whose metric is missing, naming the metrics that exist for the channel', () => {
    const result = evaluateGate({ conditions: ['validation:f1 >= 0.5'], metrics });
    expect(result.passed).toBe(false);
    expect(result.checks[0]).toEqual({
      condition: 'validation:f1 >= 0.5',
      channel: 'validation',
      metric: 'f1',
      op: '>=',
      threshold: 0.5,
      actual: null,
      passed: false,
      reason: 'channel "validation" has no metric "f1" (it has: auc, error, logloss)',
    });
    expect(describeGateFailure(result)).toBe(
      'quality gate failed: validation:f1 missing: channel "validation" has no metric "f1" (it has: auc, error, logloss)',
    );
  });

  it('fails a check on a missing channel, a null metric or a NaN, never passing silently', () => {
    const result = evaluateGate({
      conditions: ['holdout:auc >= 0.5', 'test:f1 >= 0', 'train:auc <= 1'],
      metrics: { ...metrics, train: { auc: Number.NaN } },
    });
    expect(result.passed).toBe(false);
    expect(result.checks.map((c) => c.reason)).toEqual([
      'no metrics for channel "holdout" (channels: train, validation, test)',
      'test:f1 is null (the evaluator could not compute it for that data)',
      'train:auc is not a finite number (got NaN)',
    ]);
    expect(evaluateGate({ conditions: ['test:auc > 0'], metrics: {} }).checks[0]?.reason).toBe(
      'no metrics for channel "test" (there are no channels)',
    );
    expect(evaluateGate({ conditions: ['test:constructor > 0'], metrics }).checks[0]?.passed).toBe(false);
    const infinite = evaluateGate({ conditions: ['test:logloss < 1'], metrics: { test: { logloss: Infinity } } });
    expect(infinite.checks[0]?.reason).toBe('test:logloss is not a finite number (got Infinity)');
  });

  it('accepts parsed conditions and evaluator results flattened by gateMetrics', () => {
    const validation = gateMetrics(evaluateBinary({ labels: [0, 1, 1, 0], scores: [0.1, 0.9, 0.8, 0.3] }));
    expect(Object.keys(validation)).toEqual([
      'auc',
      'pr_auc',
      'accuracy',
      'error',
      'precision',
      'recall',
      'f1',
      'logloss',
    ]);
    const result = evaluateGate({
      conditions: [parseGateCondition('validation:auc == 1'), 'validation:pr_auc >= 1'],
      metrics: { validation },
    });
    expect(result.passed).toBe(true);
  });

  it('throws on a gate with nothing to check and on a malformed condition', () => {
    expect(() => evaluateGate({ conditions: [], metrics })).toThrow(/no conditions and no baseline/);
    expect(() => evaluateGate({ conditions: ['validation:auc => 0.85'], metrics })).toThrow(
      /quality gate condition "validation:auc => 0.85": operator "=>" is not supported/,
    );
  });
});

describe('evaluateGate baseline', () => {
  const baseline = { test: { auc: 0.8, rmse: 2, error: 0.12, r2: 0 } };

  it('passes a higher-is-better metric that improved by the minimum, reporting both numbers', () => {
    const candidate = { test: { auc: 0.83, rmse: 1.9, error: 0.12, r2: 0.1 } };
    const result = evaluateGate({
      conditions: [],
      metrics: candidate,
      baseline: { metrics: baseline, metric: 'test:auc', minAbsoluteImprovement: 0.02, minRelativeImprovement: 0.03 },
    });
    expect(result.passed).toBe(true);
    expect(result.baseline).toMatchObject({
      metric: 'test:auc',
      direction: 'higher',
      candidate: 0.83,
      baseline: 0.8,
      requiredAbsoluteImprovement: 0.02,
      requiredRelativeImprovement: 0.03,
      passed: true,
    });
    expect(result.baseline?.improvement).toBeCloseTo(0.03, 15);
    expect(result.baseline?.relativeImprovement).toBeCloseTo(0.0375, 15);
    expect(describeGateFailure(result)).toBe('quality gate passed: baseline check test:auc 0.83 vs baseline 0.8');
  });

  it('fails a higher-is-better metric that did not improve enough', () => {
    const result = evaluateGate({
      conditions: ['test:auc >= 0.8'],
      metrics: { test: { auc: 0.805 } },
      baseline: { metrics: baseline, metric: 'test:auc', minAbsoluteImprovement: 0.01 },
    });
    expect(result.checks[0]?.passed).toBe(true);
    expect(result.passed).toBe(false);
    expect(result.baseline?.reason).toBe('improvement 0.005 < required 0.01');
    expect(describeGateFailure(result)).toBe(
      'quality gate failed: baseline check test:auc 0.805 vs baseline 0.8: improvement 0.005 < required 0.01',
    );
  });

  it('treats a lower RMSE as an improvement and a higher one as a regression', () => {
    const spec = { metrics: baseline, metric: 'test:rmse', minRelativeImprovement: 0.05 };
    const better = evaluateGate({ conditions: [], metrics: { test: { rmse: 1.8 } }, baseline: spec });
    expect(better.baseline).toMatchObject({ direction: 'lower', passed: true });
    expect(better.baseline?.improvement).toBeCloseTo(0.2, 15);
    expect(better.baseline?.relativeImprovement).toBeCloseTo(0.1, 15);
    const worse = evaluateGate({ conditions: [], metrics: { test: { rmse: 2.2 } }, baseline: spec });
    expect(worse.passed).toBe(false);
    expect(worse.baseline?.improvement).toBeCloseTo(-0.2, 15);
    expect(worse.baseline?.reason).toBe('relative improvement -0.1 < required 0.05');
  });

  it('requires matching the baseline when no minimum is given; a negative minimum tolerates a regression', () => {
    const same = evaluateGate({
      conditions: [],
      metrics: { test: { error: 0.12 } },
      baseline: { metrics: baseline, metric: 'test:error' },
    });
    expect(same.baseline).toMatchObject({
      requiredAbsoluteImprovement: 0,
      requiredRelativeImprovement: null,
      passed: true,
    });
    const worse = { conditions: [], metrics: { test: { error: 0.13 } } };
    expect(evaluateGate({ ...worse, baseline: { metrics: baseline, metric: 'test:error' } }).passed).toBe(false);
    const tolerated = { metrics: baseline, metric: 'test:error', minAbsoluteImprovement: -0.02 };
    expect(evaluateGate({ ...worse, baseline: tolerated }).passed).toBe(true);
  });

  it('meets a minimum that binary floating point misses by one ulp (0.3 − 0.2 ≥ 0.1)', () => {
    const result = evaluateGate({
      conditions: [],
      metrics: { test: { auc: 0.3 } },
      baseline: { metrics: { test: { auc: 0.2 } }, metric: 'test:auc', minAbsoluteImprovement: 0.1 },
    });
    expect(result.baseline?.improvement).toBeLessThan(0.1);
    expect(result.passed).toBe(true);
  });

  it('fails when the relative improvement is undefined or a side is missing', () => {
    const zero = evaluateGate({
      conditions: [],
      metrics: { test: { r2: 0.2 } },
      baseline: { metrics: baseline, metric: 'test:r2', minRelativeImprovement: 0.1 },
    });
    expect(zero.baseline).toMatchObject({ relativeImprovement: null, passed: false });
    expect(zero.baseline?.reason).toBe('relative improvement is undefined because the baseline is 0');
    const noCandidate = evaluateGate({
      conditions: [],
      metrics: { test: {} },
      baseline: { metrics: baseline, metric: 'test:auc' },
    });
    expect(noCandidate.baseline?.reason).toBe('candidate metrics: channel "test" has no metric "auc" (it has: none)');
    const noBaseline = evaluateGate({
      conditions: [],
      metrics: { test: { f1: 0.5 } },
      baseline: { metrics: baseline, metric: 'test:f1' },
    });
    expect(noBaseline.baseline).toMatchObject({ candidate: 0.5, baseline: null, passed: false });
    expect(describeGateFailure(noBaseline)).toBe(
      'quality gate failed: baseline check test:f1: baseline metrics: channel "test" has no metric "f1" (it has: auc, rmse, error, r2)',
    );
    expect(JSON.parse(JSON.stringify(noBaseline))).toEqual(noBaseline);
  });

  it('throws on a baseline metric of unknown direction, a malformed reference or a non-finite minimum', () => {
    const run =
      (metric: string, minAbsoluteImprovement = 0) =>
      () =>
        evaluateGate({ conditions: [], metrics: {}, baseline: { metrics: {}, metric, minAbsoluteImprovement } });
    expect(run('test:speed')).toThrow(
      /baseline.metric "test:speed": cannot tell whether higher or lower "speed" is better; use one of auc, /,
    );
    expect(run('auc')).toThrow(new Error('baseline.metric "auc" is not <channel>:<metric>; expected e.g. "test:auc"'));
    expect(run('test:auc', Number.NaN)).toThrow(
      new Error('baseline.minAbsoluteImprovement must be a finite number (got NaN)'),
    );
  });
});
