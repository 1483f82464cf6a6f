/**
 * Boosting, one round at a time: `step()` trains a round and returns what happened as data (a round with its
 * metrics, or the end of training and why), so a caller can stream progress, stop between rounds, or run it in a
 * worker. Everything random comes from the seeded generator, so the same data and seed give the same model.
 */
import { type Allocate, allocateLocal, type BinnedMatrix, binMatrix } from './binning.js';
import type { Hyperparameters } from './hyperparameters.js';
import { MAXIMIZE } from './metrics.js';
import type { Model, Tree } from './model.js';
import { baseMargin } from './objective-links.js';
import { checkLabels, estimateBaseScore } from './objectives.js';
import { createRandom, type Random } from './prng.js';
import { computeCuts } from './quantile.js';
import { accumulateTree } from './scorer.js';
import { evaluateChannel, type RoundMetrics } from './training-metrics.js';
import { localExecutor, type TrainingExecutor, type TrainingWork } from './tree-executor.js';
import { growTree } from './tree-grower.js';
import { addTreeToMargins } from './tree-margins.js';

export type { RoundMetrics } from './training-metrics.js';

export interface TrainingData {
  features: Float32Array;
  labels: Float32Array;
  nRows: number;
  nCols: number;
  featureNames?: string[] | null;
}

export type TrainingStep =
  | { kind: 'round'; round: number; metrics: RoundMetrics; bestIteration: number | null }
  | { kind: 'finished'; reason: 'num_round' | 'early_stopping'; rounds: number; bestIteration: number | null };

export interface TrainingOptions {
  validation?: TrainingData | undefined;
  /** Memory for the arrays an executor shares (SharedArrayBuffer for worker threads). */
  allocate?: Allocate;
  /** Who does the work; single-threaded by default (see training/parallel-executor.ts for threads). */
  executor?: (work: TrainingWork) => TrainingExecutor;
  /** Compute metrics on the training rows too (default true). */
  evaluateTrain?: boolean;
}

/** Histogram memory is capped: deeper levels fall back to building both children (see tree-grower.ts). */
const HIST_BYTES_CAP = 128 * 1024 * 1024;

export class TrainingError extends Error {
  override name = 'TrainingError';
}

export class TrainingSession {
  readonly trees: Tree[] = [];
  readonly treeInfo: number[] = [];
  readonly history: RoundMetrics[] = [];
  bestIteration: number | null = null;
  bestScore: number | null = null;
  private round = 0;
  private finished: TrainingStep | null = null;
  /** The training loss at the current margins when the gradients for them are already computed, else null. */
  private lossAtMargins: number | null = null;
  private readonly matrix: BinnedMatrix;
  private readonly random: Random;
  private readonly groups: number;
  private readonly baseScore: number;
  private readonly margins: Float64Array;
  private readonly validMargins: Float64Array | null;
  private readonly work: TrainingWork;
  private readonly executor: TrainingExecutor;
  private readonly slots: number;
  private readonly allFeatures: Int32Array;
  /** The training rows without their float features: once binned, those are not needed and can be freed. */
  private readonly train: Omit<TrainingData, 'features'>;

  constructor(
    data: TrainingData,
    readonly hp: Hyperparameters,
    private readonly options: TrainingOptions = {},
  ) {
    const train = {
      labels: data.labels,
      nRows: data.nRows,
      nCols: data.nCols,
      featureNames: data.featureNames ?? null,
    };
    this.train = train;
    const { validation } = options;
    this.groups = Math.max(1, hp.num_class);
    const labelProblem = checkLabels(hp.objective, train.labels, hp.num_class);
    if (labelProblem) throw new TrainingError(`train: ${labelProblem}`);
    if (validation) {
      const problem = checkLabels(hp.objective, validation.labels, hp.num_class);
      if (problem) throw new TrainingError(`validation: ${problem}`);
      if (validation.nCols !== train.nCols) {
        throw new TrainingError(`validation has ${validation.nCols} feature columns; train has ${train.nCols}`);
      }
    }
    if (hp.early_stopping_rounds !== null && !validation) {
      throw new TrainingError('hyperparameters.early_stopping_rounds needs a validation channel');
    }
    if (train.nRows === 0) throw new TrainingError('train: no rows');
    const allocate = options.allocate ?? allocateLocal;
    this.random = createRandom(hp.seed);
    const cuts = computeCuts(data.features, train.nRows, train.nCols, hp.max_bin, this.random);
    this.matrix = binMatrix(data.features, train.nRows, train.nCols, cuts, allocate);
    this.baseScore = hp.base_score ?? estimateBaseScore(hp.objective, train.labels);
    const n = train.nRows;
    const groups = this.groups;
    this.margins = new Float64Array(allocate(n * groups * 8)).fill(baseMargin(hp.objective, this.baseScore));
    this.validMargins = validation
      ? new Float64Array(validation.nRows * groups).fill(baseMargin(hp.objective, this.baseScore))
      : null;
    const slotBytes = this.matrix.totalSlots * 16;
    const wanted = hp.max_depth > 0 ? 2 ** Math.min(hp.max_depth - 1, 16) : 256;
    this.slots = 2 + Math.max(2, Math.min(wanted, Math.floor(HIST_BYTES_CAP / slotBytes)));
    const labels = new Float32Array(allocate(n * 4));
    labels.set(train.labels);
    const grad = new Float32Array(allocate(n * groups * 4));
    const hess = new Float32Array(allocate(n * groups * 4));
    this.work = {
      matrix: this.matrix,
      rows: new Int32Array(allocate(n * 4)),
      scratch: new Int32Array(allocate(n * 4)),
      grad,
      hess,
      hist: new Float64Array(allocate(this.slots * slotBytes)),
      gradients: {
        objective: hp.objective,
        margins: this.margins,
        labels,
        nRows: n,
        groups,
        scalePosWeight: hp.scale_pos_weight,
        grad,
        hess,
      },
      split: { lambda: hp.lambda, alpha: hp.alpha, minChildWeight: hp.min_child_weight },
    };
    this.executor = (options.executor ?? localExecutor)(this.work);
    this.allFeatures = Int32Array.from({ length: train.nCols }, (_, f) => f);
  }

  /** Trains the next round, or reports that training has finished. */
  step(): TrainingStep {
    if (this.finished) return this.finished;
    const { hp } = this;
    if (this.round >= hp.num_round) return this.finish('num_round');
    if (this.lossAtMargins === null) this.computeGradients();
    this.lossAtMargins = null;
    for (let k = 0; k < this.groups; k++) this.growOne(k);
    // The next round's gradients now: their pass also gives this round's training loss.
    const evaluateTrain = this.options.evaluateTrain !== false;
    if (evaluateTrain) this.computeGradients();
    const metrics = this.evaluate();
    this.history.push(metrics);
    const round = this.round++;
    const stop = this.trackBest(round, metrics);
    const step: TrainingStep = { kind: 'round', round, metrics, bestIteration: this.bestIteration };
    if (stop) this.finished = this.finish('early_stopping');
    return step;
  }

  private computeGradients(): void {
    this.lossAtMargins = this.executor.gradients();
  }

  private finish(reason: 'num_round' | 'early_stopping'): TrainingStep {
    this.finished = { kind: 'finished', reason, rounds: this.round, bestIteration: this.bestIteration };
    return this.finished;
  }

  private growOne(group: number): void {
    const { hp, matrix } = this;
    const n = this.train.nRows;
    const rows = this.work.rows;
    let m = 0;
    if (hp.subsample < 1) {
      for (let r = 0; r < n; r++) if (this.random.next() < hp.subsample) rows[m++] = r;
    } else {
      for (let r = 0; r < n; r++) rows[r] = r;
      m = n;
    }
    this.executor.beginTree(this.sampleFeatures(), group * n);
    const grown = growTree({
      matrix,
      nRows: m,
      hist: this.work.hist,
      slots: this.slots,
      executor: this.executor,
      params: { ...this.work.split, eta: hp.eta, gamma: hp.gamma, maxDepth: hp.max_depth },
    });
    this.trees.push(grown.tree);
    this.treeInfo.push(group);
    addTreeToMargins(grown, matrix, this.executor, rows, m, this.margins, group * n);
    const valid = this.options.validation;
    if (valid && this.validMargins) {
      accumulateTree(grown.tree, valid.features, valid.nRows, valid.nCols, this.validMargins, group * valid.nRows);
    }
  }

  private sampleFeatures(): Int32Array {
    const nCols = this.train.nCols;
    if (this.hp.colsample_bytree >= 1) return this.allFeatures;
    const k = Math.max(1, Math.floor(this.hp.colsample_bytree * nCols));
    const pool = Array.from(this.allFeatures);
    for (let i = 0; i < k; i++) {
      const j = i + this.random.below(nCols - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return Int32Array.from(pool.slice(0, k)).sort();
  }

  private evaluate(): RoundMetrics {
    const metrics: RoundMetrics = {};
    const { hp } = this;
    if (this.options.evaluateTrain !== false) {
      metrics.train = evaluateChannel(
        hp,
        this.margins,
        this.train.labels,
        this.groups,
        this.lossAtMargins ?? undefined,
      );
    }
    const valid = this.options.validation;
    if (valid && this.validMargins) {
      metrics.validation = evaluateChannel(hp, this.validMargins, valid.labels, this.groups);
    }
    return metrics;
  }

  /** XGBoost's early stopping: the last metric on the validation channel; true when it is time to stop. */
  private trackBest(round: number, metrics: RoundMetrics): boolean {
    const { hp } = this;
    if (hp.early_stopping_rounds === null || !metrics.validation) return false;
    const metric = hp.eval_metric[hp.eval_metric.length - 1]!;
    const score = metrics.validation[metric]!;
    const better = this.bestScore === null || (MAXIMIZE[metric] ? score > this.bestScore : score < this.bestScore);
    if (better) {
      this.bestScore = score;
      this.bestIteration = round;
    }
    return round - this.bestIteration! >= hp.early_stopping_rounds;
  }

  /** The model as trained so far (every round; `best_iteration` is an attribute, as in XGBoost). */
  model(): Model {
    const { hp } = this;
    const multi = hp.objective === 'multi:softprob';
    const names = this.train.featureNames ?? [];
    const attributes: Record<string, string> = {};
    if (this.bestIteration !== null) {
      attributes.best_iteration = String(this.bestIteration);
      attributes.best_score = String(this.bestScore);
    }
    return {
      objective: hp.objective,
      objectiveParams: multi
        ? { softmax_multiclass_param: { num_class: String(hp.num_class) } }
        : { reg_loss_param: { scale_pos_weight: String(hp.scale_pos_weight) } },
      numClass: multi ? hp.num_class : 0,
      numFeature: this.train.nCols,
      baseScore: [Math.fround(this.baseScore)],
      trees: [...this.trees],
      treeInfo: Int32Array.from(this.treeInfo),
      numParallelTree: 1,
      treeWeights: null,
      attributes,
      featureNames: [...names],
      featureTypes: names.map(() => 'float'),
    };
  }
}

/** Trains every round and returns the session (for its model, history and best iteration). */
export function train(
  data: TrainingData,
  hp: Hyperparameters,
  options: TrainingOptions & { onRound?: (step: Extract<TrainingStep, { kind: 'round' }>) => void } = {},
): TrainingSession {
  const session = new TrainingSession(data, hp, options);
  for (let step = session.step(); step.kind === 'round'; step = session.step()) options.onRound?.(step);
  return session;
}
