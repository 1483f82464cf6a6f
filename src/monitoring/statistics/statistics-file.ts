import { inferredTypes } from './data-type.js';
import { Fields, keep, parseJsonText } from './json-fields.js';
import { Double, double, type OutValue, renderJson, withExtra } from './json-text.js';
import type {
  CommonStatistics,
  FeatureStatistics,
  KllDistribution,
  NumericalStatistics,
  Statistics,
  StringStatistics,
} from './model.js';

const count = { min: 0, whole: true };

/**
 * Reads a statistics.json as SageMaker or Flywheel wrote it. Tolerant where real files vary (whole numbers written
 * as floats, key order, optional blocks, a sketch of another form) and keeps unknown keys; strict about what a
 * monitor needs, with errors naming `file` and the key path.
 */
export function readStatistics(text: string, file = 'statistics.json'): Statistics {
  const root = new Fields(file, '', parseJsonText(text, file));
  const dataset = root.nested('dataset');
  const features = root.array('features').map((value, i) => readFeature(new Fields(file, `features[${i}]`, value)));
  return keep(
    {
      version: root.number('version'),
      dataset: keep({ itemCount: dataset.number('item_count', count) }, dataset),
      features,
    },
    root,
  );
}

function readFeature(f: Fields): FeatureStatistics {
  const feature: FeatureStatistics = { name: f.string('name'), inferredType: f.oneOf('inferred_type', inferredTypes) };
  const numerical = f.optionalNested('numerical_statistics');
  if (numerical) feature.numericalStatistics = readNumerical(numerical);
  const string = f.optionalNested('string_statistics');
  if (string) feature.stringStatistics = readString(string);
  return keep(feature, f);
}

function readCommon(f: Fields): CommonStatistics {
  return keep({ numPresent: f.number('num_present', count), numMissing: f.number('num_missing', count) }, f);
}

function readNumerical(f: Fields): NumericalStatistics {
  const stats: NumericalStatistics = { common: readCommon(f.nested('common')) };
  for (const [key, field] of [
    ['mean', 'mean'],
    ['sum', 'sum'],
    ['stdDev', 'std_dev'],
    ['min', 'min'],
    ['max', 'max'],
  ] as const) {
    const value = f.optionalNumber(field, field === 'std_dev' ? { min: 0 } : undefined);
    if (value !== undefined) stats[key] = value;
  }
  const d = f.optionalNested('distribution');
  if (d) {
    const kll = d.optionalNested('kll');
    stats.distribution = keep(kll ? { kll: readKll(kll) } : {}, d);
  }
  return keep(stats, f);
}

function readKll(f: Fields): KllDistribution {
  const buckets = f.array('buckets').map((value, i) => {
    const b = new Fields(f.file, `${f.at('buckets')}[${i}]`, value);
    const bucket = { lowerBound: b.number('lower_bound'), upperBound: b.number('upper_bound') };
    return keep({ ...bucket, count: b.number('count', { min: 0 }) }, b);
  });
  const kll: KllDistribution = { buckets };
  // Another sketch form is allowed (SageMaker's charts ignore it): only the c/k/data form is read; others are kept.
  const sketch = f.object.sketch;
  if (isKllSketch(sketch)) {
    const s = f.nested('sketch');
    const p = s.nested('parameters');
    const parameters = keep({ c: p.number('c', { min: 0, max: 1 }), k: p.number('k', { min: 1, whole: true }) }, p);
    const data = s.array('data').map((level, i) => {
      if (!Array.isArray(level) || !level.every((x) => typeof x === 'number')) {
        return s.fail(`data[${i}]`, 'an array of numbers', level);
      }
      return level as number[];
    });
    kll.sketch = keep({ parameters, data }, s);
  }
  return keep(kll, f);
}

function isKllSketch(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const s = value as Record<string, unknown>;
  return typeof s.parameters === 'object' && s.parameters !== null && Array.isArray(s.data);
}

function readString(f: Fields): StringStatistics {
  const stats: StringStatistics = { common: readCommon(f.nested('common')) };
  const distinct = f.optionalNumber('distinct_count', { min: 0 });
  if (distinct !== undefined) stats.distinctCount = distinct;
  const d = f.optionalNested('distribution');
  if (d) {
    const c = d.optionalNested('categorical');
    if (c) {
      const buckets = c.array('buckets').map((value, i) => {
        const b = new Fields(f.file, `${c.at('buckets')}[${i}]`, value);
        return keep({ value: b.string('value'), count: b.number('count', count) }, b);
      });
      stats.distribution = keep({ categorical: keep({ buckets }, c) }, d);
    } else stats.distribution = keep({}, d);
  }
  return keep(stats, f);
}

/** statistics.json text in SageMaker's layout: keys in its order, doubles as `0.0`, counts as integers. */
export function writeStatistics(statistics: Statistics): string {
  return renderJson(
    withExtra(
      {
        version: new Double(statistics.version),
        dataset: withExtra({ item_count: statistics.dataset.itemCount }, statistics.dataset.extra),
        features: statistics.features.map(featureOut),
      },
      statistics.extra,
    ),
  );
}

function featureOut(f: FeatureStatistics): OutValue {
  return withExtra(
    {
      name: f.name,
      inferred_type: f.inferredType,
      numerical_statistics: f.numericalStatistics && numericalOut(f.numericalStatistics),
      string_statistics: f.stringStatistics && stringOut(f.stringStatistics),
    },
    f.extra,
  );
}

function commonOut(c: CommonStatistics): OutValue {
  return withExtra({ num_present: c.numPresent, num_missing: c.numMissing }, c.extra);
}

function numericalOut(n: NumericalStatistics): OutValue {
  const kll = n.distribution?.kll;
  const kllOut = kll && {
    buckets: kll.buckets.map((b) =>
      withExtra(
        { lower_bound: new Double(b.lowerBound), upper_bound: new Double(b.upperBound), count: b.count },
        b.extra,
      ),
    ),
    sketch:
      kll.sketch &&
      withExtra(
        {
          parameters: withExtra(
            { c: new Double(kll.sketch.parameters.c), k: new Double(kll.sketch.parameters.k) },
            kll.sketch.parameters.extra,
          ),
          data: kll.sketch.data.map((level) => level.map((x) => new Double(x))),
        },
        kll.sketch.extra,
      ),
  };
  return withExtra(
    {
      common: commonOut(n.common),
      mean: double(n.mean),
      sum: double(n.sum),
      std_dev: double(n.stdDev),
      min: double(n.min),
      max: double(n.max),
      distribution: n.distribution && withExtra({ kll: kllOut && withExtra(kllOut, kll.extra) }, n.distribution.extra),
    },
    n.extra,
  );
}

function stringOut(s: StringStatistics): OutValue {
  const categorical = s.distribution?.categorical;
  return withExtra(
    {
      common: commonOut(s.common),
      distinct_count: double(s.distinctCount),
      distribution:
        s.distribution &&
        withExtra(
          {
            categorical:
              categorical &&
              withExtra(
                { buckets: categorical.buckets.map((b) => withExtra({ value: b.value, count: b.count }, b.extra)) },
                categorical.extra,
              ),
          },
          s.distribution.extra,
        ),
    },
    s.extra,
  );
}
