// What the 2-core machine allows, whatever the endpoint's code: minimal servers, each as small as it can be, under
// the serving benchmark's load (autocannon in this process, 50 keep-alive connections, single-row text/csv POSTs).
//   bare     node:http answering a fixed string (the baseline of bench/serving/run.mjs)
//   inline   node:http scoring the row in its own thread and writing the capture record: no isolation at all
//            (inline-nocapture: the same without capture)
//   thread   node:http + the model in a worker thread (postMessage), requests of one event-loop turn as one message
//   process  node:http + the model in a child process (newline-delimited JSON on a pipe), batched the same way
// Every server but bare parses the row with the endpoint's CSV reader, scores it with the ML core's scorer (100 trees
// of depth 6, trained by our trainer) and writes SageMaker capture records (100 %) with the endpoint's CaptureStream.
// No routing, metrics or validation: the gap between `inline` and `thread`/`process` is the price of scoring outside
// the HTTP thread on this machine. Usage: node bench/serving/ceiling.mjs (after npm run build).
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import autocannon from 'autocannon';

const FEATURES = 19;
const [role, dir] = process.argv.slice(2);

/** The per-request work of a replica: parse, score, format, capture. Returns `answer(bodies) -> texts`. */
async function scorer(folder, name, captured = true) {
  const { xgboostJsonLoader } = await import('../../dist/serving/model-loader.js');
  const { CaptureStream } = await import('../../dist/serving/capture.js');
  const { csvRows } = await import('../../dist/serving/request-rows.js');
  const model = await xgboostJsonLoader.load(join(folder, 'model.json'));
  const config = { enabled: true, samplingPercentage: 100, captureInput: true, captureOutput: true };
  const capture = new CaptureStream({
    root: join(folder, 'capture'),
    endpoint: 'e',
    variant: name,
    config,
    onError() {},
  });
  return (bodies) => {
    const texts = bodies.map((body) => {
      const { rows, nRows } = csvRows(Buffer.from(body, 'latin1'), model.signature);
      return `${model.score(rows, nRows)[0]}\n`;
    });
    if (captured) {
      bodies.forEach((body, i) => {
        capture.add(
          { contentType: 'text/csv', data: body, encoding: 'CSV' },
          { contentType: 'text/csv; charset=utf-8', data: texts[i], encoding: 'CSV' },
        );
      });
    }
    capture.flush();
    return texts;
  };
}

/**
 * Requests of one turn go to `send(bodies, done)` together, one batch in flight at a time; `answer(job, text)` writes
 * each response. Returns `push(job)` for a request whose body is `job.body`.
 */
function batcher(send, answer) {
  let queue = [];
  let busy = false;
  const flush = () => {
    if (busy || queue.length === 0) return;
    const jobs = queue;
    queue = [];
    busy = true;
    send(
      jobs.map((j) => j.body),
      (texts) => {
        busy = false;
        jobs.forEach((j, i) => {
          answer(j, texts[i]);
        });
        flush();
      },
    );
  };
  return (job) => {
    queue.push(job);
    if (queue.length === 1) setImmediate(flush);
  };
}

/** node:http in front of `send`. A one-row body comes with its headers: read whole on the next tick, as the router does. */
function batchingServer(send) {
  const push = batcher(send, (job, text) => job.res.writeHead(200, { 'content-type': 'text/csv' }).end(text));
  return createServer((req, res) => process.nextTick(() => push({ res, body: req.read().toString('latin1') })));
}

/**
 * The same on a bare TCP server with a minimal HTTP/1.1 reader (Content-Length bodies, keep-alive): what Node's
 * HTTP machinery itself costs.
 */
function rawBatchingServer(send) {
  const push = batcher(send, (job, text) => {
    job.socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: ${text.length}\r\n\r\n${text}`);
  });
  return createNetServer({ noDelay: true }, (socket) => {
    let pending = null;
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      const data = pending === null ? chunk : Buffer.concat([pending, chunk]);
      pending = null;
      let at = 0;
      for (;;) {
        const end = data.indexOf('\r\n\r\n', at);
        if (end < 0) break;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(data.latin1Slice(at, end))?.[1] ?? 0);
        if (end + 4 + length > data.length) break;
        push({ socket, body: data.latin1Slice(end + 4, end + 4 + length) });
        at = end + 4 + length;
      }
      if (at < data.length) pending = data.subarray(at);
    });
  });
}

/** The scorer in a child process, spoken to in newline-delimited JSON: `send(bodies, done)` for a batching server. */
function childScorer() {
  const child = spawn(process.execPath, [import.meta.filename, 'process-child', dir], {
    stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
  });
  const pipe = child.stdio[3];
  let done;
  lines(pipe, (texts) => done(texts));
  return (bodies, callback) => {
    done = callback;
    pipe.write(`${JSON.stringify(bodies)}\n`);
  };
}

function listen(server) {
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
}

if (role === 'bare') {
  listen(createServer((_req, res) => res.end('0.5\n')));
} else if (role === 'inline') {
  const answer = await scorer(dir, role);
  listen(batchingServer((bodies, done) => done(answer(bodies))));
} else if (role === 'inline-nocapture') {
  const answer = await scorer(dir, role, false);
  listen(batchingServer((bodies, done) => done(answer(bodies))));
} else if (role === 'thread') {
  const worker = new Worker(new URL(import.meta.url), { argv: ['thread-worker', dir] });
  let done;
  worker.on('message', (texts) => done(texts));
  listen(
    batchingServer((bodies, callback) => {
      done = callback;
      worker.postMessage(bodies);
    }),
  );
} else if (role === 'thread-worker') {
  const answer = await scorer(dir, 'thread');
  parentPort.on('message', (bodies) => parentPort.postMessage(answer(bodies)));
} else if (role === 'process') {
  listen(batchingServer(childScorer()));
} else if (role === 'raw-process') {
  listen(rawBatchingServer(childScorer()));
} else if (role === 'process-child') {
  const answer = await scorer(dir, 'process');
  const pipe = new Socket({ fd: 3, readable: true, writable: true });
  lines(pipe, (bodies) => pipe.write(`${JSON.stringify(answer(bodies))}\n`));
  pipe.on('close', () => process.exit(0));
  pipe.on('error', () => process.exit(0)); // the server was killed at the end of its round
} else {
  await main();
}

/** Calls `onValue` with each newline-delimited JSON value read from `stream`. */
function lines(stream, onValue) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (text) => {
    pending += text;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      onValue(JSON.parse(pending.slice(0, nl)));
      pending = pending.slice(nl + 1);
    }
  });
}

async function main() {
  const { parseHyperparameters, synthetic, toXgboostJson, train } = await import('../../dist/ml/gbdt/index.js');
  const folder = mkdtempSync(join(tmpdir(), 'fw-bench-ceiling-'));
  const data = synthetic({ rows: 20_000, seed: 1, features: FEATURES });
  const hp = parseHyperparameters({ objective: 'binary:logistic', num_round: 100, max_depth: 6, eta: 0.3, seed: 1 });
  writeFileSync(join(folder, 'model.json'), toXgboostJson(train(data, hp).model()));
  const row = Array.from(data.features.subarray(0, FEATURES), (v) => v.toFixed(4)).join(',');
  const roles = ['bare', 'inline-nocapture', 'inline', 'thread', 'process', 'raw-process'];
  const runs = Object.fromEntries(roles.map((r) => [r, []]));
  try {
    for (let round = 0; round < 3; round++) {
      for (const r of roles) {
        const server = fork(import.meta.filename, [r, folder], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        const port = await new Promise((ok) => server.once('message', ok));
        const options = {
          url: `http://127.0.0.1:${port}/`,
          connections: 50,
          method: 'POST',
          headers: { 'content-type': 'text/csv' },
          body: row,
        };
        await autocannon({ ...options, duration: 1 });
        const result = await autocannon({ ...options, duration: 4 });
        if (result.non2xx + result.errors > 0) throw new Error(`${r}: ${result.non2xx + result.errors} failed`);
        runs[r].push(Math.round(result.requests.average));
        server.kill('SIGKILL');
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const bare = median(runs.bare);
  for (const r of roles) {
    const m = median(runs[r]);
    console.log(`${r.padEnd(16)} ${m} req/s  ${((m / bare) * 100).toFixed(0)}% of bare  rounds ${runs[r].join(' ')}`);
  }
}
