/**
 * XGBoost's hyperparameters, by XGBoost's names and defaults, given as numbers or strings (SageMaker passes strings).
 * Every problem is collected; the thrown error lists them all, each naming the key, the value and what is allowed.
 */
import { TRAIN_OBJECTIVES, type TrainObjective } from './model.js';

export const EVAL_METRICS = ['error', 'logloss', 'auc', 'rmse', 'mlogloss', 'merror'] as const;
export type EvalMetric = (typeof EVAL_METRICS)[number];

export interface Hyperparameters {
  objective: TrainObjective;
  num_class: number;
  num_round: number;
  eta: number;
  max_depth: number;
  min_child_weight: number;
  gamma: number;
  lambda: number;
  alpha: number;
  subsample: number;
  colsample_bytree: number;
  max_bin: number;
  scale_pos_weight: number;
  /** null: estimated from the labels, as XGBoost 2.0+ does (the label mean). */
  base_score: number | null;
  eval_metric: EvalMetric[];
  early_stopping_rounds: number | null;
  seed: number;
  /** XGBoost's thread count, if given; the trainer's `threads` option wins. */
  nthread: number | null;
}

export class HyperparameterError extends Error {
  override name = 'HyperparameterError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

type Spec =
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'number'; min: number; max: number; minOpen?: boolean }
  | { kind: 'choice'; values: readonly string[] };

const INT32_MAX = 2147483647;
const SPECS: Record<string, Spec> = {
  objective: { kind: 'choice', values: TRAIN_OBJECTIVES },
  num_class: { kind: 'integer', min: 2, max: 10000 },
  num_round: { kind: 'integer', min: 1, max: 100000 },
  eta: { kind: 'number', min: 0, max: 1 },
  max_depth: { kind: 'integer', min: 0, max: 64 },
  min_child_weight: { kind: 'number', min: 0, max: Number.MAX_VALUE },
  gamma: { kind: 'number', min: 0, max: Number.MAX_VALUE },
  lambda: { kind: 'number', min: 0, max: Number.MAX_VALUE },
  alpha: { kind: 'number', min: 0, max: Number.MAX_VALUE },
  subsample: { kind: 'number', min: 0, max: 1, minOpen: true },
  colsample_bytree: { kind: 'number', min: 0, max: 1, minOpen: true },
  max_bin: { kind: 'integer', min: 2, max: 65535 },
  scale_pos_weight: { kind: 'number', min: 0, max: Number.MAX_VALUE, minOpen: true },
  base_score: { kind: 'number', min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  early_stopping_rounds: { kind: 'integer', min: 1, max: 100000 },
  seed: { kind: 'integer', min: -INT32_MAX - 1, max: INT32_MAX },
  nthread: { kind: 'integer', min: 1, max: 1024 },
  // Accepted for compatibility with XGBoost and SageMaker configurations; only these values are valid.
  tree_method: { kind: 'choice', values: ['hist', 'auto'] },
  booster: { kind: 'choice', values: ['gbtree'] },
  grow_policy: { kind: 'choice', values: ['depthwise'] },
  verbosity: { kind: 'integer', min: 0, max: 3 },
};

const ALIASES: Record<string, string> = {
  learning_rate: 'eta',
  min_split_loss: 'gamma',
  reg_lambda: 'lambda',
  reg_alpha: 'alpha',
  num_boost_round: 'num_round',
  random_state: 'seed',
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function range(spec: Spec): string {
  const show = (n: number) => (Math.abs(n) === Number.MAX_VALUE ? '' : String(n));
  switch (spec.kind) {
    case 'choice':
      return `one of ${spec.values.join(', ')}`;
    case 'integer':
      return `an integer between ${spec.min} and ${spec.max}`;
    case 'number':
      if (spec.min === -Number.MAX_VALUE) return 'a finite number';
      if (spec.max === Number.MAX_VALUE) return spec.minOpen ? `a number > ${spec.min}` : `a number >= ${spec.min}`;
      return spec.minOpen
        ? `a number > ${spec.min} and <= ${show(spec.max)}`
        : `a number between ${spec.min} and ${spec.max}`;
  }
}

function read(spec: Spec, raw: string | number): string | number | undefined {
  if (spec.kind === 'choice')
    return typeof raw === 'string' && spec.values.includes(raw.trim()) ? raw.trim() : undefined;
  const text = typeof raw === 'string' ? raw.trim() : null;
  const n = text === null ? raw : NUMBER.test(text) ? Number(text) : Number.NaN;
  if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  if (spec.kind === 'integer' && !Number.isInteger(n)) return undefined;
  if (n < spec.min || n > spec.max || (spec.kind === 'number' && spec.minOpen && n === spec.min)) return undefined;
  return n;
}

const problem = (key: string, what: string, raw: unknown) =>
  `hyperparameters.${key} must be ${what} (got ${JSON.stringify(raw)})`;

/**
 * Validates raw hyperparameters and fills in XGBoost's defaults.
 * @example parseHyperparameters({ objective: 'binary:logistic', max_depth: '5', eta: '0.2', num_round: '100' })
 */
export function parseHyperparameters(raw: Record<string, string | number>): Hyperparameters {
  const problems: string[] = [];
  const values: Record<string, string | number> = {};
  const given: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(raw)) {
    const key = ALIASES[rawKey] ?? rawKey;
    if (key === 'eval_metric') continue;
    const spec = SPECS[key];
    if (!spec) {
      problems.push(
        `hyperparameters.${rawKey} is not a known hyperparameter (known: ${[...Object.keys(SPECS), 'eval_metric'].join(', ')})`,
      );
      continue;
    }
    if (given[key]) {
      problems.push(
        `hyperparameters.${rawKey} and hyperparameters.${given[key]} are the same hyperparameter; give one`,
      );
      continue;
    }
    given[key] = rawKey;
    const parsed = read(spec, value);
    if (parsed === undefined) problems.push(problem(rawKey, range(spec), value));
    else values[key] = parsed;
  }
  const objective = (values.objective ?? 'reg:squarederror') as TrainObjective;
  const multi = objective === 'multi:softprob';
  if (multi && values.num_class === undefined && !problems.some((p) => p.startsWith('hyperparameters.num_class'))) {
    problems.push(`hyperparameters.num_class is required with objective multi:softprob (${range(SPECS.num_class!)})`);
  }
  const logistic = objective === 'binary:logistic' || objective === 'reg:logistic';
  const baseScore = values.base_score as number | undefined;
  if (baseScore !== undefined && logistic && (baseScore <= 0 || baseScore >= 1)) {
    problems.push(
      problem(given.base_score!, `between 0 and 1 (exclusive) with objective ${objective}`, raw[given.base_score!]),
    );
  }
  // With a bad objective, metrics are only checked by name (no second error from a guessed objective).
  const objectiveBad = given.objective !== undefined && values.objective === undefined;
  const metrics = readMetrics(raw.eval_metric, objectiveBad ? null : objective, problems);
  if (problems.length > 0) throw new HyperparameterError(problems);
  const num = (key: string, fallback: number) => (values[key] as number | undefined) ?? fallback;
  return {
    objective,
    num_class: multi ? num('num_class', 2) : 0,
    num_round: num('num_round', 10),
    eta: num('eta', 0.3),
    max_depth: num('max_depth', 6),
    min_child_weight: num('min_child_weight', 1),
    gamma: num('gamma', 0),
    lambda: num('lambda', 1),
    alpha: num('alpha', 0),
    subsample: num('subsample', 1),
    colsample_bytree: num('colsample_bytree', 1),
    max_bin: num('max_bin', 256),
    scale_pos_weight: num('scale_pos_weight', 1),
    base_score: baseScore ?? null,
    eval_metric: metrics,
    early_stopping_rounds: (values.early_stopping_rounds as number | undefined) ?? null,
    seed: num('seed', 0),
    nthread: (values.nthread as number | undefined) ?? null,
  };
}

const METRICS_FOR: Record<TrainObjective, readonly EvalMetric[]> = {
  'binary:logistic': ['error', 'logloss', 'auc', 'rmse'],
  'reg:logistic': ['error', 'logloss', 'auc', 'rmse'],
  'reg:squarederror': ['rmse'],
  'multi:softprob': ['mlogloss', 'merror'],
};
const DEFAULT_METRIC: Record<TrainObjective, EvalMetric> = {
  'binary:logistic': 'logloss',
  'reg:logistic': 'rmse',
  'reg:squarederror': 'rmse',
  'multi:softprob': 'mlogloss',
};

/** `eval_metric` is one name or several separated by commas ("error,auc"); XGBoost's last one drives early stopping. */
function readMetrics(
  raw: string | number | undefined,
  objective: TrainObjective | null,
  problems: string[],
): EvalMetric[] {
  if (raw === undefined) return objective ? [DEFAULT_METRIC[objective]] : [];
  const names = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const allowed = objective ? METRICS_FOR[objective] : EVAL_METRICS;
  const bad = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (names.length === 0 || bad.length > 0) {
    const context = objective ? ` with objective ${objective}` : '';
    problems.push(problem('eval_metric', `one or more of ${allowed.join(', ')}${context}, comma-separated`, raw));
    return [];
  }
  return [...new Set(names)] as EvalMetric[];
}
