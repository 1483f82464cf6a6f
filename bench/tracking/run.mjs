// Tracking benchmarks (issue 5): metric points/s through the batch API, and listing + comparing 1,000 runs, on SQLite
// (the targets) and PostgreSQL (for reference). Usage: node bench/tracking/run.mjs [--quick]. Imports the build.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openLocalArtifactStore } from '../../dist/artifacts/index.js';
import { openPostgresStore, openSqliteStore } from '../../dist/store/index.js';
import { createTrackingServices } from '../../dist/tracking/index.js';

const REPO = resolve(import.meta.dirname, '../..');
const quick = process.argv.includes('--quick');
const PG_URL = process.env.FLYWHEEL_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const POINTS = quick ? 20_000 : 100_000;
const RUNS = quick ? 200 : 1000;
const results = { points: POINTS, runs: RUNS };

async function withPg(work) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Services on a new database of `kind`, and how to remove it. */
async function open(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-tracking-'));
  const schema = `fw_bench_tracking_${process.pid}`;
  let store;
  if (kind === 'sqlite') store = await openSqliteStore(join(dir, 'flywheel.db'));
  else {
    await withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    store = await openPostgresStore(PG_URL, { schema });
  }
  const services = createTrackingServices({
    store,
    artifacts: openLocalArtifactStore(join(dir, 'artifacts')),
    flywheelVersion: 'bench',
  });
  return {
    services,
    async close() {
      await store.close();
      if (kind === 'postgres') await withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Boosting-round-like points: 4 metrics per round, `n` points in all. */
function points(n) {
  const keys = ['train-logloss', 'train-auc', 'validation-logloss', 'validation-auc'];
  return Array.from({ length: n }, (_, i) => ({
    key: keys[i % 4],
    value: Math.random(),
    step: Math.floor(i / 4),
    timestamp: 1_700_000_000_000 + i,
  }));
}

async function metricThroughput(services, batch) {
  const { tracking } = services;
  const run = await tracking.startRun({ experiment: `points-${batch}` });
  const all = points(POINTS);
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += batch) await tracking.logMetrics(run.id, all.slice(i, i + batch));
  const ms = performance.now() - t0;
  const stored = (await tracking.getRun(run.id)).metrics['validation-auc'].count * 4;
  if (stored !== POINTS) throw new Error(`stored ${stored} points, expected ${POINTS}`);
  return { batch, ms: Math.round(ms), pointsPerSecond: Math.round(POINTS / (ms / 1000)) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function listAndCompare(services) {
  const { tracking } = services;
  const ids = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await tracking.startRun({
      experiment: 'many-runs',
      params: {
        max_depth: 3 + (i % 6),
        eta: [0.05, 0.1, 0.3][i % 3],
        subsample: 0.8,
        seed: i,
        rounds: 200,
        objective: 'binary:logistic',
      },
      tags: { stage: i % 2 ? 'dev' : 'prod', owner: 'bench' },
      lineage: { gitCommit: 'a'.repeat(40), config: { i } },
    });
    await tracking.logMetrics(
      run.id,
      points(40).map((p) => ({ ...p, value: p.value * (1 + i / RUNS) })),
    );
    ids.push(run.id);
  }
  const timings = { list: [], compare: [], search: [] };
  for (let rep = 0; rep < 7; rep++) {
    let t0 = performance.now();
    const listed = await tracking.searchRuns({ experiments: ['many-runs'], limit: RUNS });
    timings.list.push(performance.now() - t0);
    if (listed.length !== RUNS) throw new Error(`listed ${listed.length} runs`);
    t0 = performance.now();
    const comparison = await tracking.compareRuns(ids);
    timings.compare.push(performance.now() - t0);
    if (comparison.runs.length !== RUNS) throw new Error('compared the wrong runs');
    t0 = performance.now();
    await tracking.searchRuns({
      filter: "params.eta = '0.1' and metrics.validation-auc > 0.5",
      orderBy: 'metrics.validation-auc DESC',
      limit: RUNS,
    });
    timings.search.push(performance.now() - t0);
  }
  const round = (v) => Math.round(v * 10) / 10;
  return {
    listMs: round(median(timings.list)),
    compareMs: round(median(timings.compare)),
    listPlusCompareMs: round(median(timings.list) + median(timings.compare)),
    filteredSearchMs: round(median(timings.search)),
  };
}

for (const kind of ['sqlite', 'postgres']) {
  const { services, close } = await open(kind);
  try {
    results[kind] = {
      metrics: [await metricThroughput(services, 1000), await metricThroughput(services, POINTS)],
      runs: await listAndCompare(services),
    };
    console.log(kind, JSON.stringify(results[kind], null, 2));
  } finally {
    await close();
  }
}

mkdirSync(join(REPO, 'bench/out'), { recursive: true });
writeFileSync(join(REPO, 'bench/out/tracking.json'), `${JSON.stringify(results, null, 2)}\n`);
const best = results.sqlite.metrics[0].pointsPerSecond;
const runs = results.sqlite.runs.listPlusCompareMs;
console.log(
  `SQLite: ${best} points/s in batches of 1,000 (target >= 50,000); list + compare ${RUNS} runs ${runs} ms (target < 200)`,
);
