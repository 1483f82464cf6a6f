/**
 * A fast numeric CSV reader: label in the first column (or a named column), an optional header line, lines that may
 * be wrapped in double quotes (stripped), empty or NaN/NA fields as missing values. Input arrives whole or in
 * chunks that end at a line break, so a large file never has to be in memory as text. A bad value throws naming
 * the source, line and column.
 */

import { COMMA, CR, LF, POW10, parseNumber, QUOTE, SPACE, TAB, text } from './csv-number.js';

export interface NumericTable {
  /** Column names when the input had a header line (label column excluded), else null. */
  featureNames: string[] | null;
  nRows: number;
  /** Feature columns per row (label column excluded). */
  nCols: number;
  /** One per row; empty when the table was read without a label column. */
  labels: Float32Array;
  /** Row-major, nRows x nCols, NaN for a missing value. */
  features: Float32Array;
}

export interface CsvOptions {
  /** Named in error messages, e.g. the file path. */
  source?: string;
  /** Whether the first line is a header: 'auto' treats a line whose fields are all non-numeric as one. */
  header?: boolean | 'auto';
  /** `false` reads features only; a string names the label column in the header; first column by default. */
  label?: string | false;
  /** Expected rows, to size the buffers once. */
  expectedRows?: number;
  /** Memory for the row buffers (SharedArrayBuffer, to score or train on them from several threads). */
  allocate?: (bytes: number) => ArrayBufferLike;
}

export { parseNumber } from './csv-number.js';

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Reads a whole CSV held in memory. */
export function parseNumericCsv(input: Uint8Array | string, options: CsvOptions = {}): NumericTable {
  const reader = new CsvReader(options);
  reader.push(typeof input === 'string' ? new TextEncoder().encode(input) : input);
  return reader.finish();
}

/** Incremental reader: `push` chunks that each end at a line break (the last may not), then `finish`. */
export class CsvReader {
  private readonly options: CsvOptions;
  private readonly source: string;
  private line = 0;
  private fieldsPerLine = -1;
  private labelIndex = -1;
  private names: string[] | null = null;
  private rows = 0;
  private capacity: number;
  private labels: Float32Array;
  private features: Float32Array;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(options: CsvOptions) {
    this.options = options;
    this.source = options.source ?? 'CSV';
    this.capacity = Math.max(16, options.expectedRows ?? 1024);
    this.labels = new Float32Array(0);
    this.features = new Float32Array(0);
  }

  push(bytes: Uint8Array): void {
    let pos = 0;
    const n = bytes.length;
    while (pos < n) {
      let eol = bytes.indexOf(LF, pos);
      if (eol < 0) eol = n;
      let end = eol;
      if (end > pos && bytes[end - 1] === CR) end--;
      this.line++;
      if (!isBlank(bytes, pos, end)) this.readLine(bytes, pos, end);
      pos = eol + 1;
    }
  }

  finish(): NumericTable {
    if (this.fieldsPerLine < 0) throw new CsvError(`${this.source}: no data rows`);
    const nCols = this.fieldsPerLine - (this.labelIndex >= 0 ? 1 : 0);
    const hasLabel = this.labelIndex >= 0;
    return {
      featureNames: this.names,
      nRows: this.rows,
      nCols,
      labels: hasLabel ? this.trim(this.labels, this.rows) : new Float32Array(0),
      features: this.trim(this.features, this.rows * nCols),
    };
  }

  /** A view when the buffer is at most 10% too long (no copy, no second buffer at the peak), else a copy. */
  private trim(values: Float32Array, length: number): Float32Array {
    return values.length <= length * 1.1 + 64 ? values.subarray(0, length) : values.slice(0, length);
  }

  private splitFields(bytes: Uint8Array, start: number, end: number): number {
    const starts = this.starts;
    const ends = this.ends;
    let count = 0;
    let fieldStart = start;
    for (let i = start; i <= end; i++) {
      if (i === end || bytes[i] === COMMA) {
        starts[count] = fieldStart;
        ends[count] = i;
        count++;
        fieldStart = i + 1;
      }
    }
    return count;
  }

  private readLine(bytes: Uint8Array, start: number, end: number): void {
    if (this.fieldsPerLine < 0 && this.readFirstLine(bytes, this.splitFields(bytes, start, end))) return;
    const fields = this.fieldsPerLine;
    const nCols = fields - (this.labelIndex >= 0 ? 1 : 0);
    if (this.rows === this.capacity || this.features.length === 0) this.grow(nCols);
    const labelIndex = this.labelIndex;
    const features = this.features;
    let out = this.rows * nCols;
    let pos = start;
    let k = 0;
    // One pass over the line; plain decimals are parsed inline, anything else goes through parseNumber.
    for (;;) {
      let i = pos;
      while (i < end && (bytes[i] === QUOTE || bytes[i] === SPACE)) i++;
      let negative = false;
      if (bytes[i] === 45) {
        negative = true;
        i++;
      } else if (bytes[i] === 43) i++;
      let mantissa = 0;
      let digits = 0;
      let exponent = 0;
      const digitsStart = i;
      let fraction = 0;
      let c = 0;
      for (; i < end; i++) {
        c = bytes[i]! - 48;
        if (c < 0 || c > 9) break;
        mantissa = mantissa * 10 + c;
        if (mantissa !== 0) digits++;
      }
      if (i < end && bytes[i] === 46) {
        i++;
        for (; i < end; i++) {
          c = bytes[i]! - 48;
          if (c < 0 || c > 9) break;
          mantissa = mantissa * 10 + c;
          if (mantissa !== 0) digits++;
          exponent--;
        }
        fraction = 1;
      }
      const parsedAny = i - digitsStart - fraction > 0;
      while (i < end && (bytes[i] === QUOTE || bytes[i] === SPACE)) i++;
      let value: number;
      if (parsedAny && (i === end || bytes[i] === COMMA) && digits <= 15 && exponent >= -22) {
        value = exponent === 0 ? mantissa : mantissa / POW10[-exponent]!;
        if (negative) value = -value;
      } else {
        while (i < end && bytes[i] !== COMMA) i++;
        const parsed = parseNumber(bytes, pos, i);
        if (parsed === undefined) this.badValue(bytes, k, pos, i, 'is not a finite number');
        value = parsed;
      }
      if (k === labelIndex) {
        if (Number.isNaN(value)) this.badValue(bytes, k, pos, i, 'is missing: every row needs a label');
        this.labels[this.rows] = value;
      } else if (k < fields) {
        features[out++] = value;
      }
      k++;
      if (i >= end) break;
      pos = i + 1;
    }
    if (k !== fields) {
      throw new CsvError(`${this.source}: line ${this.line} has ${k} fields; expected ${fields}`);
    }
    this.rows++;
  }

  /** Settles the column count and label column; true when the line was a header. */
  private readFirstLine(bytes: Uint8Array, count: number): boolean {
    const fields = Array.from({ length: count }, (_, k) => text(bytes, this.starts[k]!, this.ends[k]!));
    const header = this.options.header ?? 'auto';
    const isHeader =
      header === true ||
      (header === 'auto' && fields.every((_, k) => parseNumber(bytes, this.starts[k]!, this.ends[k]!) === undefined));
    const names = isHeader ? fields.map((f) => f.trim().replace(/^"+|"+$/g, '')) : null;
    const label = this.options.label;
    if (typeof label === 'string') {
      if (!names) throw new CsvError(`${this.source}: label column "${label}" needs a header line`);
      this.labelIndex = names.indexOf(label);
      if (this.labelIndex < 0) {
        throw new CsvError(`${this.source}: no column named "${label}" in the header (${names.join(', ')})`);
      }
    } else {
      this.labelIndex = label === false ? -1 : 0;
    }
    this.fieldsPerLine = count;
    this.columnNames = names;
    if (names) this.names = names.filter((_, k) => k !== this.labelIndex);
    return isHeader;
  }

  private columnNames: string[] | null = null;

  private grow(nCols: number): void {
    const capacity = this.features.length === 0 ? this.capacity : Math.ceil(this.capacity * 1.5);
    const allocate = this.options.allocate ?? ((bytes: number) => new ArrayBuffer(bytes));
    const features = new Float32Array(allocate(capacity * nCols * 4));
    features.set(this.features);
    const labels = new Float32Array(allocate(capacity * 4));
    labels.set(this.labels);
    this.features = features;
    this.labels = labels;
    this.capacity = capacity;
  }

  private badValue(bytes: Uint8Array, k: number, start: number, end: number, problem: string): never {
    const name = this.columnNames ? ` (${this.columnNames[k]})` : k === this.labelIndex ? ' (label)' : '';
    const value = text(bytes, start, end);
    throw new CsvError(`${this.source}: line ${this.line}, column ${k + 1}${name}: "${value}" ${problem}`);
  }
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c !== SPACE && c !== TAB && c !== QUOTE) return false;
  }
  return true;
}
