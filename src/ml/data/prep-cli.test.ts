import { afterEach, describe, expect, it } from 'vitest';
import { runPrepCommand } from './prep-cli.js';
import { type TempDir, tempDir } from './testing.js';

let tmp: TempDir;
afterEach(() => tmp?.remove());

function capture() {
  const out = {
    text: '',
    write(t: string) {
      out.text += t;
    },
  };
  return out;
}

const spec = {
  input: { path: 'data.csv', format: 'csv' },
  label: { column: 'y' },
  split: { ratios: { train: 0.5, validation: 0.25, test: 0.25 }, seed: 3 },
  output: { dir: 'out', formats: ['csv'] },
};

describe('runPrepCommand', () => {
  it('prints a summary and exits 0', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'a,b,y\n1,2.5,0\n2,3.5,1\n3,4.5,0\n4,5.5,1\n');
    const file = await tmp.file('prep.json', JSON.stringify(spec));
    const stdout = capture();
    expect(await runPrepCommand(file, { json: false, stdout, stderr: capture() })).toBe(0);
    expect(stdout.text).toMatch(/^Data prep prep\.json: done in \d+\.\d s\n/);
    expect(stdout.text).toMatch(/ {2}train {6} {8}2 rows {2}.*out\/train\.csv {2}sha256 [0-9a-f]{12}\n/);
    expect(stdout.text).toContain('label "y" (column 1); 2 features: 1 BIGINT, 1 DOUBLE\n  rejected rows: 0\n');
  });

  it('prints the result as JSON', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'a,y\n1,0\n2,1\n3,0\n4,1\n');
    const file = await tmp.file('prep.json', JSON.stringify(spec));
    const stdout = capture();
    expect(await runPrepCommand(file, { json: true, stdout })).toBe(0);
    const result = JSON.parse(stdout.text);
    expect(result.splits.train[0].rows).toBe(2);
    expect(result.features).toEqual([{ name: 'a', type: 'BIGINT' }]);
  });

  it('exits 1 with the reject report when rows are rejected, 2 when the spec is wrong', async () => {
    tmp = await tempDir();
    await tmp.file('data.csv', 'a,y\n1,0\n2,1,9\n');
    const file = await tmp.file('prep.json', JSON.stringify(spec));
    const stdout = capture();
    expect(await runPrepCommand(file, { json: true, stdout })).toBe(1);
    expect(JSON.parse(stdout.text)).toMatchObject({ error: 'DataPrep.TooManyRejectedRows', rejectedRows: 1 });
    const bad = await tmp.file('bad.json', JSON.stringify({ ...spec, maxRejectedRows: 'many' }));
    const stderr = capture();
    expect(await runPrepCommand(bad, { json: false, stdout: capture(), stderr })).toBe(2);
    expect(stderr.text).toBe(
      'DataPrep.InvalidSpec: bad.json: maxRejectedRows must be an integer of at least 0 (got "many")\n',
    );
  });
});
