/**
 * Seeded synthetic data with a known structure, for tests, demos and benchmarks: a non-linear binary (or
 * multi-class, or regression) target over normal, skewed, uniform and small-integer features, optionally with
 * missing values that carry signal of their own.
 */
import { createRandom } from './prng.js';
import type { TrainingData } from './training-session.js';

export interface SyntheticOptions {
  rows: number;
  seed: number;
  /** At least 4. */
  features?: number;
  /** Share of values of the first two features to blank out (rows with a missing f0 lean positive). */
  missing?: number;
  task?: 'binary' | 'multiclass' | 'regression';
}

export function synthetic(options: SyntheticOptions): TrainingData {
  const { rows, seed, missing = 0, task = 'binary' } = options;
  const nCols = Math.max(4, options.features ?? 8);
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const features = new Float32Array(rows * nCols);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = features.subarray(r * nCols, (r + 1) * nCols);
    for (let f = 0; f < nCols; f++) {
      const kind = f % 4;
      x[f] =
        kind === 0 ? normal() : kind === 1 ? Math.exp(0.7 * normal()) : kind === 2 ? random.next() : random.below(6);
    }
    let score = 1.2 * x[0]! - 0.8 * Math.log(x[1]!) + 2 * (x[2]! - 0.5) * x[0]! + (x[3]! >= 3 ? 0.9 : -0.3);
    if (missing > 0 && random.next() < missing) {
      x[0] = Number.NaN;
      score = 1.5;
    }
    if (missing > 0 && random.next() < missing) x[1] = Number.NaN;
    score += 0.6 * normal();
    if (task === 'binary') labels[r] = random.next() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
    else if (task === 'multiclass') labels[r] = score < -0.5 ? 0 : score < 1 ? 1 : 2;
    else labels[r] = score;
  }
  return { features, labels, nRows: rows, nCols };
}
