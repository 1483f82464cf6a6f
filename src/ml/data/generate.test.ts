import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { churnColumns, generateChurnData, writeChurnData } from './generate.js';
import { type TempDir, tempDir } from './testing.js';

const rowsOf = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
const col = (name: (typeof churnColumns)[number]) => churnColumns.indexOf(name);

describe('generateChurnData', () => {
  const rows = rowsOf(generateChurnData({ rows: 3333, seed: 42 }));
  const churned = (r: string[]) => r[col('Churn?')] === 'True.';

  it('writes the raw churn columns and the asked-for number of rows', () => {
    const text = generateChurnData({ rows: 5, seed: 1 });
    expect(text.split('\n')[0]).toBe(churnColumns.join(','));
    expect(rowsOf(text)).toHaveLength(5);
    expect(rows.every((r) => r.length === 20)).toBe(true);
    expect(new Set(rows.map((r) => r[col('Churn?')]))).toEqual(new Set(['True.', 'False.']));
    expect(new Set(rows.map((r) => r[col('Area Code')]))).toEqual(new Set(['408', '415', '510']));
    expect(new Set(rows.map((r) => r[col('International Plan')]))).toEqual(new Set(['yes', 'no']));
  });

  it('gives the same data for the same seed and other data for another', () => {
    expect(generateChurnData({ rows: 50, seed: 3 })).toBe(generateChurnData({ rows: 50, seed: 3 }));
    expect(generateChurnData({ rows: 50, seed: 3 })).not.toBe(generateChurnData({ rows: 50, seed: 4 }));
  });

  it('has about 14% churners', () => {
    const share = rows.filter(churned).length / rows.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.16);
  });

  it('lets a simple rule find churners far better than chance, but not perfectly', () => {
    const rule = (r: string[]) =>
      Number(r[col('CustServ Calls')]) >= 4 ||
      Number(r[col('Day Mins')]) > 250 ||
      r[col('International Plan')] === 'yes';
    const flagged = rows.filter(rule);
    const precision = flagged.filter(churned).length / flagged.length;
    const recall = flagged.filter(churned).length / rows.filter(churned).length;
    const base = rows.filter(churned).length / rows.length;
    expect(precision).toBeGreaterThan(2 * base);
    expect(recall).toBeGreaterThan(0.5);
    expect(precision).toBeLessThan(0.8);
  });

  describe('writeChurnData', () => {
    let tmp: TempDir;
    afterEach(() => tmp?.remove());

    it('streams the same text to a file, creating its folder', async () => {
      tmp = await tempDir();
      const file = path.join(tmp.dir, 'nested', 'churn.csv');
      await writeChurnData(file, { rows: 25_000, seed: 9 });
      expect(await readFile(file, 'utf8')).toBe(generateChurnData({ rows: 25_000, seed: 9 }));
    });
  });
});
