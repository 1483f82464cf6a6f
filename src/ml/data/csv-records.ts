import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';

/**
 * Where CSV records start. DuckDB numbers a rejected record by its record index (a blank line counts as one, a
 * record whose quoted field spans lines counts once) and numbers nothing it accepts; this scan maps both to the
 * physical line a person finds in an editor.
 */
export interface RecordQuery {
  /** Records that hold column names, at the start of the file. */
  headerRecords: number;
  /** DuckDB record indexes it rejected: they are not data rows. */
  rejectedRecords: ReadonlySet<number>;
  /** DuckDB record indexes to locate. */
  records: ReadonlySet<number>;
  /** Ordinals (from 1) of accepted data rows to locate. */
  ordinals: ReadonlySet<number>;
}

export interface RecordLines {
  byRecord: Map<number, number>;
  byOrdinal: Map<number, number>;
}

/** Scans a CSV file (double quotes, any delimiter) once, stopping when everything asked for is found. */
export async function locateRecords(path: string, query: RecordQuery): Promise<RecordLines> {
  const found: RecordLines = { byRecord: new Map(), byOrdinal: new Map() };
  const wanted = query.records.size + query.ordinals.size;
  let ordinal = 0;
  const onRecord = (index: number, line: number, blank: boolean): boolean => {
    if (query.records.has(index)) found.byRecord.set(index, line);
    if (index > query.headerRecords && !blank && !query.rejectedRecords.has(index)) {
      ordinal += 1;
      if (query.ordinals.has(ordinal)) found.byOrdinal.set(ordinal, line);
    }
    return found.byRecord.size + found.byOrdinal.size < wanted;
  };
  if (wanted === 0) return found;
  let inQuote = false;
  let index = 0;
  let line = 1;
  let start = 1;
  let length = 0;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c === 10) {
          line += 1;
          if (inQuote) continue;
          index += 1;
          if (!onRecord(index, start, length === 0)) return found;
          start = line;
          length = 0;
        } else if (c !== 13) {
          if (c === 34) inQuote = !inQuote;
          length += 1;
        }
      }
    }
    if (length > 0 || inQuote) onRecord(index + 1, start, false);
    return found;
  } finally {
    stream.destroy();
  }
}

/** The fields of the file's first record (up to 1 MiB), or [] for an empty file. */
export async function readFirstRecord(path: string, delimiter: string): Promise<string[]> {
  const handle = await open(path, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(1 << 20);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
  if (text.trim() === '') return [];
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) {
        field += text[i];
        i += text[i] === '"' ? 2 : 1;
      }
      i += 1;
    }
    while (i < text.length && !text.startsWith(delimiter, i) && text[i] !== '\n' && text[i] !== '\r') {
      field += text[i];
      i += 1;
    }
    fields.push(field);
    if (!text.startsWith(delimiter, i)) return fields;
    i += delimiter.length;
  }
}

/**
 * Writes `from` to `to` with each line's wrapping double quotes removed (AWS's churn sample wraps a whole record
 * in one pair): line for line, so line numbers stay the same. A line that is not wrapped is copied as it is.
 */
export async function unwrapQuotedLines(from: string, to: string): Promise<void> {
  const lines = createInterface({
    input: createReadStream(from, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  async function* unwrapped() {
    for await (const line of lines) {
      const wrapped = line.length >= 2 && line.startsWith('"') && line.endsWith('"');
      yield `${wrapped ? line.slice(1, -1).replaceAll('""', '"') : line}\n`;
    }
  }
  await pipeline(unwrapped, createWriteStream(to));
}
