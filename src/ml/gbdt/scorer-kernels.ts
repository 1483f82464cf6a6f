/**
 * Generated scoring loops for the heap layout (see scorer-compile.ts), one per tree depth: a block of rows is walked
 * through one tree eight rows at a time, interleaved, with the depth unrolled, so that eight independent chains of
 * loads hide each other's latency and no branch depends on the data. Measured on 100 trees of depth 6: 1.27 M rows/s
 * against 0.27 M for a plain loop with branches. The generated source holds integer constants only.
 *
 * Two variants: `fast` sends a missing value right at every node (correct only for rows without NaN); `missing`
 * honours each node's default direction. The caller picks per block of rows.
 */

/** Adds one tree's leaf values to out[r * groups + group] for rows [r0, r1). */
export type TreeBlockKernel = (
  rows: Float32Array,
  nCols: number,
  r0: number,
  r1: number,
  nodeOffset: number,
  leafOffset: number,
  feature: Int32Array,
  threshold: Float64Array,
  missRight: Uint8Array,
  leaf: Float64Array,
  out: Float64Array,
  groups: number,
  group: number,
  weight: number,
) => void;

const WIDTH = 8;
const cache = new Map<string, TreeBlockKernel>();

const PARAMS = [
  'rows',
  'nCols',
  'r0',
  'r1',
  'io',
  'lo',
  'feature',
  'thr',
  'missRight',
  'leaf',
  'out',
  'groups',
  'group',
  'weight',
];

/** `plain`: one output group and unit tree weights (gbtree), so the update is out[r] += leaf. */
function update(w: string, row: string, plain: boolean): string {
  return plain
    ? `out[${row}] += leaf[base + n${w}];\n`
    : `out[(${row}) * groups + group] += weight * leaf[base + n${w}];\n`;
}

function step(w: string, missing: boolean): string {
  return missing
    ? `{ const x = rows[c${w} + feature[io + n${w}]]; const t = thr[io + n${w}]; ` +
        `n${w} = 2 * n${w} + 1 + ((x >= t) | ((x !== x) & missRight[io + n${w}])); }\n`
    : `n${w} = 2 * n${w} + 2 - ((rows[c${w} + feature[io + n${w}]] < thr[io + n${w}]) | 0);\n`;
}

/** The kernel for trees of `depth` (leaves at heap slots 2^depth - 1 ...). */
export function treeBlockKernel(depth: number, missing: boolean, plain: boolean): TreeBlockKernel {
  const key = `${depth}:${missing}:${plain}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const firstLeaf = (1 << depth) - 1;
  let src = `const base = lo - ${firstLeaf};\nlet r = r0;\n`;
  src += `for (; r + ${WIDTH} <= r1; r += ${WIDTH}) {\n`;
  for (let w = 0; w < WIDTH; w++) src += `let n${w} = 0; const c${w} = (r + ${w}) * nCols;\n`;
  for (let k = 0; k < depth; k++) for (let w = 0; w < WIDTH; w++) src += step(String(w), missing);
  for (let w = 0; w < WIDTH; w++) src += update(String(w), `r + ${w}`, plain);
  src += '}\nfor (; r < r1; r++) {\nlet nr = 0; const cr = r * nCols;\n';
  for (let k = 0; k < depth; k++) src += step('r', missing);
  src += `${update('r', 'r', plain)}}`;
  const kernel = new Function(...PARAMS, src) as TreeBlockKernel;
  cache.set(key, kernel);
  return kernel;
}
