// GBDT benchmark: our trainer (a whole `ml train` process) side by side with XGBoost 1.7.4 (hist, same files, same
// thread count) on synthetic binary data, 100,000 and 1,000,000 rows x 28 features, 100 rounds, max_depth 6,
// eta 0.3, max_bin 256, on 1 and 2 threads: wall time, peak RSS, hold-out AUC; then batch prediction of the
// 1,000,000 rows with the model trained on them. Prints a table and writes bench/out/gbdt.json.
// Usage: npm run build && node bench/gbdt/run.mjs [--sizes 100000,1000000] [--threads 1,2] [--repeat 1] [--predict-only]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, predictBatch, readCsvFile } from '../../dist/ml/training/index.js';
import { writeSyntheticCsv } from './data.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '../..');
const OUT = join(ROOT, 'bench/out/gbdt');
mkdirSync(OUT, { recursive: true });
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const sizes = option('--sizes', '100000,1000000').split(',').map(Number);
const threadCounts = option('--threads', '1,2').split(',').map(Number);
const repeat = Number(option('--repeat', '1'));
/** Only the batch prediction part, with the models a previous run wrote. */
const predictOnly = process.argv.includes('--predict-only');
const PYTHON = '/usr/bin/python3';
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command, returning wall seconds, peak RSS (MB) and stdout. */
function measure(command, args) {
  const started = process.hrtime.bigint();
  const child = TIME
    ? spawnSync(TIME, ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${child.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr ?? '');
  return { wall, rssMb: rss ? Number(rss[1]) / 1024 : null, stdout: child.stdout };
}

function auc(scores, labels) {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    for (let k = i; k < j; k++) {
      if (labels[order[k]] === 1) {
        rankSum += (i + j + 1) / 2;
        positives++;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

async function dataFiles(rows) {
  const train = join(OUT, `synthetic-${rows}-train.csv`);
  const test = join(OUT, `synthetic-${rows}-test.csv`);
  if (!existsSync(train)) await writeSyntheticCsv(train, rows, rows + 1);
  if (!existsSync(test)) await writeSyntheticCsv(test, rows / 4, rows + 2); // the hold-out is 20% of all rows
  return { train, test };
}

const hpArgs = ['objective=binary:logistic', 'num_round=100', 'max_depth=6', 'eta=0.3', 'max_bin=256'].flatMap((hp) => [
  '--hp',
  hp,
]);
const results = [];
for (const rows of predictOnly ? [] : sizes) {
  const { train, test } = await dataFiles(rows);
  const testTable = readCsvFile(test);
  for (const threads of threadCounts) {
    for (let attempt = 0; attempt < repeat; attempt++) {
      const model = join(OUT, `ours-${rows}-${threads}.json`);
      // The whole `flywheel ml train` process: Node start-up, CLI, CSV parsing, binning, training, model.json.
      const ours = measure('node', [
        join(ROOT, 'bin/flywheel.js'),
        'ml',
        'train',
        '--json',
        '--train',
        train,
        '--out',
        model,
        '--threads',
        String(threads),
        ...hpArgs,
      ]);
      const summary = JSON.parse(ours.stdout.trim().split('\n').at(-1));
      const ourModel = await loadModel(model);
      const p = await predictBatch(ourModel, testTable.features, testTable.nRows, testTable.nCols);
      const xgbModel = join(OUT, `xgb-${rows}-${threads}.json`);
      const x = measure(PYTHON, [
        join(HERE, 'xgb.py'),
        '--train',
        train,
        '--test',
        test,
        '--threads',
        String(threads),
        '--model-out',
        xgbModel,
      ]);
      const xr = JSON.parse(x.stdout.trim().split('\n').at(-1));
      const row = {
        rows,
        threads,
        ours: { wallS: ours.wall, rssMb: ours.rssMb, auc: auc(p, testTable.labels), timings: summary.timings },
        xgboost: {
          wallS: x.wall,
          trainS: xr.train_s,
          loadS: xr.load_s,
          rssMb: x.rssMb,
          auc: xr.auc,
          version: xr.version,
        },
      };
      results.push(row);
      console.log(JSON.stringify(row));
    }
  }
}

// Batch prediction of the 1,000,000 training rows with the model trained on them (in memory, CSV parsing excluded).
const predictRows = Math.max(...sizes);
const prediction = [];
{
  const { train, test } = await dataFiles(predictRows);
  const table = readCsvFile(train, { allocate: (bytes) => new SharedArrayBuffer(bytes) }); // scored in place by threads
  const model = await loadModel(join(OUT, `ours-${predictRows}-1.json`));
  for (const threads of threadCounts) {
    await predictBatch(model, table.features, table.nRows, table.nCols, { threads }); // warm-up: compile, JIT
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await predictBatch(model, table.features, table.nRows, table.nCols, { threads });
      best = Math.min(best, (performance.now() - started) / 1000);
    }
    const x = JSON.parse(
      execFileSync(
        PYTHON,
        [join(HERE, 'xgb.py'), '--train', train, '--test', test, '--threads', String(threads), '--predict'],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .split('\n')
        .at(-1),
    );
    prediction.push({
      rows: table.nRows,
      threads,
      oursRowsPerS: table.nRows / best,
      xgboostRowsPerS: x.predict_rows_per_s,
    });
    console.log(JSON.stringify(prediction.at(-1)));
  }
}

// With --repeat, each side's best attempt: the fastest wall time, the highest peak RSS.
const best = [];
for (const r of results) {
  const seen = best.find((b) => b.rows === r.rows && b.threads === r.threads);
  if (!seen) {
    best.push(structuredClone(r));
    continue;
  }
  if (r.ours.wallS < seen.ours.wallS) seen.ours = { ...r.ours, rssMb: Math.max(r.ours.rssMb, seen.ours.rssMb) };
  else seen.ours.rssMb = Math.max(r.ours.rssMb, seen.ours.rssMb);
  for (const key of ['wallS', 'trainS', 'loadS']) seen.xgboost[key] = Math.min(seen.xgboost[key], r.xgboost[key]);
  seen.xgboost.rssMb = Math.max(seen.xgboost.rssMb, r.xgboost.rssMb);
}
const fmt = (v, d = 2) => (v === null || v === undefined ? '-' : v.toFixed(d));
console.log(
  '\nTraining (100 rounds, depth 6, eta 0.3, max_bin 256; ours = whole process incl. start-up and CSV parsing)',
);
console.log('rows      thr | ours s  xgb proc s  xgb train s  ratio* | ours MB  xgb MB | ours AUC  xgb AUC');
for (const r of best) {
  console.log(
    `${String(r.rows).padEnd(9)} ${r.threads}   | ${fmt(r.ours.wallS).padStart(6)}  ${fmt(r.xgboost.wallS).padStart(10)}  ` +
      `${fmt(r.xgboost.trainS).padStart(11)}  ${fmt(r.ours.wallS / r.xgboost.trainS).padStart(6)} | ` +
      `${fmt(r.ours.rssMb, 0).padStart(7)}  ${fmt(r.xgboost.rssMb, 0).padStart(6)} | ${fmt(r.ours.auc, 4).padStart(8)}  ${fmt(r.xgboost.auc, 4).padStart(7)}`,
  );
}
console.log(`* ours whole process / XGBoost xgb.train() time; best of ${repeat} attempt(s) each`);
console.log('\nBatch prediction, rows/s (in memory)');
for (const p of prediction) {
  console.log(
    `${p.rows} rows, ${p.threads} thread(s): ours ${fmt(p.oursRowsPerS / 1e6)} M/s, XGBoost ${fmt(p.xgboostRowsPerS / 1e6)} M/s`,
  );
}
writeFileSync(
  join(ROOT, 'bench/out/gbdt.json'),
  `${JSON.stringify({ training: best, attempts: results, prediction }, null, 2)}\n`,
);
