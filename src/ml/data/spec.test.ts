import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PrepError } from './errors.js';
import { loadPrepSpec, parsePrepSpec } from './spec.js';
import { type TempDir, tempDir } from './testing.js';

const valid = {
  input: { path: 'data/*.csv', format: 'csv' },
  label: { column: 'Churn?', positive: 'True.' },
  split: { ratios: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 42 },
  output: { dir: 'prepared', formats: ['csv'] },
};

/** The problems parsePrepSpec reports for `json`, one per line. */
function problems(json: unknown): string[] {
  try {
    parsePrepSpec(json, '/project/prep.json');
  } catch (err) {
    expect(err).toBeInstanceOf(PrepError);
    expect((err as PrepError).error).toBe('DataPrep.InvalidSpec');
    return (err as PrepError).message.split('\n');
  }
  throw new Error('expected the spec to be rejected');
}

const withKey = (key: string, value: unknown) => ({ ...valid, [key]: value });

describe('parsePrepSpec', () => {
  it('applies defaults and resolves paths against the spec file folder', () => {
    const spec = parsePrepSpec({ ...valid, sql: 'clean.sql' }, '/project/prep.json');
    expect(spec.input).toEqual({
      path: '/project/data/*.csv',
      format: 'csv',
      header: true,
      delimiter: ',',
      quotedLines: false,
      types: {},
      nullValues: [''],
    });
    expect(spec.sql).toBe('/project/clean.sql');
    expect(spec.output.dir).toBe('/project/prepared');
    expect(spec.steps).toEqual([]);
    expect(spec.split.stratify).toBe(false);
    expect(spec.maxRejectedRows).toBe(0);
  });

  it.each([
    [[], 'prep.json: the spec must be an object (got [])'],
    [
      withKey('extra', 1),
      'prep.json: extra is not a known key (expected one of input, sql, steps, label, split, output, maxRejectedRows)',
    ],
    [withKey('input', { format: 'csv' }), 'prep.json: input.path must be a non-empty string (got nothing)'],
    [
      withKey('input', { path: 'a', format: 'xlsx' }),
      'prep.json: input.format must be one of "csv", "parquet", "jsonl" (got "xlsx")',
    ],
    [
      withKey('input', { path: 'a', format: 'csv', header: 'yes' }),
      'prep.json: input.header must be true or false (got "yes")',
    ],
    [
      withKey('input', { path: 'a', format: 'csv', delimiter: '"' }),
      'prep.json: input.delimiter must be 1 to 4 characters, no quote or line break (got "\\"")',
    ],
    [
      withKey('input', { path: 'a', format: 'csv', quotedLines: 1 }),
      'prep.json: input.quotedLines must be true or false (got 1)',
    ],
    [
      withKey('input', { path: 'a', format: 'csv', columns: ['a', 'a'] }),
      'prep.json: input.columns must not repeat a column (repeated: a)',
    ],
    [
      withKey('input', { path: 'a', format: 'csv', columns: [] }),
      'prep.json: input.columns must name at least one column',
    ],
    [
      withKey('input', { path: 'a', format: 'csv', types: { a: 'text' } }),
      'prep.json: input.types.a must be one of "boolean", "integer", "bigint", "float", "double", "varchar", "date", "timestamp" (got "text")',
    ],
    [
      withKey('input', { path: 'a', format: 'csv', nullValues: [1] }),
      'prep.json: input.nullValues[0] must be a non-empty string (got 1)',
    ],
    [
      withKey('input', { path: 'a', format: 'parquet', header: false }),
      'prep.json: input.header applies only to "csv" input (format is "parquet")',
    ],
    [withKey('sql', ''), 'prep.json: sql must be a non-empty string (got "")'],
    [withKey('steps', {}), 'prep.json: steps must be an array (got {})'],
    [
      withKey('steps', [{ op: 'pivot' }]),
      'prep.json: steps[0].op must be one of "select", "drop", "cast", "fill", "oneHot" (got "pivot")',
    ],
    [withKey('steps', [{ op: 'select', columns: 'a' }]), 'prep.json: steps[0].columns must be an array (got "a")'],
    [
      withKey('steps', [{ op: 'drop', columns: ['a'], categories: {} }]),
      'prep.json: steps[0].categories applies only to "oneHot" steps',
    ],
    [
      withKey('steps', [{ op: 'cast', columns: {} }]),
      'prep.json: steps[0].columns must be an object of column name to value, with at least one column (got {})',
    ],
    [
      withKey('steps', [{ op: 'cast', columns: { 'Day Mins': 'real' } }]),
      'prep.json: steps[0].columns["Day Mins"] must be one of "boolean", "integer", "bigint", "float", "double", "varchar", "date", "timestamp" (got "real")',
    ],
    [
      withKey('steps', [{ op: 'fill', columns: { a: {} } }]),
      'prep.json: steps[0].columns.a must have exactly one of "value" (a constant) or "strategy" ("mean", "median" or "mode")',
    ],
    [
      withKey('steps', [{ op: 'fill', columns: { a: { value: 1, strategy: 'mean' } } }]),
      'prep.json: steps[0].columns.a must have exactly one of "value" (a constant) or "strategy" ("mean", "median" or "mode")',
    ],
    [
      withKey('steps', [{ op: 'fill', columns: { a: { value: null } } }]),
      'prep.json: steps[0].columns.a.value must be a string, number or boolean (got null)',
    ],
    [
      withKey('steps', [{ op: 'fill', columns: { a: { value: [1] } } }]),
      'prep.json: steps[0].columns.a.value must be a string, number or boolean (got [1])',
    ],
    [
      withKey('steps', [{ op: 'fill', columns: { a: { strategy: 'max' } } }]),
      'prep.json: steps[0].columns.a.strategy must be one of "mean", "median", "mode" (got "max")',
    ],
    [
      withKey('steps', [{ op: 'oneHot', columns: ['a'], categories: { b: ['x'] } }]),
      'prep.json: steps[0].categories.b names a column not in columns',
    ],
    [
      withKey('steps', [{ op: 'oneHot', columns: ['a'], categories: { a: 'x' } }]),
      'prep.json: steps[0].categories.a must be an array (got "x")',
    ],
    [
      withKey('steps', [{ op: 'drop', columns: ['Churn?'] }]),
      'prep.json: steps[0].columns must not drop the label "Churn?"',
    ],
    [
      withKey('steps', [{ op: 'oneHot', columns: ['Churn?'] }]),
      'prep.json: steps[0].columns must not one-hot encode the label "Churn?"',
    ],
    [withKey('label', { positive: 1 }), 'prep.json: label.column must be a non-empty string (got nothing)'],
    [
      withKey('label', { column: 'y', positive: {} }),
      'prep.json: label.positive must be a string, number or boolean (got {})',
    ],
    [
      withKey('split', { ratios: { train: 0.7, validation: 0.1, test: 0.1 }, seed: 1 }),
      'prep.json: split.ratios must sum to 1 (got 0.9)',
    ],
    [
      withKey('split', { ratios: { train: 0, validation: 0.5, test: 0.5 }, seed: 1 }),
      'prep.json: split.ratios.train must be more than 0',
    ],
    [
      withKey('split', { ratios: { train: 1.5, validation: 0, test: 0 }, seed: 1 }),
      'prep.json: split.ratios.train must be a number from 0 to 1 (got 1.5)',
    ],
    [
      withKey('split', { ratios: { train: 1, validation: 0, test: 0 }, seed: 1.5 }),
      'prep.json: split.seed must be an integer from 0 to 2147483647 (got 1.5)',
    ],
    [
      withKey('split', { ratios: { train: 1, validation: 0, test: 0 }, seed: 1, stratify: 'no' }),
      'prep.json: split.stratify must be true or false (got "no")',
    ],
    [
      withKey('output', { dir: 'o', formats: [] }),
      'prep.json: output.formats must name at least one of "csv", "parquet"',
    ],
    [withKey('output', { dir: 'o', formats: ['csv', 'csv'] }), 'prep.json: output.formats must not repeat a format'],
    [
      withKey('output', { dir: 'o', formats: ['json'] }),
      'prep.json: output.formats[0] must be one of "csv", "parquet" (got "json")',
    ],
    [withKey('output', { formats: ['csv'] }), 'prep.json: output.dir must be a non-empty string (got nothing)'],
    [withKey('maxRejectedRows', -1), 'prep.json: maxRejectedRows must be an integer of at least 0 (got -1)'],
  ])('reports %j as a problem', (json, problem) => {
    expect(problems(json)).toContain(problem);
  });

  it('reports every problem at once', () => {
    const found = problems({ input: { path: 'a' }, label: {}, split: { ratios: {}, seed: -1 }, output: {} });
    expect(found).toEqual([
      'prep.json: input.format must be one of "csv", "parquet", "jsonl" (got nothing)',
      'prep.json: label.column must be a non-empty string (got nothing)',
      'prep.json: split.ratios.train must be a number from 0 to 1 (got nothing)',
      'prep.json: split.ratios.validation must be a number from 0 to 1 (got nothing)',
      'prep.json: split.ratios.test must be a number from 0 to 1 (got nothing)',
      'prep.json: split.seed must be an integer from 0 to 2147483647 (got -1)',
      'prep.json: output.dir must be a non-empty string (got nothing)',
      'prep.json: output.formats must be an array (got nothing)',
    ]);
  });
});

describe('loadPrepSpec', () => {
  let tmp: TempDir;
  afterEach(() => tmp?.remove());

  it('names the file when it is missing or not JSON', async () => {
    tmp = await tempDir();
    const missing = path.join(tmp.dir, 'nope.json');
    await expect(loadPrepSpec(missing)).rejects.toThrow(`${missing}: cannot read the spec`);
    const bad = await tmp.file('bad.json', '{ "input": ');
    await expect(loadPrepSpec(bad)).rejects.toThrow(/^bad\.json: not valid JSON/);
  });

  it('loads a valid spec', async () => {
    tmp = await tempDir();
    const file = await tmp.file('prep.json', JSON.stringify(valid));
    expect((await loadPrepSpec(file)).input.path).toBe(path.join(tmp.dir, 'data/*.csv'));
  });
});
