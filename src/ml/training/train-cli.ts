/**
 * `flywheel ml train` and `flywheel ml predict`, as functions the commander CLI calls: they print progress to the
 * given streams (stdout by default) and write the model or predictions; errors are thrown for the CLI to print.
 */
import { HyperparameterError, type RoundMetrics } from '../gbdt/index.js';
import { saveModel } from './model-file.js';
import { formatPredictions, predictFile } from './predict-file.js';
import { type TrainResult, trainFromFiles } from './train-from-files.js';

export interface Output {
  write(text: string): unknown;
}

export interface TrainCommandArgs {
  train: string;
  validation?: string;
  /** "name=value" pairs, e.g. ["max_depth=5", "eta=0.2"]. */
  hp: string[];
  out: string;
  label?: string;
  /** One JSON object per line (rounds, then a summary) instead of text. */
  json?: boolean;
  threads?: number;
  signal?: AbortSignal;
  stdout?: Output;
}

export function parseHpArgs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) problems.push(`--hp ${JSON.stringify(pair)} must be name=value, e.g. max_depth=5`);
    else out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  if (problems.length > 0) throw new HyperparameterError(problems);
  return out;
}

const formatMetrics = (metrics: RoundMetrics) =>
  Object.entries(metrics)
    .flatMap(([channel, values]) => Object.entries(values).map(([name, v]) => `${channel}-${name}:${v.toFixed(5)}`))
    .join('\t');

export async function runTrainCommand(args: TrainCommandArgs): Promise<TrainResult> {
  const stdout = args.stdout ?? process.stdout;
  const result = await trainFromFiles({
    train: args.train,
    hyperparameters: parseHpArgs(args.hp),
    ...(args.validation === undefined ? {} : { validation: args.validation }),
    ...(args.label === undefined ? {} : { label: args.label }),
    ...(args.threads === undefined ? {} : { threads: args.threads }),
    ...(args.signal === undefined ? {} : { signal: args.signal }),
    onRound(round, metrics) {
      stdout.write(args.json ? `${JSON.stringify({ round, metrics })}\n` : `[${round}]\t${formatMetrics(metrics)}\n`);
    },
  });
  await saveModel(args.out, result.modelJson);
  const summary = {
    model: args.out,
    rounds: result.history.length,
    bestIteration: result.bestIteration,
    stoppedEarly: result.stoppedEarly,
    timings: result.timings,
  };
  if (args.json) stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const best = result.bestIteration === null ? '' : `, best iteration ${result.bestIteration}`;
    stdout.write(`saved ${args.out}: ${summary.rounds} rounds${best}\n`);
  }
  return result;
}

export interface PredictCommandArgs {
  model: string;
  input: string;
  /** Where to write one prediction per line; stdout when absent. */
  out?: string;
  threads?: number;
  stdout?: Output;
}

export async function runPredictCommand(args: PredictCommandArgs): Promise<{ nRows: number }> {
  const result = await predictFile({
    model: args.model,
    input: args.input,
    ...(args.out === undefined ? {} : { out: args.out }),
    ...(args.threads === undefined ? {} : { threads: args.threads }),
  });
  if (!args.out) (args.stdout ?? process.stdout).write(formatPredictions(result.predictions, result.groups));
  return { nRows: result.nRows };
}
