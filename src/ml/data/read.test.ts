import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDataPrep } from './prep.js';
import { allCsvRows, duckdb, specIn, type TempDir, tempDir } from './testing.js';

let tmp: TempDir;
afterEach(() => tmp?.remove());

describe('reading input', () => {
  it('reads a CSV with a header, ";" delimiter and a quoted field holding the delimiter', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'id;note;score;y\n1;"a;b";0.5;1\n2;plain;1.25;0\n3;"say ""hi""";2;1\n');
    const spec = specIn(tmp.dir, {
      input: { path: 'data.csv', format: 'csv', delimiter: ';' },
      steps: [{ op: 'drop', columns: ['note'] }],
    });
    const result = await runDataPrep(spec);
    expect(result.features).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'score', type: 'DOUBLE' },
    ]);
    expect(await allCsvRows(result)).toEqual(['0,2,1.25', '1,1,0.5', '1,3,2.0']);
  });

  it('names the columns of a headerless CSV from input.columns, or column0, column1, ...', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', '1,10,0\n0,20,1\n');
    const named = specIn(tmp.dir, {
      input: { path: 'data.csv', format: 'csv', header: false, columns: ['y', 'a', 'b'] },
    });
    expect((await runDataPrep(named)).features.map((f) => f.name)).toEqual(['a', 'b']);
    const numbered = specIn(tmp.dir, {
      input: { path: 'data.csv', format: 'csv', header: false },
      label: { column: 'column0' },
    });
    const result = await runDataPrep(numbered);
    expect(result.features.map((f) => f.name)).toEqual(['column1', 'column2']);
    expect(await allCsvRows(result)).toEqual(['0,20,1', '1,10,0']);
  });

  it('reads the texts in input.nullValues as missing values', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'x,y\n1.5,1\nNA,0\n?,1\n');
    const spec = specIn(tmp.dir, { input: { path: 'data.csv', format: 'csv', nullValues: ['NA', '?'] } });
    const result = await runDataPrep(spec);
    expect(result.features).toEqual([{ name: 'x', type: 'DOUBLE' }]);
    expect(await allCsvRows(result)).toEqual(['0,', '1,', '1,1.5']);
  });

  it('reads every file a glob matches, in sorted order', async () => {
    tmp = await tempDir();
    await tmp.file('part-2.csv', 'a,y\n3,1\n4,0\n');
    await tmp.file('part-1.csv', 'a,y\n1,0\n2,1\n');
    await tmp.file('other.csv', 'a,y\n99,1\n');
    const result = await runDataPrep(specIn(tmp.dir, { input: { path: 'part-*.csv', format: 'csv' } }));
    expect(await allCsvRows(result)).toEqual(['0,1', '0,4', '1,2', '1,3']);
  });

  it('reads Parquet files, with their own column types', async () => {
    tmp = await tempDir();
    const file = path.join(tmp.dir, 'data.parquet');
    await duckdb(
      `COPY (SELECT i::INTEGER AS n, (i * 0.5)::DOUBLE AS half, i % 2 = 0 AS even, (i % 3 = 0)::INTEGER AS y
             FROM range(1, 7) t(i)) TO '${file}' (FORMAT parquet)`,
    );
    const result = await runDataPrep(specIn(tmp.dir, { input: { path: 'data.parquet', format: 'parquet' } }));
    expect(result.features).toEqual([
      { name: 'n', type: 'INTEGER' },
      { name: 'half', type: 'DOUBLE' },
      { name: 'even', type: 'INTEGER' },
    ]);
    expect(await allCsvRows(result)).toHaveLength(6);
    expect(await allCsvRows(result)).toContain('1,6,3.0,1');
  });

  it('reads JSON Lines, keys in order of first appearance, and infers their types', async () => {
    tmp = await tempDir();
    await tmp.file(
      'data.jsonl',
      '{"a": 1, "b": "x", "y": 0}\n\n{"b": "z", "a": 2.5, "c": true, "y": 1}\r\n{"a": 3, "y": 1, "c": false}\n',
    );
    const spec = specIn(tmp.dir, {
      input: { path: 'data.jsonl', format: 'jsonl' },
      steps: [{ op: 'drop', columns: ['b'] }],
    });
    const result = await runDataPrep(spec);
    expect(result.features).toEqual([
      { name: 'a', type: 'DOUBLE' },
      { name: 'c', type: 'INTEGER' },
    ]);
    expect(await allCsvRows(result)).toEqual(['0,1.0,', '1,2.5,1', '1,3.0,0']);
  });

  it('takes declared input.types over inferred ones', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'zip,y\n02134,1\n10001,0\n');
    const spec = specIn(tmp.dir, {
      input: { path: 'data.csv', format: 'csv', types: { zip: 'double', y: 'integer' } },
    });
    const result = await runDataPrep(spec);
    expect(result.features).toEqual([{ name: 'zip', type: 'DOUBLE' }]);
    expect(await allCsvRows(result)).toEqual(['0,10001.0', '1,2134.0']);
  });
});

describe('reading awkward CSV', () => {
  it('reads CRLF line endings and quoted lines with a quoted header', async () => {
    tmp = await tempDir();
    await tmp.file('crlf.csv', 'a,y\r\n1.5,1\r\n2.5,0\r\n');
    const crlf = await runDataPrep(specIn(tmp.dir, { input: { path: 'crlf.csv', format: 'csv' } }));
    expect(await allCsvRows(crlf)).toEqual(['0,2.5', '1,1.5']);
    await tmp.file('wrapped.csv', '"a,b,y"\n"1,x,1"\n"2,y,0"\n');
    const spec = specIn(tmp.dir, {
      input: { path: 'wrapped.csv', format: 'csv', quotedLines: true },
      steps: [{ op: 'oneHot', columns: ['b'] }],
    });
    expect(await allCsvRows(await runDataPrep(spec))).toEqual(['0,2,0,1', '1,1,1,0']);
  });

  it('fails with a clear message when no row is left', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'a,y\n');
    const input = { path: 'data.csv', format: 'csv', types: { a: 'double', y: 'integer' } };
    const err = await runDataPrep(specIn(tmp.dir, { input })).catch((e: unknown) => e);
    expect(String(err)).toContain('prep.json: no rows are left to split');
  });

  it('names the input when the glob matches nothing or the file is missing', async () => {
    tmp = await tempDir();
    await expect(runDataPrep(specIn(tmp.dir, { input: { path: 'x-*.csv', format: 'csv' } }))).rejects.toThrow(
      `prep.json: input.path matched no file (${tmp.dir}/x-*.csv)`,
    );
    await expect(runDataPrep(specIn(tmp.dir, {}))).rejects.toThrow(
      `prep.json: input.path is not a file (${tmp.dir}/data.csv)`,
    );
  });
});
