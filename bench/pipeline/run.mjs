// The ML pipeline benchmark (issue 7): from start to endpoint InService on the example data (3,333 rows), with a
// per-state breakdown of where the time went. Usage: node bench/pipeline/run.mjs [--quick]. Imports dist/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FlywheelClient } from '../../dist/client/index.js';
import { initProject, loadPipelineConfig } from '../../dist/pipeline/index.js';
import { startServer } from '../../dist/server/index.js';

const REPO = resolve(import.meta.dirname, '../..');
const runs = process.argv.includes('--quick') ? 2 : 5;
const root = mkdtempSync(join(tmpdir(), 'fw-bench-pipeline-'));
const results = [];
try {
  const project = await initProject(join(root, 'project'));
  const t0 = performance.now();
  const server = await startServer({
    dataDir: join(root, 'data'),
    host: '127.0.0.1',
    port: 0,
    cwd: project.dir,
    log: () => {},
  });
  const serverStartMs = performance.now() - t0;
  const client = new FlywheelClient(server.url, server.token);
  try {
    await client.createStateMachine(
      'ml-pipeline',
      JSON.parse(readFileSync(join(project.dir, 'ml-pipeline.asl.json'), 'utf8')),
    );
    const config = loadPipelineConfig(join(project.dir, 'ml-pipeline-config.json'));
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const e = await client.startExecution('ml-pipeline', { config, projectDir: project.dir });
      const done = await client.waitForExecution(e.executionId);
      const wallMs = performance.now() - started;
      if (done.status !== 'SUCCEEDED') throw new Error(`${done.status}: ${done.error}: ${done.cause}`);
      const history = await client.history(e.executionId);
      const entered = new Map();
      const states = {};
      for (const h of history) {
        if (h.frame !== 0) continue;
        if (h.type === 'StateEntered') entered.set(h.state, Date.parse(h.timestamp));
        if (h.type === 'StateExited')
          states[h.state] = (states[h.state] ?? 0) + Date.parse(h.timestamp) - entered.get(h.state);
      }
      const first = Date.parse(history[0].timestamp);
      const inService = history.find((h) => h.type === 'StateExited' && h.state === 'WaitInService');
      results.push({
        run: i + 1,
        wallMs: Math.round(wallMs),
        toInServiceMs: Date.parse(inService.timestamp) - first,
        states,
      });
      console.log(
        `run ${i + 1}: ${Math.round(wallMs)} ms wall, ${results.at(-1).toInServiceMs} ms to InService`,
        states,
      );
    }
  } finally {
    await server.close();
  }
  const sorted = results.map((r) => r.toInServiceMs).sort((a, b) => a - b);
  const summary = {
    rows: 3333,
    serverStartMs: Math.round(serverStartMs),
    firstRunToInServiceMs: results[0].toInServiceMs,
    medianToInServiceMs: sorted[Math.floor(sorted.length / 2)],
    target: 'under 10,000 ms from start to endpoint InService',
    runs: results,
  };
  console.log(JSON.stringify({ ...summary, runs: undefined }, null, 2));
  mkdirSync(join(REPO, 'bench/out'), { recursive: true });
  writeFileSync(join(REPO, 'bench/out/pipeline.json'), `${JSON.stringify(summary, null, 2)}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
