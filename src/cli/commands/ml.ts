import type { Command } from 'commander';
import { HyperparameterError } from '../../ml/gbdt/index.js';
import { evaluateModelFile } from '../../ml/model-evaluation/index.js';
import { runPredictCommand, runTrainCommand } from '../../ml/training/index.js';
import { UsageError } from '../context.js';
import { printJson } from '../io.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function threadsOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError(`--threads must be an integer between 1 and 256 (got "${text}")`);
  return n;
}

/** `flywheel ml train|predict|evaluate`: the ML core's steps on files (docs/ml-training.md, docs/evaluation.md). */
export function mlCommands(program: Command): Command {
  const ml = program.command('ml').description('train, score and evaluate XGBoost-compatible models on files');

  ml.command('train')
    .description('train a boosted-tree model; CSV inputs are label first, no header (or a header and --label NAME)')
    .requiredOption('--train <path>', 'training data (CSV)')
    .option('--validation <path>', 'validation data (CSV): metrics per round, early stopping')
    .option(
      '--hp <name=value>',
      'an XGBoost hyperparameter, repeatable (e.g. --hp max_depth=5 --hp eta=0.2)',
      collect,
      [],
    )
    .requiredOption('--out <model.json>', 'where to write the model (XGBoost JSON)')
    .option('--label <name>', 'label column name when the files have a header line')
    .option('--threads <n>', 'threads to train with (default: nthread, else all cores)')
    .option('--json', 'one JSON object per round, then a summary')
    .action(
      async (opts: {
        train: string;
        validation?: string;
        hp: string[];
        out: string;
        label?: string;
        threads?: string;
        json?: boolean;
      }) => {
        const threads = threadsOption(opts.threads);
        try {
          await runTrainCommand({
            train: opts.train,
            hp: opts.hp,
            out: opts.out,
            ...(opts.validation !== undefined && { validation: opts.validation }),
            ...(opts.label !== undefined && { label: opts.label }),
            ...(threads !== undefined && { threads }),
            ...(opts.json !== undefined && { json: opts.json }),
          });
        } catch (error) {
          if (error instanceof HyperparameterError) throw new UsageError(error.message);
          throw error;
        }
      },
    );

  ml.command('predict')
    .description('score a CSV of feature rows (no label column); one prediction per line')
    .requiredOption('--model <model.json>', 'an XGBoost JSON model (Flywheel- or XGBoost-written)')
    .requiredOption('--input <path>', "features only, in the model's order")
    .option('--out <path>', 'write predictions here instead of stdout')
    .option('--threads <n>', 'threads to score with')
    .action(async (opts: { model: string; input: string; out?: string; threads?: string }) => {
      const threads = threadsOption(opts.threads);
      await runPredictCommand({
        model: opts.model,
        input: opts.input,
        ...(opts.out !== undefined && { out: opts.out }),
        ...(threads !== undefined && { threads }),
      });
    });

  ml.command('evaluate')
    .description('metrics of a model on a labelled CSV, and an optional quality gate (exit 1 when it fails)')
    .requiredOption('--model <model.json>', 'the model to evaluate')
    .requiredOption('--test <path>', 'labelled data: label first, or a header and --label NAME')
    .option('--label <name>', 'label column name when the file has a header line')
    .option('--threshold <p>', 'binary: a score above it counts as positive', '0.5')
    .option('--gate <condition>', 'e.g. "test:auc >= 0.85", repeatable', collect, [])
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        model: string;
        test: string;
        label?: string;
        threshold: string;
        gate: string[];
        json?: boolean;
      }) => {
        const threshold = Number(opts.threshold);
        if (!Number.isFinite(threshold)) throw new UsageError(`--threshold must be a number (got "${opts.threshold}")`);
        const result = await evaluateModelFile({
          model: opts.model,
          test: opts.test,
          threshold,
          ...(opts.label !== undefined && { label: opts.label }),
          ...(opts.gate.length > 0 && { gate: { conditions: opts.gate } }),
        });
        if (opts.json) printJson(result);
        else {
          const m = result.gateMetrics[result.channel] ?? {};
          process.stdout.write(`${opts.test}: ${result.rows} rows\n`);
          for (const [k, v] of Object.entries(m))
            process.stdout.write(`  ${k.padEnd(10)} ${v === null ? 'n/a' : v.toFixed(6)}\n`);
          process.stdout.write(`${result.verdict}\n`);
        }
        process.exitCode = result.gate === null || result.gate.passed ? 0 : 1;
      },
    );
  return ml;
}
