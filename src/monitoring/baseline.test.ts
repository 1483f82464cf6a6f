import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBaseline } from './baseline.js';
import { BaselineError } from './baseline-error.js';
import { readConstraintsFile, readStatisticsFile } from './baseline-files.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const churnFile = path.resolve(repoRoot, '../shared/data/customer-churn.csv');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-baseline-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function csv(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('buildBaseline', () => {
  it('writes statistics.json and constraints.json for a CSV with a header, leaving the label out', async () => {
    const data = await csv(
      'h.csv',
      'churn,plan,calls,mins\n0,basic,1,0.5\n1,pro,2,\n0,basic,3,-1.5\n0,"basic",4,2.0\n',
    );
    const outDir = path.join(dir, 'h-out');
    const result = await buildBaseline({ data, header: true, labelColumn: 'churn', outDir });
    expect(result).toEqual({
      statisticsPath: path.join(outDir, 'statistics.json'),
      constraintsPath: path.join(outDir, 'constraints.json'),
      itemCount: 4,
      features: [
        { name: 'plan', inferredType: 'String' },
        { name: 'calls', inferredType: 'Integral' },
        { name: 'mins', inferredType: 'Fractional' },
      ],
    });
    const stats = await readStatisticsFile(result.statisticsPath);
    expect(stats.features[1]?.numericalStatistics).toMatchObject({ sum: 10, mean: 2.5, min: 1, max: 4 });
    expect(stats.features[2]?.numericalStatistics?.common).toEqual({ numPresent: 3, numMissing: 1 });
    const constraints = await readConstraintsFile(result.constraintsPath);
    expect(constraints.features.map((f) => [f.name, f.completeness])).toEqual([
      ['plan', 1],
      ['calls', 1],
      ['mins', 0.75],
    ]);
    expect(constraints.features[2]?.numConstraints).toEqual({ isNonNegative: false });
    expect((await readdir(outDir)).sort()).toEqual(['constraints.json', 'statistics.json']); // no temp files left
  });

  it('names columns from `columns`, or _c0, _c1, ... as Spark does, and drops the first column as the label', async () => {
    const data = await csv('n.csv', '1,10,a\n0,20,b\n');
    const named = await buildBaseline({
      data,
      columns: ['y', 'x', 'z'],
      labelColumn: 'first',
      outDir: path.join(dir, 'n1'),
    });
    expect(named.features.map((f) => f.name)).toEqual(['x', 'z']);
    const positional = await buildBaseline({ data, outDir: path.join(dir, 'n2') });
    expect(positional.features.map((f) => f.name)).toEqual(['_c0', '_c1', '_c2']);
    // Data prep's feature names for a label-first split leave the label out.
    const features = await buildBaseline({
      data,
      columns: ['x', 'z'],
      labelColumn: 'first',
      outDir: path.join(dir, 'n3'),
    });
    expect(features.features.map((f) => f.name)).toEqual(['x', 'z']);
    await expect(buildBaseline({ data, columns: ['x', 'z'], outDir: path.join(dir, 'n4') })).rejects.toThrow(
      /2 columns/,
    );
  });

  it('gives byte-identical files for the same data', async () => {
    const lines = Array.from(
      { length: 30_000 },
      (_, i) => `${(i * 7919) % 10007},${((i * 31) % 1000) / 7},${['a', 'b', 'c'][i % 3]}`,
    );
    const data = await csv('det.csv', `${lines.join('\n')}\n`);
    const a = await buildBaseline({ data, outDir: path.join(dir, 'det-a') });
    const b = await buildBaseline({ data, outDir: path.join(dir, 'det-b') });
    expect(await readFile(b.statisticsPath)).toEqual(await readFile(a.statisticsPath));
    expect(await readFile(b.constraintsPath)).toEqual(await readFile(a.constraintsPath));
    const stats = await readStatisticsFile(a.statisticsPath);
    expect(stats.features[0]?.numericalStatistics?.distribution?.kll?.sketch?.data.length).toBeGreaterThan(1);
  });

  it('counts every value of a column that turns String after numbers (a second pass over that column)', async () => {
    const data = await csv('late.csv', `${Array.from({ length: 50 }, (_, i) => String(i % 5)).join('\n')}\nunknown\n`);
    const result = await buildBaseline({ data, outDir: path.join(dir, 'late') });
    const stats = await readStatisticsFile(result.statisticsPath);
    expect(stats.features[0]?.inferredType).toBe('String');
    expect(stats.features[0]?.stringStatistics?.distinctCount).toBe(6);
    expect(stats.features[0]?.stringStatistics?.distribution?.categorical?.buckets[0]).toEqual({
      value: '0',
      count: 10,
    });
  });

  it.each([
    [{ header: true, columns: ['a'] }, 'InvalidInput', 'give header: true or columns, not both'],
    [{ columns: ['a', 'b'] }, 'InvalidInput', 'columns names 2 columns but'],
    [{ columns: ['a', 'a', 'b'] }, 'InvalidInput', 'columns names "a" twice'],
    [{ labelColumn: 'churn' }, 'InvalidInput', 'the label column "churn" is not among the columns (_c0, _c1, _c2)'],
  ] as const)('rejects options that do not fit: %j', async (options, kind, message) => {
    const data = await csv('opts.csv', '1,2,3\n4,5,6\n');
    const error = await buildBaseline({ data, outDir: path.join(dir, 'opts'), ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BaselineError);
    expect(error).toMatchObject({ kind, message: expect.stringContaining(message) });
  });

  it('fails with Baseline.BadData for a ragged row, an empty file or a missing file, naming it', async () => {
    const ragged = await csv('ragged.csv', '1,2,3\n4,5\n');
    await expect(buildBaseline({ data: ragged, outDir: dir })).rejects.toThrow(
      `${ragged} line 2: 2 fields where the data has 3`,
    );
    const empty = await csv('empty.csv', '\n');
    await expect(buildBaseline({ data: empty, outDir: dir })).rejects.toMatchObject({ error: 'Baseline.BadData' });
    const missing = path.join(dir, 'nope.csv');
    await expect(buildBaseline({ data: missing, outDir: dir })).rejects.toThrow(`${missing}: no such file`);
  });

  it('stops when its signal aborts', async () => {
    const data = await csv('abort.csv', '1\n2\n');
    const signal = AbortSignal.abort(new Error('stopped'));
    await expect(buildBaseline({ data, outDir: path.join(dir, 'abort'), signal })).rejects.toThrow('stopped');
    expect(existsSync(path.join(dir, 'abort'))).toBe(false);
  });
});

describe.skipIf(!existsSync(churnFile))("AWS's churn sample", () => {
  it("reproduces SageMaker's baseline of the sample: one String feature _c0, 2999 rows, distinct_count 2698.0", async () => {
    const result = await buildBaseline({ data: churnFile, outDir: path.join(dir, 'churn-raw') });
    expect(result.features).toEqual([{ name: '_c0', inferredType: 'String' }]);
    const text = await readFile(result.statisticsPath, 'utf8');
    expect(text).toContain('"item_count" : 2999');
    expect(text).toContain('"distinct_count" : 2698.0');
    expect(text).not.toContain('categorical');
    const constraints = await readConstraintsFile(result.constraintsPath);
    expect(constraints.features).toEqual([{ name: '_c0', inferredType: 'String', completeness: 1 }]);
  });

  it('unwraps the quoted lines into 70 columns and leaves the label (column 0) out', async () => {
    const result = await buildBaseline({
      data: churnFile,
      quotedLines: true,
      labelColumn: 'first',
      outDir: path.join(dir, 'churn'),
    });
    expect(result.itemCount).toBe(2999);
    expect(result.features).toHaveLength(69);
    expect(result.features.slice(0, 3)).toEqual([
      { name: '_c1', inferredType: 'Integral' },
      { name: '_c2', inferredType: 'Integral' },
      { name: '_c3', inferredType: 'Fractional' },
    ]);
    // Check one column against a plain independent parse of the file.
    const values = readFileSync(churnFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => Number(line.replaceAll('"', '').split(',')[3]));
    const stats = await readStatisticsFile(result.statisticsPath);
    const dayMins = stats.features[2]?.numericalStatistics;
    expect(dayMins?.common).toEqual({ numPresent: 2999, numMissing: 0 });
    expect(dayMins?.sum).toBeCloseTo(
      values.reduce((a, b) => a + b, 0),
      6,
    );
    expect(dayMins?.min).toBe(Math.min(...values));
    expect(dayMins?.max).toBe(Math.max(...values));
    const buckets = dayMins?.distribution?.kll?.buckets ?? [];
    expect(buckets.reduce((a, b) => a + b.count, 0)).toBe(2999);
    const constraints = await readConstraintsFile(result.constraintsPath);
    expect(constraints.features.every((f) => f.numConstraints?.isNonNegative === true)).toBe(true);
  });
});
