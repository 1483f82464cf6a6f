import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PrepError } from './errors.js';
import { runDataPrep } from './prep.js';
import { specIn, type TempDir, tempDir } from './testing.js';

let tmp: TempDir;
afterEach(() => tmp?.remove());

/** 31 records after the header; the bad ones sit at known physical lines, after a blank and a 2-line record. */
function messyCsv(): string {
  const lines = ['id,x,note,flag,y'];
  for (let i = 1; lines.length < 32; i++) lines.push(`${i},${i * 1.5},n${i},${i % 2 === 0},${i % 2}`);
  lines[5] = '5,7.5,n5,false,1,extra'; // line 6: too many columns
  lines[9] = '9,abc,n9,false,1'; // line 10: x is not a number
  lines[11] = ''; // line 12: blank, skipped
  lines[13] = '13,19.5,"two\nlines",false,1'; // lines 14-15: one record
  lines[19] = '19,oops,n19,false,1'; // line 21: x is not a number
  lines[27] = '27,40.5,n27,maybe,1'; // line 29: flag is not a boolean (found by the cast step)
  return `${lines.join('\n')}\n`;
}

const messySpec = (dir: string, maxRejectedRows: number) =>
  specIn(dir, {
    input: { path: 'data.csv', format: 'csv', types: { flag: 'varchar' } },
    steps: [
      { op: 'drop', columns: ['note'] },
      { op: 'cast', columns: { flag: 'boolean' } },
    ],
    maxRejectedRows,
  });

describe('rejected rows', () => {
  it('counts rows that do not parse or hold a wrong value, with their physical lines, under the limit', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', messyCsv());
    const result = await runDataPrep(messySpec(tmp.dir, 4));
    expect(result.rejectedRows).toBe(4);
    expect(result.rejects.map((r) => r.line)).toEqual([6, 10, 21, 29]);
    expect(result.rejects.every((r) => r.file === path.join(tmp.dir, 'data.csv'))).toBe(true);
    expect(result.rejects[0]?.reason).toMatch(/^TOO MANY COLUMNS/);
    expect(result.rejects[0]?.text).toBe('5,7.5,n5,false,1,extra');
    expect(result.rejects[1]?.reason).toMatch(/^CAST: .*"abc".*DOUBLE/);
    expect(result.rejects[3]).toMatchObject({ reason: '"flag" value "maybe" is not BOOLEAN', text: '27,40.5,maybe,1' });
    const rows = Object.values(result.splits).reduce((n, files) => n + (files[0]?.rows ?? 0), 0);
    expect(rows).toBe(31 - 1 - 4); // 31 data records, one blank, four rejected
  });

  it('fails past the limit with the report, leaving an existing output folder as it was', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', messyCsv());
    const out = path.join(tmp.dir, 'out');
    await mkdir(out);
    await writeFile(path.join(out, 'train.csv'), 'old\n');
    const err = await runDataPrep(messySpec(tmp.dir, 3)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrepError);
    const failure = err as PrepError;
    expect(failure.error).toBe('DataPrep.TooManyRejectedRows');
    expect(failure.report?.rejectedRows).toBe(4);
    expect(failure.report?.rejects.map((r) => r.line)).toEqual([6, 10, 21, 29]);
    expect(failure.message).toContain('prep.json: 4 rows rejected, more than maxRejectedRows (3) allows');
    expect(failure.message).toContain('data.csv line 10: CAST');
    expect(await readdir(out)).toEqual(['train.csv']);
    expect((await readdir(tmp.dir)).sort()).toEqual(['data.csv', 'out']);
  });

  it('fails on the first bad row by default and writes no output folder', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', messyCsv());
    const spec = specIn(tmp.dir, { input: { path: 'data.csv', format: 'csv', types: { flag: 'varchar' } } });
    const err = (await runDataPrep({ ...spec, steps: [{ op: 'drop', columns: ['note', 'flag'] }] }).catch(
      (e: unknown) => e,
    )) as PrepError;
    expect(err.error).toBe('DataPrep.TooManyRejectedRows');
    expect(err.report?.rejectedRows).toBe(3);
    expect(existsSync(path.join(tmp.dir, 'out'))).toBe(false);
    expect(await readdir(tmp.dir)).toEqual(['data.csv']);
  });

  it('names the file of each reject when reading a glob', async () => {
    tmp = await tempDir();
    const rows = (from: number) => Array.from({ length: 12 }, (_, i) => `${from + i},${i % 2}`);
    const first = rows(0);
    const second = rows(100);
    first[4] = '4,0,9';
    second[7] = 'x,1';
    await tmp.file('a-1.csv', `n,y\n${first.join('\n')}\n`);
    await tmp.file('a-2.csv', `n,y\n${second.join('\n')}\n`);
    const spec = specIn(tmp.dir, { input: { path: 'a-*.csv', format: 'csv' }, maxRejectedRows: 2 });
    const result = await runDataPrep(spec);
    expect(result.rejects.map((r) => [path.basename(r.file ?? ''), r.line])).toEqual([
      ['a-1.csv', 6],
      ['a-2.csv', 9],
    ]);
  });

  it('rejects JSON lines that are not objects and values of the wrong type, by line', async () => {
    tmp = await tempDir();
    const good = Array.from({ length: 20 }, (_, i) => JSON.stringify({ a: i, y: i % 2 }));
    good.splice(3, 0, '{"a": 1,');
    good.splice(7, 0, '[1, 2]');
    good.splice(12, 0, '{"a": "twelve", "y": 1}');
    await tmp.file('data.jsonl', `${good.join('\n')}\n`);
    const spec = specIn(tmp.dir, { input: { path: 'data.jsonl', format: 'jsonl' }, maxRejectedRows: 10 });
    const result = await runDataPrep(spec);
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'not valid JSON'],
      [8, 'not a JSON object'],
      [13, '"a" value "twelve" is not BIGINT'],
    ]);
  });

  it('rejects rows without a label, or with a label other than 0/1 when no positive value is set', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'a,y\n1,1\n2,\n3,2\n4,0\n');
    const result = await runDataPrep(specIn(tmp.dir, { maxRejectedRows: 2 }));
    expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'label "y" is missing'],
      [4, 'label "y" must be 0 or 1 (got 2)'],
    ]);
  });
});
