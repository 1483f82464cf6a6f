import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PrepError } from './errors.js';
import { generateChurnData } from './generate.js';
import { runDataPrep } from './prep.js';
import { csvLines, specIn, type TempDir, tempDir } from './testing.js';

let tmp: TempDir;
afterEach(() => tmp?.remove());

/** The example project's spec over generated churn data. */
async function churnSpec(options: { seed?: number; stratify?: boolean; formats?: string[] } = {}) {
  tmp = await tempDir();
  await tmp.file('churn.csv', generateChurnData({ rows: 3333, seed: 1 }));
  return specIn(tmp.dir, {
    input: { path: 'churn.csv', format: 'csv' },
    steps: [{ op: 'oneHot', columns: ['State', 'Area Code', 'International Plan', 'Voice Mail Plan'] }],
    label: { column: 'Churn?', positive: 'True.' },
    split: {
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
      seed: options.seed ?? 7,
      stratify: options.stratify ?? false,
    },
    output: { dir: 'out', formats: options.formats ?? ['csv', 'parquet'] },
  });
}

const digests = (result: Awaited<ReturnType<typeof runDataPrep>>) =>
  Object.values(result.splits).flatMap((files) => files.map((f) => f.sha256));

describe('splitting and writing', () => {
  it('gives byte-identical CSV and Parquet files for the same input and seed, different ones for another seed', async () => {
    const spec = await churnSpec();
    const first = await runDataPrep(spec);
    const second = await runDataPrep(spec);
    expect(digests(second)).toEqual(digests(first));
    expect(digests(first).every((d) => /^[0-9a-f]{64}$/.test(d))).toBe(true);
    // CSV alone takes another path (no sorted table) to the very same bytes.
    const csvOnly = await runDataPrep({ ...spec, output: { ...spec.output, formats: ['csv'] } });
    expect(digests(csvOnly)).toEqual(digests(first).filter((_, i) => i % 2 === 0));
    const other = await runDataPrep({ ...spec, split: { ...spec.split, seed: 8 } });
    expect(digests(other).filter((d, i) => d === digests(first)[i])).toEqual([]);
  });

  it('splits by the ratios, label first and no header, features in column order', async () => {
    const spec = await churnSpec();
    const result = await runDataPrep(spec);
    expect(result.splits.train.map((f) => [f.format, f.rows])).toEqual([
      ['csv', 2333],
      ['parquet', 2333],
    ]);
    expect(result.splits.validation[0]?.rows).toBe(500);
    expect(result.splits.test[0]?.rows).toBe(500);
    expect(result.label).toBe('Churn?');
    expect(result.features).toHaveLength(51 + 1 + 3 + 2 + 2 + 14);
    expect(result.features.slice(0, 3).map((f) => f.name)).toEqual(['State_AK', 'State_AL', 'State_AR']);
    const lines = await csvLines(path.join(tmp.dir, 'out', 'train.csv'));
    expect(lines).toHaveLength(2333);
    expect(lines.every((l) => /^[01],/.test(l) && l.split(',').length === result.features.length + 1)).toBe(true);
    expect(result.splits.train[0]?.path).toBe(path.join(tmp.dir, 'out', 'train.csv'));
  });

  it('keeps the positive share of every split when stratified', async () => {
    const result = await runDataPrep(await churnSpec({ stratify: true, formats: ['csv'] }));
    const shares = await Promise.all(
      Object.values(result.splits).map(async ([file]) => {
        const lines = await csvLines(file?.path ?? '');
        return lines.filter((l) => l.startsWith('1,')).length / lines.length;
      }),
    );
    const [train = 0, ...others] = shares;
    for (const share of others) expect(Math.abs(share - train)).toBeLessThan(0.003);
  });

  it('replaces an existing output folder as a whole after success', async () => {
    const spec = await churnSpec({ formats: ['csv'] });
    await mkdir(spec.output.dir);
    await writeFile(path.join(spec.output.dir, 'stale.txt'), 'old');
    await runDataPrep(spec);
    expect((await readdir(spec.output.dir)).sort()).toEqual(['test.csv', 'train.csv', 'validation.csv']);
    expect((await readdir(path.dirname(spec.output.dir))).sort()).toEqual(['churn.csv', 'out']);
  });

  it('stops when aborted and leaves nothing behind', async () => {
    const spec = await churnSpec();
    const controller = new AbortController();
    controller.abort();
    const err = (await runDataPrep(spec, { signal: controller.signal }).catch((e: unknown) => e)) as PrepError;
    expect(err).toBeInstanceOf(PrepError);
    expect(err.error).toBe('DataPrep.Aborted');
    expect(await readdir(path.dirname(spec.output.dir))).toEqual(['churn.csv']);
  });

  it('writes empty files for a split with a zero ratio', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'a,y\n1,0\n2,1\n3,0\n4,1\n');
    const spec = specIn(tmp.dir, { split: { ratios: { train: 0.5, validation: 0.5, test: 0 }, seed: 1 } });
    const result = await runDataPrep(spec);
    expect([result.splits.train[0]?.rows, result.splits.validation[0]?.rows, result.splits.test[0]?.rows]).toEqual([
      2, 2, 0,
    ]);
    expect(await readFile(path.join(tmp.dir, 'out', 'test.csv'), 'utf8')).toBe('');
  });
});
