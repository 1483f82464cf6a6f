/**
 * Predictions as response bodies: `text/csv` (one line per row; several outputs comma-separated) or JSON
 * `{"predictions": [...]}` (a number per row, or an array per row for several outputs). Numbers print as JavaScript's
 * shortest round-trip text; a non-finite value prints as an empty CSV field or a JSON null.
 */

const text = (v: number): string => (Number.isFinite(v) ? String(v) : '');

/** One line per row, each ending in a newline. */
export function csvPredictions(values: Float64Array, outputs: number): string {
  let out = '';
  if (outputs === 1) {
    for (let i = 0; i < values.length; i++) out += `${text(values[i]!)}\n`;
    return out;
  }
  for (let r = 0; r < values.length; r += outputs) {
    let line = text(values[r]!);
    for (let k = 1; k < outputs; k++) line += `,${text(values[r + k]!)}`;
    out += `${line}\n`;
  }
  return out;
}

const json = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

export function jsonPredictions(values: Float64Array, outputs: number): string {
  const parts = new Array<string>(values.length / outputs);
  for (let r = 0, i = 0; i < values.length; r++, i += outputs) {
    if (outputs === 1) {
      parts[r] = json(values[i]!);
      continue;
    }
    let row = `[${json(values[i]!)}`;
    for (let k = 1; k < outputs; k++) row += `,${json(values[i + k]!)}`;
    parts[r] = `${row}]`;
  }
  return `{"predictions":[${parts.join(',')}]}`;
}
