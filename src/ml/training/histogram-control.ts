/** The shared control block between the training thread and its histogram helpers (see parallel-histograms.ts). */

export const Control = {
  Generation: 0,
  Done: 1,
  Count: 2,
  GradOffset: 3,
  Stop: 4,
  Error: 5,
  Ready: 6,
} as const;

/** Tasks start here: [begin, end, slot] per task. */
export const TASKS = 8;

export interface HelperData {
  control: Int32Array;
  bins: Uint8Array | Uint16Array;
  nCols: number;
  slotOffset: Int32Array;
  totalSlots: number;
  rows: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  hist: Float64Array;
  f0: number;
  f1: number;
}
