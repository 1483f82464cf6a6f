import { createReadStream } from 'node:fs';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** A CSV the baseline cannot read; the message names the file and line. */
export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/**
 * One record. Field i is `bytes[starts[i], ends[i])`, already unescaped (`""` → `"`); `quoted[i]` is 1 when the field
 * was quoted, which tells an empty string (`""`) from a missing value (nothing). The arrays are reused: read them
 * before returning.
 */
export type RecordSink = (
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  quoted: Uint8Array,
  count: number,
  line: number,
) => void;

export interface CsvScanOptions {
  /** Every line is wrapped in one pair of double quotes (AWS's churn sample): unwrap it first, as data prep does. */
  quotedLines?: boolean;
  signal?: AbortSignal;
}

/**
 * Streams a comma-separated file record by record without holding it in memory: RFC 4180 quoting (fields may span
 * lines), LF or CRLF endings, a UTF-8 BOM skipped, blank lines skipped (as Spark's reader does).
 */
export async function scanCsv(file: string, options: CsvScanOptions, onRecord: RecordSink): Promise<void> {
  const parser = new RecordParser(file, options.quotedLines === true, onRecord);
  let rest: Buffer | null = null;
  let first = true;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    options.signal?.throwIfAborted();
    let buf: Buffer = rest === null || rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
    if (first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    first = false;
    rest = buf.subarray(parser.parse(buf, false));
  }
  if (rest !== null && rest.length > 0) parser.parse(rest, true);
}

class RecordParser {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private quoted = new Uint8Array(64);
  private escaped = new Uint8Array(64);
  private line = 1;

  constructor(
    private readonly file: string,
    private readonly quotedLines: boolean,
    private readonly onRecord: RecordSink,
  ) {}

  /** Emits every complete record in `buf`; returns where the first incomplete one starts (buf.length at the end). */
  parse(buf: Uint8Array, final: boolean): number {
    let pos = 0;
    while (pos < buf.length) {
      const next = this.quotedLines ? this.wrappedLine(buf, pos, final) : this.record(buf, pos, buf.length, final);
      if (next < 0) return pos;
      pos = next;
    }
    return pos;
  }

  private wrappedLine(buf: Uint8Array, pos: number, final: boolean): number {
    let lf = buf.indexOf(LF, pos);
    if (lf < 0 && !final) return -1;
    if (lf < 0) lf = buf.length;
    let end = lf > pos && buf[lf - 1] === CR ? lf - 1 : lf;
    let start = pos;
    if (end - start >= 2 && buf[start] === QUOTE && buf[end - 1] === QUOTE) {
      start += 1;
      end -= 1;
      end = start + unescapeQuotes(buf, start, end);
    }
    const line = this.line;
    if (this.record(buf, start, end, true) < 0) throw new CsvFormatError(`${this.file} line ${line}: cannot parse`);
    this.line = line + 1;
    return Math.min(lf + 1, buf.length);
  }

  /** Parses one record from `pos`; returns the position after it, or -1 when it needs bytes after `limit`. */
  private record(buf: Uint8Array, pos: number, limit: number, final: boolean): number {
    let count = 0;
    let lines = 0;
    for (;;) {
      if (count === this.starts.length) this.growFields();
      let fieldEnd: number;
      if (pos < limit && buf[pos] === QUOTE) {
        let p = pos + 1;
        let escaped = 0;
        for (;;) {
          while (p < limit && buf[p] !== QUOTE) if (buf[p++] === LF) lines += 1;
          if (p >= limit || (p + 1 >= limit && !final)) {
            if (!final) return -1;
            throw new CsvFormatError(`${this.file} line ${this.line}: a quoted field has no closing quote`);
          }
          if (p + 1 >= limit || buf[p + 1] !== QUOTE) break;
          escaped = 1;
          p += 2;
        }
        this.starts[count] = pos + 1;
        this.ends[count] = p;
        this.quoted[count] = 1;
        this.escaped[count] = escaped;
        fieldEnd = p + 1;
        const after = buf[fieldEnd];
        if (fieldEnd < limit && after !== COMMA && after !== LF && after !== CR) {
          throw new CsvFormatError(`${this.file} line ${this.line + lines}: text after a closing quote`);
        }
      } else {
        let p = pos;
        while (p < limit) {
          const b = buf[p];
          if (b === COMMA || b === LF || b === CR) break;
          p += 1;
        }
        if (p >= limit && !final) return -1;
        this.starts[count] = pos;
        this.ends[count] = p;
        this.quoted[count] = 0;
        this.escaped[count] = 0;
        fieldEnd = p;
      }
      count += 1;
      if (fieldEnd < limit && buf[fieldEnd] === COMMA) {
        pos = fieldEnd + 1;
        continue;
      }
      // The record ends at a line break or at the end of the data.
      if (fieldEnd < limit && buf[fieldEnd] === CR && fieldEnd + 1 >= limit && !final) return -1;
      let next = fieldEnd;
      if (next < limit && buf[next] === CR) next += 1;
      if (next < limit && buf[next] === LF) next += 1;
      this.emit(buf, count);
      this.line += lines + (next > fieldEnd ? 1 : 0);
      return next;
    }
  }

  private emit(buf: Uint8Array, count: number): void {
    if (count === 1 && this.quoted[0] === 0 && this.starts[0] === this.ends[0]) return; // a blank line
    for (let i = 0; i < count; i++) {
      if (this.escaped[i] === 1) this.ends[i] = this.starts[i]! + unescapeQuotes(buf, this.starts[i]!, this.ends[i]!);
    }
    this.onRecord(buf, this.starts, this.ends, this.quoted, count, this.line);
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts, (k) => new Int32Array(k));
    this.ends = grow(this.ends, (k) => new Int32Array(k));
    this.quoted = grow(this.quoted, (k) => new Uint8Array(k));
    this.escaped = grow(this.escaped, (k) => new Uint8Array(k));
  }
}

/** Rewrites `""` as `"` in place within [start, end); returns the new length. */
function unescapeQuotes(buf: Uint8Array, start: number, end: number): number {
  let w = start;
  for (let r = start; r < end; r++, w++) {
    buf[w] = buf[r]!;
    if (buf[r] === QUOTE && buf[r + 1] === QUOTE && r + 1 < end) r += 1;
  }
  return w - start;
}
