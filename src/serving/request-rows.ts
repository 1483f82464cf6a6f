/**
 * Turns an invocation body into rows for the model, or a 4xx that says what was wrong: CSV (features only, in the
 * signature's order) or JSON (`instances`, `dataframe_split`, or records by feature name).
 */
import { parseCsvRows } from './csv-rows.js';
import { InvocationError } from './errors.js';
import type { ModelSignature } from './model-loader.js';

export type BodyFormat = 'csv' | 'json';

export interface RequestRows {
  rows: Float32Array;
  nRows: number;
}

const bad = (message: string): InvocationError => new InvocationError(400, 'BadRequest', message);

/** The body format of a Content-Type (parameters such as charset ignored); 415 for anything else. */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  throw new InvocationError(
    415,
    'UnsupportedMediaType',
    `Content-Type ${contentType === undefined ? 'is missing' : `"${contentType}" is not supported`}: ` +
      'send text/csv (features only, one row a line) or application/json ({"instances": [[...]]})',
  );
}

/** Where a CSV body sits in its request, and where its rows go. */
export interface CsvOptions {
  /** For a part of a request split across replicas: the line it starts on. A part may hold no rows. */
  part?: { firstLine: number } | undefined;
  /** A shared buffer to parse into from row `intoRow` on, with room for `csvLineCount(body)` rows. */
  into?: Float32Array;
  intoRow?: number;
}

/** CSV rows: every line one row of `numFeatures` numbers; an empty field (or NaN) is a missing value. */
export function csvRows(body: Uint8Array, signature: ModelSignature, options: CsvOptions = {}): RequestRows {
  const { part, into, intoRow } = options;
  const rows = parseCsvRows(body, signature.numFeatures, signature.featureNames, part?.firstLine ?? 1, into, intoRow);
  return part === undefined ? checkRows(rows) : rows;
}

export const NO_ROWS = 'the request has no rows';

function wrongCount(what: string, signature: ModelSignature): InvocationError {
  const names = signature.featureNames.slice(0, 30).join(', ') + (signature.numFeatures > 30 ? ', ...' : '');
  return bad(`${what} but the model expects ${signature.numFeatures} features (${names})`);
}

function numberAt(value: unknown, where: () => string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value === null) return Number.NaN;
  throw bad(`${where()} is ${JSON.stringify(value) ?? 'undefined'}, not a number (use null for a missing value)`);
}

function fromArrays(data: unknown[], signature: ModelSignature, path: string, order?: number[]): RequestRows {
  const n = signature.numFeatures;
  const width = order?.length ?? n;
  const rows = new Float32Array(data.length * n);
  data.forEach((row, r) => {
    if (!Array.isArray(row)) throw bad(`${path}[${r}] must be an array of ${width} numbers`);
    if (row.length !== width) throw wrongCount(`${path}[${r}] has ${row.length} values`, signature);
    for (let k = 0; k < width; k++) {
      rows[r * n + (order ? order[k]! : k)] = numberAt(row[k], () => `${path}[${r}][${k}]`);
    }
  });
  return { rows, nRows: data.length };
}

function fromRecords(data: unknown[], signature: ModelSignature, path: string): RequestRows {
  const n = signature.numFeatures;
  const index = new Map(signature.featureNames.map((name, k) => [name, k]));
  const rows = new Float32Array(data.length * n);
  data.forEach((record, r) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw bad(`${path}[${r}] must be an object of feature name -> number`);
    }
    const entries = Object.entries(record);
    for (const [name, value] of entries) {
      const k = index.get(name);
      if (k === undefined)
        throw bad(`${path}[${r}] has "${name}", which is not a feature of the model (${names(signature)})`);
      rows[r * n + k] = numberAt(value, () => `${path}[${r}].${name}`);
    }
    if (entries.length !== n) {
      const missing = signature.featureNames.filter((name) => !(name in record));
      throw bad(`${path}[${r}] lacks ${missing.join(', ')} (use null for a missing value)`);
    }
  });
  return { rows, nRows: data.length };
}

const names = (signature: ModelSignature): string => signature.featureNames.join(', ');

function fromSplit(split: unknown, signature: ModelSignature): RequestRows {
  const { columns, data } = (split ?? {}) as { columns?: unknown; data?: unknown };
  if (!Array.isArray(columns) || !Array.isArray(data)) {
    throw bad('dataframe_split must be {"columns": [feature names], "data": [[row values], ...]}');
  }
  const index = new Map(signature.featureNames.map((name, k) => [name, k]));
  const order = columns.map((column, c) => {
    const k = typeof column === 'string' ? index.get(column) : undefined;
    if (k === undefined)
      throw bad(`dataframe_split.columns[${c}] ${JSON.stringify(column)} is not a feature (${names(signature)})`);
    return k;
  });
  if (new Set(order).size !== order.length || order.length !== signature.numFeatures) {
    throw wrongCount(`dataframe_split.columns names ${new Set(order).size} distinct features`, signature);
  }
  return fromArrays(data, signature, 'dataframe_split.data', order);
}

/** JSON rows: `{"instances": [[...]] or [{...}]}`, `{"dataframe_split": {...}}`, `{"dataframe_records": [...]}`, or `[{...}]`. */
export function jsonRows(body: Uint8Array, signature: ModelSignature): RequestRows {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw bad(`the request body is not valid JSON: ${(error as Error).message}`);
  }
  const object =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  let list: unknown = value;
  let path = '(body)';
  if ('dataframe_split' in object) return checkRows(fromSplit(object.dataframe_split, signature));
  if (Array.isArray(object.instances)) [list, path] = [object.instances, 'instances'];
  else if (Array.isArray(object.dataframe_records)) [list, path] = [object.dataframe_records, 'dataframe_records'];
  if (!Array.isArray(list)) {
    throw bad(
      'the JSON body must be {"instances": [[...], ...]}, {"dataframe_split": {"columns", "data"}}, or records',
    );
  }
  const rows = list.every(Array.isArray) ? fromArrays(list, signature, path) : fromRecords(list, signature, path);
  return checkRows(rows);
}

function checkRows(rows: RequestRows): RequestRows {
  if (rows.nRows === 0) throw bad(NO_ROWS);
  return rows;
}
