// Synthetic binary-classification data for the GBDT benchmark: 28 features (normals, skewed, uniform, small
// integers), a non-linear label with noise, written as CSV without a header (label first) so that XGBoost's own
// CSV reader and ours read the very same file. Deterministic: the same seed writes the same bytes.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

import { mulberry32 } from '../../dist/ml/gbdt/index.js';

export const FEATURES = 28;

/** Writes `rows` rows to `path`; resolves when the file is flushed. */
export async function writeSyntheticCsv(path, rows, seed) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const out = createWriteStream(path);
  const x = new Float64Array(FEATURES);
  let chunk = '';
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < 10; f++) x[f] = normal();
    for (let f = 10; f < 16; f++) x[f] = Math.exp(0.8 * normal());
    for (let f = 16; f < 22; f++) x[f] = rand();
    for (let f = 22; f < 28; f++) x[f] = Math.floor(rand() * (3 + 5 * (f - 22)));
    const logit =
      0.9 * x[0] -
      0.7 * x[1] * x[2] +
      Math.sin(2 * x[3]) +
      (x[4] > 0.5 ? 0.8 : -0.4) +
      0.4 * Math.log(x[10]) -
      0.3 * x[11] +
      1.2 * (x[16] - 0.5) * (x[17] - 0.5) * 4 +
      0.5 * Math.abs(x[5]) -
      0.25 * x[22] +
      0.05 * x[25] -
      0.6 * (x[18] > 0.8 ? 1 : 0) +
      0.3 * x[6] * x[12] +
      0.8 * normal();
    const label = rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    let line = String(label);
    for (let f = 0; f < FEATURES; f++) line += `,${f >= 22 ? x[f] : x[f].toFixed(5)}`;
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
