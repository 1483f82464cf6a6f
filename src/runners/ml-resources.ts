import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isJsonObject, type Json, type JsonObject } from '../engine/asl/index.js';
import { TaskFailure, type TaskRequest, type TaskRunner } from '../engine/runtime/task-runner.js';
import { loadPrepSpec, PrepError, parsePrepSpec, runDataPrep } from '../ml/data/index.js';
import { CsvError, HyperparameterError, ModelFormatError, type RoundMetrics } from '../ml/gbdt/index.js';
import { evaluateModelFile } from '../ml/model-evaluation/index.js';
import { saveModel, trainFromFiles } from '../ml/training/index.js';
import { abortFailure, invalidInput, optionalString, readFields } from './task-input.js';

/** Stores each boosting round's metrics as training produces them; `close` waits until all are stored. */
export interface RoundSink {
  (round: number, metrics: RoundMetrics): void;
  close(): Promise<void>;
}

export interface MlRunnerOptions {
  /** Relative paths in task inputs resolve against the request's cwd, else this folder. */
  cwd: string;
  /** Opens the sink of a tracking run (experiment tracking hooks in here); used when a train task names a RunId. */
  openRoundSink?: (runId: string) => RoundSink;
}

export const ML_RESOURCES = {
  dataPrep: 'flywheel:ml.dataPrep',
  train: 'flywheel:ml.train',
  evaluate: 'flywheel:ml.evaluate',
} as const;

function pathIn(request: TaskRequest, options: MlRunnerOptions, path: string): string {
  return isAbsolute(path) ? path : resolve(request.cwd ?? options.cwd, path);
}

function requiredString(resource: string, input: JsonObject, field: string): string {
  const value = optionalString(resource, input, field);
  if (value === undefined) throw invalidInput(resource, field, 'a non-empty string', undefined);
  return value;
}

/** Maps the ML core's precise exceptions to ASL error names a workflow's Retry/Catch can match. */
function asTaskFailure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return abortFailure(signal);
  if (error instanceof TaskFailure) return error;
  if (error instanceof PrepError) return new TaskFailure(error.error, error.message);
  if (error instanceof HyperparameterError) return new TaskFailure('Train.InvalidHyperparameter', error.message);
  if (error instanceof CsvError) return new TaskFailure('Train.BadData', error.message);
  if (error instanceof ModelFormatError) return new TaskFailure('Model.InvalidFormat', error.message);
  return new TaskFailure('States.TaskFailed', error instanceof Error ? error.message : String(error));
}

function runner(work: (request: TaskRequest, signal: AbortSignal) => Promise<Json>): TaskRunner {
  return {
    async run(request, signal) {
      try {
        return await work(request, signal);
      } catch (error) {
        throw asTaskFailure(error, signal);
      }
    },
  };
}

/**
 * The ML workflow's steps as task resources: DuckDB data prep, XGBoost-compatible training (the task ends when
 * training ends, as SageMaker's `createTrainingJob.sync`), and evaluation with the quality gate. Flywheel's own code,
 * run off the engine's thread (training in a worker thread, DuckDB in its own threads).
 */
export function createMlRunners(options: MlRunnerOptions): Record<string, TaskRunner> {
  const dataPrep = runner(async (request, signal) => {
    const r = ML_RESOURCES.dataPrep;
    const input = readFields(r, request.input, ['Spec', 'SpecFile']);
    let spec: Awaited<ReturnType<typeof loadPrepSpec>>;
    if (input.SpecFile !== undefined)
      spec = await loadPrepSpec(pathIn(request, options, requiredString(r, input, 'SpecFile')));
    else if (isJsonObject(input.Spec))
      spec = parsePrepSpec(input.Spec, resolve(request.cwd ?? options.cwd, 'task-input.json'));
    else throw invalidInput(r, 'Spec or SpecFile', 'a prep spec object or the path of a spec file', input.Spec);
    return (await runDataPrep(spec, { signal })) as unknown as Json;
  });

  const train = runner(async (request, signal) => {
    const r = ML_RESOURCES.train;
    const input = readFields(r, request.input, [
      'Train',
      'Validation',
      'Hyperparameters',
      'Label',
      'ModelPath',
      'RunId',
      'Threads',
    ]);
    const hyperparameters = input.Hyperparameters ?? {};
    if (!isJsonObject(hyperparameters))
      throw invalidInput(r, 'Hyperparameters', 'an object of name: value', hyperparameters);
    const hp: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(hyperparameters)) {
      if (typeof v !== 'string' && typeof v !== 'number')
        throw invalidInput(r, `Hyperparameters.${k}`, 'a number or a string', v);
      hp[k] = v;
    }
    const validation = optionalString(r, input, 'Validation');
    const label = optionalString(r, input, 'Label');
    const runId = optionalString(r, input, 'RunId');
    const modelPath = pathIn(request, options, requiredString(r, input, 'ModelPath'));
    const threads = input.Threads;
    if (threads !== undefined && (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1)) {
      throw invalidInput(r, 'Threads', 'a positive integer', threads);
    }
    const sink = runId !== undefined ? options.openRoundSink?.(runId) : undefined;
    const result = await trainFromFiles({
      train: pathIn(request, options, requiredString(r, input, 'Train')),
      hyperparameters: hp,
      signal,
      ...(validation !== undefined && { validation: pathIn(request, options, validation) }),
      ...(label !== undefined && { label }),
      ...(typeof threads === 'number' && { threads }),
      ...(sink && { onRound: sink }),
    }).finally(() => sink?.close());
    await mkdir(dirname(modelPath), { recursive: true });
    await saveModel(modelPath, result.modelJson);
    const last = result.history[result.history.length - 1] ?? {};
    const best = result.bestIteration === null ? last : (result.history[result.bestIteration] ?? last);
    return {
      ModelPath: modelPath,
      ModelSha256: createHash('sha256').update(readFileSync(modelPath)).digest('hex'),
      Rounds: result.history.length,
      BestIteration: result.bestIteration,
      StoppedEarly: result.stoppedEarly,
      FinalMetrics: last as Json,
      BestMetrics: best as Json,
      TimingsMs: result.timings as unknown as Json,
    };
  });

  const evaluate = runner(async (request) => {
    const r = ML_RESOURCES.evaluate;
    const input = readFields(r, request.input, [
      'Model',
      'Test',
      'Label',
      'Threshold',
      'Channel',
      'Gate',
      'OtherMetrics',
    ]);
    const gate = input.Gate;
    let conditions: string[] | undefined;
    let baseline: JsonObject | undefined;
    if (gate !== undefined) {
      if (
        !isJsonObject(gate) ||
        !Array.isArray(gate.Conditions) ||
        !gate.Conditions.every((c) => typeof c === 'string')
      ) {
        throw invalidInput(
          r,
          'Gate',
          'an object with Conditions (strings like "test:auc >= 0.85") and an optional Baseline',
          gate,
        );
      }
      conditions = gate.Conditions as string[];
      if (gate.Baseline !== undefined && gate.Baseline !== null) {
        if (!isJsonObject(gate.Baseline)) throw invalidInput(r, 'Gate.Baseline', 'an object', gate.Baseline);
        baseline = gate.Baseline;
      }
    }
    const threshold = input.Threshold;
    if (threshold !== undefined && typeof threshold !== 'number')
      throw invalidInput(r, 'Threshold', 'a number', threshold);
    const label = optionalString(r, input, 'Label');
    const channel = optionalString(r, input, 'Channel');
    const result = await evaluateModelFile({
      model: pathIn(request, options, requiredString(r, input, 'Model')),
      test: pathIn(request, options, requiredString(r, input, 'Test')),
      ...(label !== undefined && { label }),
      ...(channel !== undefined && { channel }),
      ...(typeof threshold === 'number' && { threshold }),
      ...(isJsonObject(input.OtherMetrics) && {
        otherMetrics: input.OtherMetrics as Record<string, Record<string, number | null>>,
      }),
      ...(conditions !== undefined && {
        gate: {
          conditions,
          ...(baseline !== undefined && {
            baseline: {
              metrics: baseline.Metrics as Record<string, Record<string, number | null>>,
              metric: String(baseline.Metric),
              ...(typeof baseline.MinAbsoluteImprovement === 'number' && {
                minAbsoluteImprovement: baseline.MinAbsoluteImprovement,
              }),
              ...(typeof baseline.MinRelativeImprovement === 'number' && {
                minRelativeImprovement: baseline.MinRelativeImprovement,
              }),
            },
          }),
        },
      }),
    });
    return JSON.parse(JSON.stringify(result)) as Json;
  });

  return { [ML_RESOURCES.dataPrep]: dataPrep, [ML_RESOURCES.train]: train, [ML_RESOURCES.evaluate]: evaluate };
}
