import { describe, expect, it } from 'vitest';
import { DatasetProfile } from './dataset-profile.js';
import type { FeatureStatistics } from './model.js';
import { suggestConstraints } from './suggest-constraints.js';

function profile(names: string[], rows: (string | null)[][]) {
  const p = new DatasetProfile(names);
  for (const row of rows) p.addRow(row);
  return p.statistics();
}

function feature(features: FeatureStatistics[], name: string): FeatureStatistics {
  const f = features.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no feature ${name}`);
  return f;
}

describe('numeric statistics', () => {
  const stats = profile(
    ['calls', 'mins'],
    [
      ['1', '0.5'],
      ['2', null],
      ['3', '-1.5'],
      ['4', '2.0'],
      ['10', null],
    ],
  );

  it('counts rows, present and missing values', () => {
    expect(stats.dataset.itemCount).toBe(5);
    expect(feature(stats.features, 'mins').numericalStatistics?.common).toEqual({ numPresent: 3, numMissing: 2 });
  });

  it('computes sum, mean, population standard deviation, min and max (hand-computed)', () => {
    const calls = feature(stats.features, 'calls');
    expect(calls.inferredType).toBe('Integral');
    const n = calls.numericalStatistics;
    // 1+2+3+4+10 = 20, mean 4, squared deviations 9+4+1+0+36 = 50, population variance 50/5 = 10.
    expect(n).toMatchObject({ sum: 20, mean: 4, min: 1, max: 10 });
    expect(n?.stdDev).toBeCloseTo(Math.sqrt(10), 12);
    const mins = feature(stats.features, 'mins');
    expect(mins.inferredType).toBe('Fractional');
    // 0.5 - 1.5 + 2 = 1, mean 1/3; deviations 1/6, -11/6, 5/3: squares sum 1/36 + 121/36 + 100/36 = 222/36.
    expect(mins.numericalStatistics).toMatchObject({ sum: 1, min: -1.5, max: 2 });
    expect(mins.numericalStatistics?.mean).toBeCloseTo(1 / 3, 12);
    expect(mins.numericalStatistics?.stdDev).toBeCloseTo(Math.sqrt(222 / 36 / 3), 12);
  });

  it('writes the 10 KLL buckets and the sketch with c 0.64 and k 2048', () => {
    const kll = feature(stats.features, 'calls').numericalStatistics?.distribution?.kll;
    // Width 0.9: 1 in [1, 1.9), 2 in [1.9, 2.8), 3 in [2.8, 3.7), 4 in [3.7, 4.6), max 10 in the last.
    expect(kll?.buckets.map((b) => b.count)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 1]);
    expect(kll?.buckets[0]).toEqual({ lowerBound: 1, upperBound: 1.9, count: 1 });
    expect(kll?.sketch).toEqual({ parameters: { c: 0.64, k: 2048 }, data: [[1, 2, 3, 4, 10]] });
  });

  it('counts numeric-looking values that do not parse as present but leaves them out of the moments', () => {
    const s = profile(['x'], [['4'], ['-'], ['6'], [null]]);
    const n = feature(s.features, 'x').numericalStatistics;
    expect(n?.common).toEqual({ numPresent: 3, numMissing: 1 });
    expect(n).toMatchObject({ sum: 10, mean: 5, min: 4, max: 6 });
  });
});

describe('string statistics', () => {
  it('counts distinct values and writes categorical buckets, most frequent first', () => {
    const rows = [['basic'], ['pro'], ['basic'], ['plus'], ['basic'], ['plus'], [null]];
    const plan = feature(profile(['plan'], rows).features, 'plan');
    expect(plan).toEqual({
      name: 'plan',
      inferredType: 'String',
      stringStatistics: {
        common: { numPresent: 6, numMissing: 1 },
        distinctCount: 3,
        distribution: {
          categorical: {
            buckets: [
              { value: 'basic', count: 3 },
              { value: 'plus', count: 2 },
              { value: 'pro', count: 1 },
            ],
          },
        },
      },
    });
  });

  it('leaves categorical buckets out for more than 120 distinct values', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`id-${i}`]);
    const id = feature(profile(['id'], rows).features, 'id').stringStatistics;
    expect(id?.distribution).toBeUndefined();
    expect(Math.abs((id?.distinctCount ?? 0) - 500)).toBeLessThan(30);
  });

  it('asks for a second pass when text follows numbers, and counts every value after it', () => {
    const p = new DatasetProfile(['code']);
    const values = ['1', '2', '1', 'x'];
    for (const v of values) p.addRow([v]);
    const column = p.columns[0]!;
    expect(column.needsStringRescan).toBe(true);
    const strings = column.rescanStrings();
    for (const v of values) strings.add(new TextEncoder().encode(v), 0, v.length);
    expect(column.needsStringRescan).toBe(false);
    const code = p.statistics().features[0];
    expect(code?.inferredType).toBe('String');
    expect(code?.stringStatistics?.distinctCount).toBe(3);
    expect(code?.stringStatistics?.distribution?.categorical?.buckets[0]).toEqual({ value: '1', count: 2 });
  });

  it('writes an all-null column as Unknown with no statistics block', () => {
    expect(profile(['empty'], [[null], [null]]).features[0]).toEqual({ name: 'empty', inferredType: 'Unknown' });
  });
});

describe('suggested constraints', () => {
  it('gives completeness, is_non_negative, domains for few repeated strings, and the generated monitoring_config', () => {
    const rows = [
      ['1', '-2.5', 'basic', 'a'],
      ['2', null, 'plus', 'b'],
      ['3', '4.0', 'basic', 'c'],
      ['4', '1.0', 'plus', 'd'],
    ];
    const constraints = suggestConstraints(profile(['calls', 'delta', 'plan', 'id'], rows));
    expect(constraints.features).toEqual([
      { name: 'calls', inferredType: 'Integral', completeness: 1, numConstraints: { isNonNegative: true } },
      { name: 'delta', inferredType: 'Fractional', completeness: 0.75, numConstraints: { isNonNegative: false } },
      { name: 'plan', inferredType: 'String', completeness: 1, stringConstraints: { domains: ['basic', 'plus'] } },
      // Every id occurs once: more than 10% singletons, so no domain (Deequ's CategoricalRangeRule).
      { name: 'id', inferredType: 'String', completeness: 1 },
    ]);
    expect(constraints.monitoringConfig).toEqual({
      evaluateConstraints: 'Enabled',
      emitMetrics: 'Enabled',
      datatypeCheckThreshold: 1,
      domainContentThreshold: 1,
      distributionConstraints: { performComparison: 'Enabled', comparisonThreshold: 0.1, comparisonMethod: 'Robust' },
    });
  });
});
