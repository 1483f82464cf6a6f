// Data-prep benchmark: a 1,000,000-row, 20-column churn CSV, one-hot encoded and split 70/15/15.
// Run after building: npx tsc -p tsconfig.build.json && node bench/data-prep/run.mjs [rows]
// Prints its figures and writes bench/out/data-prep.json. Never gates CI on wall time.
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePrepSpec, runDataPrep, writeChurnData } from '../../dist/ml/data/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../out');
const rows = Number(process.argv[2] ?? 1_000_000);
const seed = 42;
const input = path.join(outDir, `churn-${rows}-${seed}.csv`);

await mkdir(outDir, { recursive: true });
if (!existsSync(input)) {
  const t = performance.now();
  await writeChurnData(input, { rows, seed });
  console.log(`generated ${input} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const inputBytes = (await stat(input)).size;

function specFor(formats) {
  return parsePrepSpec(
    {
      input: { path: path.basename(input), format: 'csv' },
      steps: [{ op: 'oneHot', columns: ['State', 'Area Code', 'International Plan', 'Voice Mail Plan'] }],
      label: { column: 'Churn?', positive: 'True.' },
      split: { ratios: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 7, stratify: true },
      output: { dir: `data-prep-${formats.join('-')}`, formats },
    },
    path.join(outDir, 'prep.json'),
  );
}

const runs = [];
for (const formats of [['csv'], ['parquet'], ['csv', 'parquet']]) {
  const spec = specFor(formats);
  const times = [];
  const cpu = [];
  let result;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    result = await runDataPrep(spec);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000); // DuckDB's threads run in this process, so this counts them too
  }
  await rm(spec.output.dir, { recursive: true, force: true });
  const best = Math.min(...times);
  const split = Object.fromEntries(Object.entries(result.splits).map(([k, files]) => [k, files[0].rows]));
  runs.push({
    formats,
    bestMs: Math.round(best),
    timesMs: times.map(Math.round),
    features: result.features.length,
    split,
  });
  console.log(
    `${formats.join('+').padEnd(12)} best ${(best / 1000).toFixed(2)} s  (runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s)` +
      `  cpu ${(Math.min(...cpu) / 1000).toFixed(2)} s  ${result.features.length} features` +
      `  train/validation/test ${Object.values(split).join('/')}`,
  );
}
const report = {
  benchmark: 'data-prep',
  rows,
  columns: 20,
  inputBytes,
  steps: 'oneHot State, Area Code, International Plan, Voice Mail Plan; label Churn? == "True."; stratified 70/15/15',
  machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) },
  targetMs: 5000,
  runs,
};
await writeFile(path.join(outDir, 'data-prep.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${path.join(outDir, 'data-prep.json')}`);
