import { describe, expect, it } from 'vitest';
import { parseCsvRows } from './csv-rows.js';
import { InvocationError } from './errors.js';
import { csvPredictions, jsonPredictions } from './predictions.js';

const names = ['a', 'b', 'c'];
const parse = (text: string) => parseCsvRows(Buffer.from(text), 3, names);

describe('invocation CSV', () => {
  it('reads every number exactly as Number() does, then as float32', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 48271) % 2147483647;
      return (seed / 2147483647) * 2 - 1;
    };
    const texts = Array.from({ length: 3000 }, (_, i) => {
      const v = random() * 10 ** ((i % 13) - 6);
      return i % 3 === 0 ? v.toFixed(i % 9) : i % 3 === 1 ? String(v) : v.toExponential(i % 7);
    });
    texts.push('0.000000000000000000000001', '123456789012345678', '+5', '-.5', '5.', '1e5', '007');
    const rows = texts.map((t, i) => `${t},${i},"${t}"`).join('\n');
    const { rows: values, nRows } = parse(rows);
    expect(nRows).toBe(texts.length);
    texts.forEach((t, i) => {
      expect(values[i * 3]).toBe(Math.fround(Number(t)));
      expect(values[i * 3 + 2]).toBe(Math.fround(Number(t)));
    });
  });

  it('takes an empty field, NaN or NA as missing, CRLF line ends, blank lines and spaces', () => {
    const { rows, nRows } = parse(' 1 ,,NaN\r\n\r\n2,NA, 3 \n');
    expect(nRows).toBe(2);
    expect(Array.from(rows)).toEqual([1, Number.NaN, Number.NaN, 2, Number.NaN, 3]);
  });

  it('refuses a value that is not a number, or a line with the wrong count, saying where (400)', () => {
    const error = (text: string) => {
      try {
        parse(text);
      } catch (e) {
        expect(e).toBeInstanceOf(InvocationError);
        expect((e as InvocationError).status).toBe(400);
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(error('1,2,3\n1,x2,3')).toBe('request body: line 2, column 2 (b): "x2" is not a number');
    expect(error('1,2,1e999')).toBe('request body: line 1, column 3 (c): "1e999" is not a number');
    expect(error('1,2,3,4')).toBe('request body: line 1 has 4 values but the model expects 3 features (a, b, c)');
    expect(error('1,2')).toContain('line 1 has 2 values');
  });

  it('prints predictions as CSV lines or JSON, one value or one array per row', () => {
    const values = Float64Array.of(0.25, 0.75, Number.NaN, 1);
    expect(csvPredictions(values, 1)).toBe('0.25\n0.75\n\n1\n');
    expect(csvPredictions(values, 2)).toBe('0.25,0.75\n,1\n');
    expect(jsonPredictions(values, 1)).toBe('{"predictions":[0.25,0.75,null,1]}');
    expect(JSON.parse(jsonPredictions(values, 2))).toEqual({
      predictions: [
        [0.25, 0.75],
        [null, 1],
      ],
    });
  });
});
