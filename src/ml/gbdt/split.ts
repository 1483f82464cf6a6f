/**
 * Split finding over a node's histogram, as XGBoost's hist evaluator does it: a forward scan (missing values go
 * right), and when the node has missing values for the feature a backward scan (missing values go left); L1/L2
 * regularised gains, both children at least min_child_weight, strictly better wins so that ties keep the lower
 * feature and bin. The gain (XGBoost's loss_chg) is float32, as XGBoost stores it.
 */
import { type BinnedMatrix, binCount } from './binning.js';
import type { Cuts } from './quantile.js';

export interface SplitParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
}

export interface Split {
  /** loss_chg: children's gain minus the node's. */
  gain: number;
  feature: number;
  /** Rows whose bin is <= leftMaxBin go left (-1: no value goes left); a missing value follows defaultLeft. */
  leftMaxBin: number;
  threshold: number;
  defaultLeft: boolean;
  leftG: number;
  leftH: number;
  rightG: number;
  rightH: number;
}

/** The threshold of "bins 0..leftMaxBin go left": that bin's upper cut, or below every value for -1. */
export function splitThreshold(cuts: Cuts, feature: number, leftMaxBin: number): number {
  return leftMaxBin >= 0 ? cuts.values[cuts.ptrs[feature]! + leftMaxBin]! : cuts.minValues[feature]!;
}

/** Flattens a split into 8 numbers (for threads to hand results back through shared memory); gain -1 for none. */
export function writeSplit(split: Split | null, out: Float64Array, at: number): void {
  if (!split) {
    out[at] = -1;
    return;
  }
  out[at] = split.gain;
  out[at + 1] = split.feature;
  out[at + 2] = split.leftMaxBin;
  out[at + 3] = split.defaultLeft ? 1 : 0;
  out[at + 4] = split.leftG;
  out[at + 5] = split.leftH;
  out[at + 6] = split.rightG;
  out[at + 7] = split.rightH;
}

export function readSplit(cuts: Cuts, data: Float64Array, at: number): Split | null {
  if (data[at]! < 0) return null;
  const feature = data[at + 1]!;
  const leftMaxBin = data[at + 2]!;
  return split(
    data[at]!,
    feature,
    leftMaxBin,
    splitThreshold(cuts, feature, leftMaxBin),
    data[at + 3] === 1,
    data[at + 4]!,
    data[at + 5]!,
    data[at + 6]!,
    data[at + 7]!,
  );
}

/** The better of two candidates from consecutive feature ranges: the later one only if strictly better. */
export function betterSplit(first: Split | null, later: Split | null): Split | null {
  if (!later) return first;
  return !first || later.gain > first.gain ? later : first;
}

const thresholdL1 = (g: number, alpha: number) => (g > alpha ? g - alpha : g < -alpha ? g + alpha : 0);

/** XGBoost's CalcGain (no constraints, max_delta_step 0). */
export function nodeGain(g: number, h: number, p: SplitParams): number {
  if (h <= 0) return 0;
  const t = p.alpha === 0 ? g : thresholdL1(g, p.alpha);
  return (t * t) / (h + p.lambda);
}

/** XGBoost's CalcWeight: the optimal leaf weight before the learning rate; 0 below min_child_weight. */
export function nodeWeight(g: number, h: number, p: SplitParams): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  return -thresholdL1(g, p.alpha) / (h + p.lambda);
}

/**
 * The best split of a node over features[j0, j1) (all of them by default), or null when no split has a positive
 * gain. `base` is the histogram's double offset; G and H are the node's totals.
 */
export function findBestSplit(
  matrix: BinnedMatrix,
  hist: Float64Array,
  base: number,
  G: number,
  H: number,
  features: Int32Array,
  p: SplitParams,
  j0 = 0,
  j1 = features.length,
): Split | null {
  const { cuts, slotOffset } = matrix;
  const mcw = p.minChildWeight;
  const rootGain = Math.fround(nodeGain(G, H, p));
  let best: Split | null = null;
  let bestGain = 0;
  for (let j = j0; j < j1; j++) {
    const f = features[j]!;
    const nb = binCount(cuts, f);
    const at = base + 2 * slotOffset[f]!;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < nb; b++) {
      gl += hist[at + 2 * b]!;
      hl += hist[at + 2 * b + 1]!;
      if (hl < mcw) continue;
      const gr = G - gl;
      const hr = H - hl;
      if (hr < mcw) continue;
      const gain = Math.fround(nodeGain(gl, hl, p) + nodeGain(gr, hr, p) - rootGain);
      if (gain > bestGain) {
        bestGain = gain;
        best = split(gain, f, b, splitThreshold(cuts, f, b), false, gl, hl, gr, hr);
      }
    }
    if (!cuts.hasMissing[f]) continue;
    const missingH = hist[at + 2 * nb + 1]!;
    const missingG = hist[at + 2 * nb]!;
    if (missingH === 0 && missingG === 0) continue;
    let gr = 0;
    let hr = 0;
    for (let b = nb - 1; b >= 0; b--) {
      gr += hist[at + 2 * b]!;
      hr += hist[at + 2 * b + 1]!;
      if (hr < mcw) continue;
      const gl2 = G - gr;
      const hl2 = H - hr;
      if (hl2 < mcw) continue;
      const gain = Math.fround(nodeGain(gl2, hl2, p) + nodeGain(gr, hr, p) - rootGain);
      if (gain > bestGain) {
        bestGain = gain;
        best = split(gain, f, b - 1, splitThreshold(cuts, f, b - 1), true, gl2, hl2, gr, hr);
      }
    }
  }
  return best;
}

function split(
  gain: number,
  feature: number,
  leftMaxBin: number,
  threshold: number,
  defaultLeft: boolean,
  leftG: number,
  leftH: number,
  rightG: number,
  rightH: number,
): Split {
  return { gain, feature, leftMaxBin, threshold, defaultLeft, leftG, leftH, rightG, rightH };
}
