import { describe, expect, it } from 'vitest';
import { type Classified, classify, inferType, type KindCounts, ValueKind } from './data-type.js';

function kindOf(text: string): { kind: ValueKind; value: number } {
  const bytes = new TextEncoder().encode(text);
  const out: Classified = { kind: ValueKind.String, value: 0 };
  classify(bytes, 0, bytes.length, out);
  return { kind: out.kind, value: out.value };
}

const counts = (c: Partial<KindCounts>): KindCounts => ({
  missing: 0,
  integral: 0,
  fractional: 0,
  boolean: 0,
  string: 0,
  ...c,
});

describe("Deequ's value patterns", () => {
  it.each([
    ['42', ValueKind.Integral, 42],
    ['-7', ValueKind.Integral, -7],
    ['+7', ValueKind.Integral, 7],
    ['007', ValueKind.Integral, 7],
    [' 5', ValueKind.Integral, 5],
    ['3.25', ValueKind.Fractional, 3.25],
    ['-0.5', ValueKind.Fractional, -0.5],
    ['.5', ValueKind.Fractional, 0.5],
    ['5.', ValueKind.Fractional, 5],
    ['274.4', ValueKind.Fractional, 274.4],
    ['123456789012.345678901', ValueKind.Fractional, Number('123456789012.345678901')],
  ])('reads %j as a number', (text, kind, value) => {
    expect(kindOf(text)).toEqual({ kind, value });
  });

  it.each([
    ['', ValueKind.Integral],
    ['-', ValueKind.Integral],
    ['- 5', ValueKind.Integral],
    ['.', ValueKind.Fractional],
  ])('classifies %j as a number type that does not parse, as Spark casts it to null', (text, kind) => {
    const got = kindOf(text);
    expect(got.kind).toBe(kind);
    expect(got.value).toBeNaN();
  });

  it.each([
    ['true', ValueKind.Boolean],
    ['false', ValueKind.Boolean],
    ['True', ValueKind.String],
    ['1e5', ValueKind.String],
    ['NaN', ValueKind.String],
    ['  5', ValueKind.String],
    ['5 ', ValueKind.String],
    ['1.2.3', ValueKind.String],
    ['basic', ValueKind.String],
    ['-0,5', ValueKind.String],
  ])('classifies %j as %s', (text, kind) => {
    expect(kindOf(text).kind).toBe(kind);
  });

  it('parses exactly as Number() does on long fractions', () => {
    for (const text of ['0.1', '0.30000000000000004', '179.6', '99999999999999.99', '1.000000000000000000001']) {
      expect(kindOf(text).value).toBe(Number(text));
    }
  });
});

describe('the type rule', () => {
  it('is Unknown when every value is null', () => {
    expect(inferType(counts({ missing: 5 }))).toBe('Unknown');
    expect(inferType(counts({}))).toBe('Unknown');
  });

  it('is String when any value is text, or booleans mix with numbers', () => {
    expect(inferType(counts({ integral: 99, string: 1 }))).toBe('String');
    expect(inferType(counts({ integral: 3, boolean: 1 }))).toBe('String');
    expect(inferType(counts({ fractional: 3, boolean: 1, missing: 2 }))).toBe('String');
  });

  it('writes an all-boolean column as String (the format has no Boolean type)', () => {
    expect(inferType(counts({ boolean: 4, missing: 1 }))).toBe('String');
  });

  it('is Fractional when any number has a decimal point, else Integral', () => {
    expect(inferType(counts({ integral: 100, fractional: 1 }))).toBe('Fractional');
    expect(inferType(counts({ integral: 100, missing: 3 }))).toBe('Integral');
  });
});
