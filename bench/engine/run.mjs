// Engine benchmarks (issue 3): durable transitions/s on SQLite and PostgreSQL, task round trip, server RSS.
// Usage: node bench/engine/run.mjs [--quick]. Imports the built package (npm run build first).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { FlywheelClient } from '../../dist/client/index.js';
import { openLocalEngine } from '../../dist/server/index.js';

const REPO = resolve(import.meta.dirname, '../..');
const quick = process.argv.includes('--quick');
const PG_URL = process.env.FLYWHEEL_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const results = {};

function passChain(n) {
  const States = {};
  for (let i = 0; i < n; i++)
    States[`S${i}`] = i === n - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
  return { StartAt: 'S0', States };
}

function mapOfPasses(steps, concurrency) {
  const States = {};
  for (let i = 0; i < steps; i++)
    States[`P${i}`] = i === steps - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `P${i + 1}` };
  return {
    StartAt: 'M',
    States: { M: { Type: 'Map', MaxConcurrency: concurrency, ItemProcessor: { StartAt: 'P0', States }, End: true } },
  };
}

async function pgSchemaUrl() {
  const schema = `fw_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  return { url: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`, schema };
}

async function dropSchema(schema) {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

async function transitions(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-'));
  let storeUrl = join(dir, 'flywheel.db');
  let schema;
  if (kind === 'postgres') ({ url: storeUrl, schema } = await pgSchemaUrl());
  const local = await openLocalEngine({ storeUrl, cwd: dir });
  const out = {};
  try {
    const chainLength = quick ? 2000 : 10_000;
    await local.engine.createStateMachine('chain', JSON.stringify(passChain(chainLength)));
    let t0 = performance.now();
    let e = await local.engine.startExecution({ stateMachineName: 'chain', input: { hello: 'world' } });
    let done = await local.engine.waitForExecution(e.id);
    let ms = performance.now() - t0;
    if (done.status !== 'SUCCEEDED') throw new Error(`chain ${done.status}`);
    out.passChain = {
      states: chainLength,
      ms: Math.round(ms),
      transitionsPerSecond: Math.round(chainLength / (ms / 1000)),
    };

    const items = quick ? 400 : 2000;
    await local.engine.createStateMachine('map', JSON.stringify(mapOfPasses(5, 50)));
    t0 = performance.now();
    e = await local.engine.startExecution({
      stateMachineName: 'map',
      input: Array.from({ length: items }, (_, i) => ({ i })),
    });
    done = await local.engine.waitForExecution(e.id);
    ms = performance.now() - t0;
    if (done.status !== 'SUCCEEDED') throw new Error(`map ${done.status}`);
    const entered = (await local.store.readHistory(e.id)).filter((h) => h.type === 'StateEntered').length;
    out.map = {
      items,
      statesPerItem: 5,
      maxConcurrency: 50,
      transitions: entered,
      ms: Math.round(ms),
      transitionsPerSecond: Math.round(entered / (ms / 1000)),
    };
  } finally {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  }
  return out;
}

async function taskRoundTrip() {
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-'));
  writeFileSync(join(dir, 'steps.mjs'), 'export async function step(p) { return { n: (p?.n ?? 0) + 1 }; }');
  const task = (next) => ({
    Type: 'Task',
    Resource: 'flywheel:function',
    Parameters: { Module: 'steps.mjs', Function: 'step', 'Payload.$': '$' },
    ...next,
  });
  const def = { StartAt: 'A', States: { A: task({ Next: 'B' }), B: task({ Next: 'C' }), C: task({ End: true }) } };
  const local = await openLocalEngine({ storeUrl: join(dir, 'flywheel.db'), cwd: dir });
  try {
    await local.engine.createStateMachine('three', JSON.stringify(def));
    const count = quick ? 200 : 1000;
    const latencies = [];
    const t0 = performance.now();
    let next = 0;
    async function worker() {
      while (next < count) {
        next++;
        const s = performance.now();
        const e = await local.engine.startExecution({ stateMachineName: 'three', input: { n: 0 } });
        const d = await local.engine.waitForExecution(e.id);
        if (d.status !== 'SUCCEEDED' || JSON.parse(d.output).n !== 3) throw new Error(`round trip ${d.status}`);
        latencies.push(performance.now() - s);
      }
    }
    await Promise.all(Array.from({ length: 4 }, worker));
    const ms = performance.now() - t0;
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    // Sequential single executions show per-task engine overhead without queueing.
    const seq = [];
    for (let i = 0; i < 50; i++) {
      const s = performance.now();
      const e = await local.engine.startExecution({ stateMachineName: 'three', input: { n: 0 } });
      await local.engine.waitForExecution(e.id);
      seq.push((performance.now() - s) / 3);
    }
    seq.sort((a, b) => a - b);
    return {
      executions: count,
      concurrency: 4,
      executionsPerSecond: Math.round(count / (ms / 1000)),
      p50Ms: +q(0.5).toFixed(1),
      p99Ms: +q(0.99).toFixed(1),
      sequentialPerTaskP50Ms: +seq[25].toFixed(2),
    };
  } finally {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serverRss() {
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const child = spawn(
    process.execPath,
    [join(REPO, 'bin/flywheel.js'), 'server', '--data-dir', dataDir, '--port', '0'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    let url;
    for (let i = 0; i < 200 && !url; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        url = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8')).url;
      } catch {}
    }
    const client = new FlywheelClient(url, readFileSync(join(dataDir, 'token'), 'utf8').trim());
    await client.createStateMachine('small', {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()', 'in.$': '$' }, Next: 'B' },
        B: { Type: 'Succeed' },
      },
    });
    const total = quick ? 2000 : 10_000;
    let next = 0;
    const t0 = performance.now();
    async function worker() {
      while (next < total) {
        next++;
        const e = await client.startExecution('small', { n: next });
        await client.waitForExecution(e.executionId);
      }
    }
    await Promise.all(Array.from({ length: 16 }, worker));
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)[1]);
    return {
      executions: total,
      overHttpPerSecond: Math.round(total / (ms / 1000)),
      rssMb: Math.round(rssKb / 1024),
      peakRssMb: Math.round(hwmKb / 1024),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

results.sqlite = await transitions('sqlite');
console.log('sqlite', results.sqlite);
results.postgres = await transitions('postgres');
console.log('postgres', results.postgres);
results.taskRoundTrip = await taskRoundTrip();
console.log('task round trip', results.taskRoundTrip);
results.server = await serverRss();
console.log('server', results.server);
mkdirSync(join(REPO, 'bench/out'), { recursive: true });
writeFileSync(join(REPO, 'bench/out/engine.json'), `${JSON.stringify(results, null, 2)}\n`);
