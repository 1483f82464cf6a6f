import { describe, expect, it } from 'vitest';
import { CsvError, CsvReader, parseNumericCsv } from './csv.js';

const errorOf = (text: string, options = {}): string => {
  try {
    parseNumericCsv(text, { source: 'data.csv', ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(CsvError);
    return (error as Error).message;
  }
  throw new Error('expected a CsvError');
};

describe('parseNumericCsv', () => {
  it('reads label-first rows without a header', () => {
    const t = parseNumericCsv('1,0.5,2\n0,-1.25,3e2\n');
    expect(t).toMatchObject({ nRows: 2, nCols: 2, featureNames: null });
    expect(Array.from(t.labels)).toEqual([1, 0]);
    expect(Array.from(t.features)).toEqual([0.5, 2, -1.25, 300]);
  });

  it('detects a header and can take the label from a named column', () => {
    const t = parseNumericCsv('a,target,b\r\n1,0,2\r\n3,1,4\r\n', { label: 'target' });
    expect(t.featureNames).toEqual(['a', 'b']);
    expect(Array.from(t.labels)).toEqual([0, 1]);
    expect(Array.from(t.features)).toEqual([1, 2, 3, 4]);
  });

  it('strips double quotes around lines and fields (the churn file quotes every line)', () => {
    const t = parseNumericCsv('"0,106,0,274.4"\n"1,28,"5",187.8"\n');
    expect(Array.from(t.labels)).toEqual([0, 1]);
    expect(Array.from(t.features)).toEqual([106, 0, Math.fround(274.4), 28, 5, Math.fround(187.8)]);
  });

  it('reads empty, NaN and NA fields as missing values and skips blank lines', () => {
    const t = parseNumericCsv('1,,NaN\n\n0,na, 2 \n');
    expect(Array.from(t.features)).toEqual([Number.NaN, Number.NaN, Number.NaN, 2]);
  });

  it('reads features only when there is no label column', () => {
    const t = parseNumericCsv('1,2\n3,4\n', { label: false });
    expect(t).toMatchObject({ nCols: 2, nRows: 2 });
    expect(t.labels).toHaveLength(0);
  });

  it('parses every value as Math.fround(Number(text))', () => {
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6);
      const forms = [
        v.toFixed(4),
        v.toPrecision(17),
        v.toExponential(6),
        String(Math.round(v * 1000)),
        v.toPrecision(7),
      ];
      texts.push(forms[i % forms.length]!);
    }
    const t = parseNumericCsv(texts.map((x) => `0,${x}`).join('\n'));
    texts.forEach((x, i) => {
      expect(t.features[i]).toBe(Math.fround(Number(x)));
    });
  });

  it('gives the same table from chunks split at line breaks', () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i % 2},${i * 0.25},${-i}`).join('\n');
    const reader = new CsvReader({ expectedRows: 4 });
    const bytes = new TextEncoder().encode(text);
    let start = 0;
    for (let cut = bytes.indexOf(10, 40); cut >= 0; cut = bytes.indexOf(10, cut + 40)) {
      reader.push(bytes.subarray(start, cut + 1));
      start = cut + 1;
    }
    reader.push(bytes.subarray(start));
    const whole = parseNumericCsv(text);
    const chunked = reader.finish();
    expect(chunked.nRows).toBe(50);
    expect(Array.from(chunked.features)).toEqual(Array.from(whole.features));
    expect(Array.from(chunked.labels)).toEqual(Array.from(whole.labels));
  });

  it('names the line and column of a corrupted value', () => {
    expect(errorOf('1,2,3\n0,4,x5\n')).toBe('data.csv: line 2, column 3: "x5" is not a finite number');
    expect(errorOf('label,f0\n1,2\n0,1.2.3\n')).toBe('data.csv: line 3, column 2 (f0): "1.2.3" is not a finite number');
    expect(errorOf('1,2\n0,1e999\n')).toBe('data.csv: line 2, column 2: "1e999" is not a finite number');
  });

  it('names a line with the wrong number of fields, or a missing label', () => {
    expect(errorOf('1,2,3\n0,4\n')).toBe('data.csv: line 2 has 2 fields; expected 3');
    expect(errorOf('1,2,3\n0,4,5,6\n')).toBe('data.csv: line 2 has 4 fields; expected 3');
    expect(errorOf('1,2\n,4\n')).toBe('data.csv: line 2, column 1 (label): "" is missing: every row needs a label');
    expect(errorOf('a,b\n1,2\n', { label: 'y' })).toBe('data.csv: no column named "y" in the header (a, b)');
    expect(errorOf('')).toBe('data.csv: no data rows');
  });
});
