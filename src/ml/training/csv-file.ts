/**
 * Reads a numeric CSV file in chunks into the pure CsvReader: the text is never whole in memory, and the row
 * buffers are sized once from the file size and the first chunk's line length.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type CsvOptions, CsvReader, type NumericTable } from '../gbdt/index.js';

const CHUNK = 8 * 1024 * 1024;

export function readCsvFile(path: string, options: Omit<CsvOptions, 'source' | 'expectedRows'> = {}): NumericTable {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
    let reader: CsvReader | null = null;
    let carry = 0; // bytes of an unfinished line kept at the start of the buffer
    for (;;) {
      const read = readSync(fd, buffer, carry, buffer.length - carry, null);
      const filled = carry + read;
      if (read === 0) {
        if (filled > 0) ensure(filled).push(buffer.subarray(0, filled));
        break;
      }
      let cut = buffer.lastIndexOf(10, filled - 1);
      if (cut < 0) {
        if (filled === buffer.length) throw new Error(`${path}: a line is longer than ${buffer.length} bytes`);
        carry = filled;
        continue;
      }
      cut++;
      ensure(cut).push(buffer.subarray(0, cut));
      buffer.copy(buffer, 0, cut, filled);
      carry = filled - cut;
    }
    return ensure(0).finish();

    function ensure(firstBytes: number): CsvReader {
      if (!reader) {
        const sample = buffer.subarray(0, Math.max(firstBytes, 1));
        let lines = 0;
        for (let i = sample.indexOf(10); i >= 0; i = sample.indexOf(10, i + 1)) lines++;
        const perLine = lines > 0 ? sample.length / lines : Math.max(size, 1);
        reader = new CsvReader({ ...options, source: path, expectedRows: Math.ceil((size / perLine) * 1.02) + 16 });
      }
      return reader;
    }
  } finally {
    closeSync(fd);
  }
}
