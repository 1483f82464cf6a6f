import { afterEach, describe, expect, it } from 'vitest';
import { PrepError } from './errors.js';
import { runDataPrep } from './prep.js';
import { allCsvRows, specIn, type TempDir, tempDir } from './testing.js';

let tmp: TempDir;
afterEach(() => tmp?.remove());

const plans = 'plan,area,mins,calls,y\nyes,415,10.5,1,1\nno,408,,2,0\nno,510,30.0,,0\nyes,415,20.0,4,1\n';

describe('transform and steps', () => {
  it('runs the SQL transform over the table "input" before the steps', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    await tmp.file('t.sql', '-- busy customers only\nSELECT *, mins * 2 AS double_mins FROM input WHERE calls >= 2;\n');
    const spec = specIn(tmp.dir, { sql: 't.sql', steps: [{ op: 'select', columns: ['double_mins'] }] });
    const result = await runDataPrep(spec);
    expect(result.features).toEqual([{ name: 'double_mins', type: 'DOUBLE' }]);
    expect(await allCsvRows(result)).toEqual(['0,', '1,40.0']);
  });

  it('keeps splitting deterministically when the transform drops the row origin', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    await tmp.file('t.sql', 'SELECT calls, y FROM input');
    const spec = specIn(tmp.dir, { sql: 't.sql' });
    const first = await runDataPrep(spec);
    const second = await runDataPrep(spec);
    expect(await allCsvRows(first)).toEqual(['0,', '0,2', '1,1', '1,4']);
    expect(second.splits).toEqual(first.splits);
  });

  it('selects columns in the order given, keeping the label', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    const result = await runDataPrep(specIn(tmp.dir, { steps: [{ op: 'select', columns: ['calls', 'area'] }] }));
    expect(result.features.map((f) => f.name)).toEqual(['calls', 'area']);
    expect(await allCsvRows(result)).toContain('1,4,415');
  });

  it('drops columns', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    const result = await runDataPrep(specIn(tmp.dir, { steps: [{ op: 'drop', columns: ['plan', 'mins'] }] }));
    expect(result.features.map((f) => f.name)).toEqual(['area', 'calls']);
  });

  it('casts columns, booleans written as 0/1', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'flag,n,y\ntrue,1,1\nfalse,2,0\n');
    const spec = specIn(tmp.dir, {
      input: { path: 'data.csv', format: 'csv', types: { flag: 'varchar' } },
      steps: [{ op: 'cast', columns: { flag: 'boolean', n: 'double' } }],
    });
    const result = await runDataPrep(spec);
    expect(result.features).toEqual([
      { name: 'flag', type: 'INTEGER' },
      { name: 'n', type: 'DOUBLE' },
    ]);
    expect(await allCsvRows(result)).toEqual(['0,0,2.0', '1,1,1.0']);
  });

  it('fills missing values with a constant, the mean, the median or the mode', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'a,b,c,d,y\n1,1,x,5,1\n,2,x,,0\n2,,z,7,0\n4,4,,9,1\n');
    const spec = specIn(tmp.dir, {
      steps: [
        { op: 'fill', columns: { a: { strategy: 'mean' }, b: { strategy: 'median' }, c: { strategy: 'mode' } } },
        { op: 'fill', columns: { d: { value: -1 } } },
        { op: 'oneHot', columns: ['c'] },
      ],
    });
    const result = await runDataPrep(spec);
    // mean of 1, 2, 4 rounds to 2 in a BIGINT column; median of 1, 2, 4 is 2; mode of x, x, z is x.
    expect(await allCsvRows(result)).toEqual(['0,2,2,0,1,7', '0,2,2,1,0,-1', '1,1,1,1,0,5', '1,4,4,1,0,9']);
    expect(result.features.map((f) => f.name)).toEqual(['a', 'b', 'c_x', 'c_z', 'd']);
  });

  it('one-hot encodes every value present, sorted, in place of the column', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    const spec = specIn(tmp.dir, { steps: [{ op: 'oneHot', columns: ['plan', 'area'] }] });
    const result = await runDataPrep(spec);
    expect(result.features.map((f) => f.name)).toEqual([
      'plan_no',
      'plan_yes',
      'area_408',
      'area_415',
      'area_510',
      'mins',
      'calls',
    ]);
    expect(result.features.slice(0, 5).every((f) => f.type === 'INTEGER')).toBe(true);
    expect(await allCsvRows(result)).toEqual([
      '0,1,0,0,0,1,30.0,',
      '0,1,0,1,0,0,,2',
      '1,0,1,0,1,0,10.5,1',
      '1,0,1,0,1,0,20.0,4',
    ]);
  });

  it('one-hot encodes only the listed categories; other values are all zeros', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    const spec = specIn(tmp.dir, {
      steps: [
        { op: 'oneHot', columns: ['area'], categories: { area: [415, '510'] } },
        { op: 'select', columns: ['area_415', 'area_510'] },
      ],
    });
    const result = await runDataPrep(spec);
    expect(await allCsvRows(result)).toEqual(['0,0,0', '0,0,1', '1,1,0', '1,1,0']);
  });

  it('writes a one-hot block that a later step reorders column by column', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    const spec = specIn(tmp.dir, {
      steps: [
        { op: 'oneHot', columns: ['plan'] },
        { op: 'select', columns: ['plan_yes', 'plan_no'] },
      ],
    });
    expect(await allCsvRows(await runDataPrep(spec))).toEqual(['0,0,1', '0,0,1', '1,1,0', '1,1,0']);
  });

  it('names the step and the column when a step names a column that is not there', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    const spec = specIn(tmp.dir, {
      steps: [
        { op: 'drop', columns: ['plan'] },
        { op: 'oneHot', columns: ['plan'] },
      ],
    });
    const err = await runDataPrep(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrepError);
    expect((err as PrepError).error).toBe('DataPrep.InvalidSpec');
    expect((err as PrepError).message).toMatch(
      /^prep\.json: steps\[1\]\.columns names "plan", not a column here \(columns: area, mins, calls, y\)/,
    );
  });

  it('refuses text features in CSV output, naming them', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', plans);
    const err = (await runDataPrep(specIn(tmp.dir, {})).catch((e: unknown) => e)) as PrepError;
    expect(err.message).toContain('CSV output takes numbers only, but these features are not: "plan" (VARCHAR)');
  });
});
