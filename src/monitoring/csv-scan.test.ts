import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvFormatError, scanCsv } from './csv-scan.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-csv-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Row = { fields: (string | null)[]; line: number };

async function scan(text: string | Buffer, quotedLines = false): Promise<Row[]> {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, text);
  const rows: Row[] = [];
  const decoder = new TextDecoder();
  await scanCsv(file, { quotedLines }, (bytes, starts, ends, quoted, count, line) => {
    const fields = Array.from({ length: count }, (_, i) =>
      starts[i] === ends[i] && quoted[i] === 0 ? null : decoder.decode(bytes.subarray(starts[i], ends[i])),
    );
    rows.push({ fields, line });
  });
  return rows;
}

describe('streaming CSV scan', () => {
  it('reads quoted fields with commas, escaped quotes and line breaks; CRLF; blank lines; a BOM; no final newline', async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,,""\n3,"two\nlines",é';
    expect(await scan(text)).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'x, y', 'say "hi"'], line: 2 },
      { fields: ['2', null, ''], line: 4 },
      { fields: ['3', 'two\nlines', 'é'], line: 5 },
    ]);
  });

  it('unwraps lines wrapped in one pair of quotes, as data prep does', async () => {
    const text = '"0,106,274.4"\n"1,28,""q"""\nplain,2,3\n';
    expect((await scan(text, true)).map((r) => r.fields)).toEqual([
      ['0', '106', '274.4'],
      ['1', '28', 'q'],
      ['plain', '2', '3'],
    ]);
  });

  it('reads a wrapped line as one field without the option, as Spark does', async () => {
    expect((await scan('"0,106,274.4"\n')).map((r) => r.fields)).toEqual([['0,106,274.4']]);
  });

  it('gives the same records when records and quotes straddle the 1 MiB read chunks', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 40_000; i++) rows.push([String(i), i % 7 === 0 ? `"q,${i}\n""z"""` : `v${i}`, `${i / 3}`]);
    const text = `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
    const got = await scan(text);
    expect(got).toHaveLength(rows.length);
    for (const [i, row] of got.entries()) {
      expect(row.fields[0]).toBe(String(i));
      expect(row.fields[1]).toBe(i % 7 === 0 ? `q,${i}\n"z"` : `v${i}`);
    }
    expect(got.at(-1)?.line).toBe(40_000 + Math.floor(39_999 / 7) + 1);
  });

  it('names the file and line of an unterminated quote or text after a closing quote', async () => {
    await expect(scan('a,b\n1,"open\n')).rejects.toThrow(CsvFormatError);
    await expect(scan('a,b\n1,"open\n')).rejects.toThrow(/\.csv line 2: a quoted field has no closing quote/);
    await expect(scan('a,b\n1,"x"y\n')).rejects.toThrow(/\.csv line 2: text after a closing quote/);
  });
});
