import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runDataPrep } from './prep.js';
import { csvLines, specIn, type TempDir, tempDir } from './testing.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const churnFile = path.resolve(repoRoot, '../shared/data/customer-churn.csv');

describe.skipIf(!existsSync(churnFile))('AWS sample churn data', () => {
  let tmp: TempDir;
  afterEach(() => tmp?.remove());

  it('reads 2999 quoted lines of 70 columns with 435 positives in column 0', async () => {
    tmp = await tempDir();
    const spec = specIn(tmp.dir, {
      input: { path: churnFile, format: 'csv', header: false, quotedLines: true },
      label: { column: 'column0' },
      split: { ratios: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 42, stratify: true },
    });
    const result = await runDataPrep(spec);
    expect(result.rejectedRows).toBe(0);
    expect(result.features).toHaveLength(69);
    expect(result.features[0]).toEqual({ name: 'column1', type: 'BIGINT' });
    expect(result.features[2]).toEqual({ name: 'column3', type: 'DOUBLE' });
    const files = [result.splits.train[0], result.splits.validation[0], result.splits.test[0]];
    const rows = await Promise.all(files.map((f) => csvLines(f?.path ?? '')));
    // Ratios apply within each class: 2564 negatives -> 1795/384/385, 435 positives -> 305/65/65.
    expect(rows.map((r) => r.length)).toEqual([2100, 449, 450]);
    expect(files.map((f) => f?.rows)).toEqual([2100, 449, 450]);
    const all = rows.flat();
    expect(all.every((line) => line.split(',').length === 70)).toBe(true);
    expect(all.filter((line) => line.startsWith('1,')).length).toBe(435);
    // Stratified: each split holds about 14.5% positives, as the whole does.
    const share = rows.map((r) => r.filter((line) => line.startsWith('1,')).length / r.length);
    for (const s of share) expect(Math.abs(s - 435 / 2999)).toBeLessThan(0.003);
  });
});
