// Drift-baseline benchmark: statistics.json + constraints.json from a 1,000,000-row, 20-column numeric CSV.
// Run after building: npx tsc -p tsconfig.build.json && node bench/monitoring/run.mjs [rows]
// Each run is a child process, so its peak RSS is the baseline's alone. Prints its figures and writes
// bench/out/monitoring.json. Never gates CI on wall time.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../out');
const columns = 20;

if (process.argv[2] === '--child') {
  const { buildBaseline } = await import('../../dist/monitoring/index.js');
  const t = performance.now();
  const result = await buildBaseline({ data: process.argv[3], labelColumn: 'first', outDir: process.argv[4] });
  const ms = performance.now() - t;
  const types = {};
  for (const f of result.features) types[f.inferredType] = (types[f.inferredType] ?? 0) + 1;
  const report = { ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, itemCount: result.itemCount, types };
  process.stdout.write(JSON.stringify(report));
  process.exit(0);
}

const rows = Number(process.argv[2] ?? 1_000_000);
const input = path.join(outDir, `monitoring-${rows}x${columns}.csv`);
await mkdir(outDir, { recursive: true });
if (!existsSync(input)) {
  const t = performance.now();
  await generate(input, rows);
  console.log(`generated ${input} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const inputBytes = (await stat(input)).size;

/** Label 0/1 first, then 9 integer and 10 two-decimal columns of varied ranges, from a fixed LCG. */
async function generate(file, n) {
  let s = 42;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out = createWriteStream(file);
  let chunk = '';
  for (let r = 0; r < n; r++) {
    const fields = [next() < 0.15 ? 1 : 0];
    for (let c = 1; c < 10; c++) fields.push(Math.floor(next() * 10 ** ((c % 5) + 1)));
    for (let c = 10; c < columns; c++) fields.push(((next() + next() + next()) * 100 - 150 * (c % 2)).toFixed(2));
    chunk += `${fields.join(',')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

const runs = [];
const target = path.join(outDir, 'monitoring-baseline');
for (let i = 0; i < 3; i++) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', input, target], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`baseline run failed: ${child.stderr}`);
  const run = JSON.parse(child.stdout);
  runs.push(run);
  console.log(`run ${i + 1}: ${(run.ms / 1000).toFixed(2)} s  peak RSS ${run.maxRssMiB.toFixed(0)} MiB`);
}
const statisticsBytes = (await stat(path.join(target, 'statistics.json'))).size;
await rm(target, { recursive: true, force: true });
const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
const report = {
  benchmark: 'monitoring-baseline',
  rows,
  columns,
  inputBytes,
  features: runs[0].types,
  statisticsBytes,
  machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((l) => Number(l.toFixed(2))) },
  bestSeconds: Number((best.ms / 1000).toFixed(2)),
  secondsPerRun: runs.map((r) => Number((r.ms / 1000).toFixed(2))),
  peakRssMiB: Math.round(Math.max(...runs.map((r) => r.maxRssMiB))),
  rowsPerSecond: Math.round(rows / (best.ms / 1000)),
};
await writeFile(path.join(outDir, 'monitoring.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(
  `best ${report.bestSeconds} s (${report.rowsPerSecond.toLocaleString('en')} rows/s), peak RSS ${report.peakRssMiB} MiB, ` +
    `${(inputBytes / 2 ** 20).toFixed(0)} MiB input; wrote ${path.join(outDir, 'monitoring.json')}`,
);
