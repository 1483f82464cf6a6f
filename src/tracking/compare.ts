/** Side-by-side comparison of runs: pure, over the run records the store returns. */
import { type MetricDirection, metricDirection } from '../ml/evaluate/index.js';
import type { MetricSummary, RunRecord } from '../store/index.js';

export interface MetricComparison {
  /** Which way is better: the metric's known direction, or 'higher' when unknown (then `directionKnown` is false). */
  direction: MetricDirection;
  directionKnown: boolean;
  /** One entry per run, in the runs' order; null when the run has no such metric. */
  final: (number | null)[];
  /** Each run's best value over all its steps (max or min by direction). */
  best: (number | null)[];
  /** The run whose final value is best, or null when no run has the metric. */
  bestRunId: string | null;
}

export interface RunComparison {
  runs: Pick<RunRecord, 'id' | 'name' | 'experimentName' | 'status' | 'startedAt'>[];
  params: {
    /** Params whose value is not the same in every run (null: the run lacks it). */
    differing: Record<string, (string | null)[]>;
    same: Record<string, string>;
  };
  metrics: Record<string, MetricComparison>;
}

/**
 * A metric's direction by name: `auc`, `validation-auc`, `train.logloss`, `eval/rmse@0.5` all resolve through the
 * evaluation module's table; unknown names count as higher-is-better.
 */
export function directionOf(key: string): { direction: MetricDirection; known: boolean } {
  const base = key.split(/[-./]/).at(-1) ?? key;
  const direction = metricDirection(key) ?? metricDirection(base);
  return direction === null ? { direction: 'higher', known: false } : { direction, known: true };
}

const sortedKeys = (records: Record<string, unknown>[]): string[] =>
  [...new Set(records.flatMap((r) => Object.keys(r)))].sort();

/**
 * Compares runs: params that differ (and those that agree), and per metric each run's final value, its best value
 * over all steps (from the stored range: max for higher-is-better, min otherwise) and the run whose final value is best.
 */
export function compareRuns(runs: readonly RunRecord[]): RunComparison {
  const differing: Record<string, (string | null)[]> = {};
  const same: Record<string, string> = {};
  for (const key of sortedKeys(runs.map((r) => r.params))) {
    const values = runs.map((r) => r.params[key] ?? null);
    if (values.every((v) => v !== null && v === values[0])) same[key] = values[0]!;
    else differing[key] = values;
  }
  const metrics: Record<string, MetricComparison> = {};
  for (const key of sortedKeys(runs.map((r) => r.metrics))) {
    const { direction, known } = directionOf(key);
    const summaries: (MetricSummary | undefined)[] = runs.map((r) => r.metrics[key]);
    const bestOf = (s: MetricSummary) => (direction === 'higher' ? s.max : s.min);
    const final = summaries.map((s) => s?.last ?? null);
    let bestRunId: string | null = null;
    let bestFinal: number | null = null;
    final.forEach((value, i) => {
      if (value === null) return;
      if (bestFinal === null || (direction === 'higher' ? value > bestFinal : value < bestFinal)) {
        bestFinal = value;
        bestRunId = runs[i]!.id;
      }
    });
    metrics[key] = {
      direction,
      directionKnown: known,
      final,
      best: summaries.map((s) => (s === undefined ? null : bestOf(s))),
      bestRunId,
    };
  }
  return {
    runs: runs.map(({ id, name, experimentName, status, startedAt }) => ({
      id,
      name,
      experimentName,
      status,
      startedAt,
    })),
    params: { differing, same },
    metrics,
  };
}
