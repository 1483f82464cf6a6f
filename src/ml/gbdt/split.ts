/**
 * Split finding over a node's histogram, as XGBoost's hist evaluator does it: a forward scan (missing values go
 * right), and when the node has missing values for the feature a backward scan (missing values go left); L1/L2
 * regularised gains, both children at least min_child_weight, strictly better wins so that ties keep the lower
 * feature and bin. The gain (XGBoost's loss_chg) is float32, as XGBoost stores it.
 */
import { type BinnedMatrix, binCount } from './binning.js';

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
 * The best split of a node over the given features, or null when no split has a positive gain.
 * `base` is the histogram's double offset; G and H are the node's totals.
 */
export function findBestSplit(
  matrix: BinnedMatrix,
  hist: Float64Array,
  base: number,
  G: number,
  H: number,
  features: Int32Array,
  p: SplitParams,
): Split | null {
  const { cuts, slotOffset } = matrix;
  const mcw = p.minChildWeight;
  const rootGain = Math.fround(nodeGain(G, H, p));
  let best: Split | null = null;
  let bestGain = 0;
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const nb = binCount(cuts, f);
    const at = base + 2 * slotOffset[f]!;
    const cutAt = cuts.ptrs[f]!;
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
        best = split(gain, f, b, cuts.values[cutAt + b]!, false, gl, hl, gr, hr);
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
        const threshold = b === 0 ? cuts.minValues[f]! : cuts.values[cutAt + b - 1]!;
        best = split(gain, f, b - 1, threshold, true, gl2, hl2, gr, hr);
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
