// biome-ignore lint/correctness/noNodejsModules: the test reads its fixture files; the module itself stays pure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatasetProfile } from './dataset-profile.js';
import { MonitorFormatError } from './json-fields.js';
import { javaDouble } from './json-text.js';
import { readStatistics, writeStatistics } from './statistics-file.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('writing statistics.json', () => {
  it("writes SageMaker's layout: Jackson's pretty printer, version 0.0, counts as integers, doubles with a point", () => {
    const text = writeStatistics({
      version: 0,
      dataset: { itemCount: 2999 },
      features: [
        {
          name: '_c0',
          inferredType: 'String',
          stringStatistics: { common: { numPresent: 2999, numMissing: 0 }, distinctCount: 2698 },
        },
      ],
    });
    expect(text).toBe(
      [
        '{',
        '  "version" : 0.0,',
        '  "dataset" : {',
        '    "item_count" : 2999',
        '  },',
        '  "features" : [ {',
        '    "name" : "_c0",',
        '    "inferred_type" : "String",',
        '    "string_statistics" : {',
        '      "common" : {',
        '        "num_present" : 2999,',
        '        "num_missing" : 0',
        '      },',
        '      "distinct_count" : 2698.0',
        '    }',
        '  } ]',
        '}',
      ].join('\n'),
    );
  });

  it('writes numeric features with their keys in order and the sketch as nested arrays', () => {
    const p = new DatasetProfile(['x']);
    for (const v of ['1', '2.5']) p.addRow([v]);
    const text = writeStatistics(p.statistics());
    const keys = [...text.matchAll(/"(\w+)" :/g)].map((m) => m[1]);
    expect(keys.slice(0, 16)).toEqual([
      'version',
      'dataset',
      'item_count',
      'features',
      'name',
      'inferred_type',
      'numerical_statistics',
      'common',
      'num_present',
      'num_missing',
      'mean',
      'sum',
      'std_dev',
      'min',
      'max',
      'distribution',
    ]);
    expect(text).toContain('"buckets" : [ {\n            "lower_bound" : 1.0,\n            "upper_bound" : 1.15,');
    expect(text).toContain(
      '"parameters" : {\n              "c" : 0.64,\n              "k" : 2048.0\n            },\n            "data" : [ [ 1.0, 2.5 ] ]\n          }',
    );
    expect(text).toContain('"data" : [ [ 1.0, 2.5 ] ]');
  });

  it("formats doubles as Java's Double.toString lays them out", () => {
    expect([0, -0, 1, 0.1, 2698, 179.6, 1234567.5, 1e7, 17960168.25, 0.0005, -2.5e-7].map(javaDouble)).toEqual([
      '0.0',
      '-0.0',
      '1.0',
      '0.1',
      '2698.0',
      '179.6',
      '1234567.5',
      '1.0E7',
      '1.796016825E7',
      '5.0E-4',
      '-2.5E-7',
    ]);
  });
});

describe('reading statistics.json', () => {
  it("reads the reference's example", () => {
    const stats = readStatistics(fixture('reference-statistics.json'));
    expect(stats.dataset.itemCount).toBe(2400);
    const [dayMins, plan] = stats.features;
    expect(dayMins?.numericalStatistics).toMatchObject({
      common: { numPresent: 2398, numMissing: 2 },
      mean: 179.6,
      stdDev: 54.1,
      min: 0,
      max: 350,
    });
    expect(dayMins?.numericalStatistics?.distribution?.kll?.buckets[1]).toEqual({
      lowerBound: 315,
      upperBound: 350,
      count: 9,
    });
    expect(dayMins?.numericalStatistics?.distribution?.kll?.sketch?.data).toEqual([
      [178.2, 160.4, 97.0, 240.9],
      [121.5, 205.3],
    ]);
    expect(plan?.stringStatistics?.distinctCount).toBe(3);
    expect(plan?.stringStatistics?.distribution?.categorical?.buckets.map((b) => b.value)).toEqual([
      'basic',
      'plus',
      'pro',
    ]);
  });

  it('reads back what it writes, and writes the same bytes again', () => {
    const p = new DatasetProfile(['calls', 'plan', 'none']);
    for (let i = 0; i < 3000; i++) p.addRow([String((i * 37) % 101), ['a', 'b', 'c'][i % 3]!, null]);
    const stats = p.statistics();
    const text = writeStatistics(stats);
    const back = readStatistics(text);
    expect(back).toEqual(stats);
    expect(writeStatistics(back)).toBe(text);
  });

  it('keeps unknown keys and another sketch form through a round trip', () => {
    const text = JSON.stringify({
      version: 0.0,
      dataset: { item_count: 3, source: 's3://bucket/train.csv' },
      features: [
        {
          name: 'x',
          inferred_type: 'Integral',
          numerical_statistics: {
            common: { num_present: 3.0, num_missing: 0.0 },
            distribution: { kll: { buckets: [], sketch: { format: 'datasketches', bytes: 'AAEC' } } },
            median: 2,
          },
          description: 'calls',
        },
      ],
      owner: 'team',
    });
    const stats = readStatistics(text);
    expect(stats.extra).toEqual({ owner: 'team' });
    expect(stats.dataset.extra).toEqual({ source: 's3://bucket/train.csv' });
    const x = stats.features[0];
    expect(x?.extra).toEqual({ description: 'calls' });
    expect(x?.numericalStatistics?.extra).toEqual({ median: 2 });
    expect(x?.numericalStatistics?.distribution?.kll?.sketch).toBeUndefined();
    expect(x?.numericalStatistics?.distribution?.kll?.extra).toEqual({
      sketch: { format: 'datasketches', bytes: 'AAEC' },
    });
    expect(readStatistics(writeStatistics(stats))).toEqual(stats);
  });

  it.each([
    ['{"version": 0.0, "dataset": {"item_count": 1}, "features": [', 'is not valid JSON'],
    ['{"version": 0.0, "features": []}', 'dataset must be an object (got nothing)'],
    [
      '{"version": 0.0, "dataset": {"item_count": 2.5}, "features": []}',
      'dataset.item_count must be a whole number >= 0 (got 2.5)',
    ],
    [
      '{"version": 0, "dataset": {"item_count": 1}, "features": [{"name": "a", "inferred_type": "Text"}]}',
      'features[0].inferred_type must be one of "Integral", "Fractional", "String", "Unknown" (got "Text")',
    ],
    [
      '{"version": 0, "dataset": {"item_count": 1}, "features": [{"name": "a", "inferred_type": "Integral", "numerical_statistics": {"common": {"num_present": "1", "num_missing": 0}}}]}',
      'features[0].numerical_statistics.common.num_present must be a whole number >= 0 (got "1")',
    ],
    [
      '{"version": 0, "dataset": {"item_count": 1}, "features": [{"name": "a", "inferred_type": "Integral", "numerical_statistics": {"common": {"num_present": 1, "num_missing": 0}, "distribution": {"kll": {"buckets": [{"lower_bound": 0, "upper_bound": 1}]}}}}]}',
      'features[0].numerical_statistics.distribution.kll.buckets[0].count must be a number >= 0 (got nothing)',
    ],
    [
      '{"version": 0, "dataset": {"item_count": 1}, "features": [{"name": "a", "inferred_type": "Fractional", "numerical_statistics": {"common": {"num_present": 1, "num_missing": 0}, "distribution": {"kll": {"buckets": [], "sketch": {"parameters": {"c": 0.64, "k": 2048}, "data": [[1.5], ["x"]]}}}}}]}',
      'features[0].numerical_statistics.distribution.kll.sketch.data[1] must be an array of numbers (got ["x"])',
    ],
  ])('rejects a malformed file naming the key path: %s', (text, message) => {
    expect(() => readStatistics(text, 'baseline/statistics.json')).toThrow(MonitorFormatError);
    expect(() => readStatistics(text, 'baseline/statistics.json')).toThrow(`baseline/statistics.json: ${message}`);
  });
});
