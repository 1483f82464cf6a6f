// Our side of the GBDT benchmark as one whole process: start-up, CSV parsing, training and writing the model.
// Stands in for `node bin/flywheel.js ml train ...` until the lead wires the CLI; then run.mjs should call that.
import { runTrainCommand } from '../../dist/ml/training/index.js';

const args = process.argv.slice(2);
const take = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const hp = [];
args.forEach((a, i) => {
  if (a === '--hp') hp.push(args[i + 1]);
});
await runTrainCommand({
  train: take('--train'),
  hp,
  out: take('--out'),
  threads: Number(take('--threads') ?? 1),
  json: true,
  stdout: { write: (text) => (text.includes('"timings"') ? process.stdout.write(text) : true) },
});
