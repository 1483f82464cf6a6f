/**
 * XXH64 (xxHash, 64-bit) over bytes, in 32-bit halves so it needs no BigInt. Spark hashes a string column's UTF-8
 * bytes with XXH64 (seed 42) for approx_count_distinct, which Deequ's distinct count uses; reproducing the hash
 * reproduces SageMaker's `distinct_count` (2698.0 for AWS's churn sample, checked in the tests).
 */

/** A 64-bit unsigned value as two unsigned 32-bit halves. */
export interface U64 {
  hi: number;
  lo: number;
}

const P1 = { hi: 0x9e3779b1, lo: 0x85ebca87 };
const P2 = { hi: 0xc2b2ae3d, lo: 0x27d4eb4f };
const P3 = { hi: 0x165667b1, lo: 0x9e3779f9 };
const P4 = { hi: 0x85ebca77, lo: 0xc2b2ae63 };
const P5 = { hi: 0x27d4eb2f, lo: 0x165667c5 };

function add(a: U64, b: U64): U64 {
  const lo = a.lo + b.lo;
  return { hi: (a.hi + b.hi + (lo > 0xffffffff ? 1 : 0)) >>> 0, lo: lo >>> 0 };
}

function sub(a: U64, b: U64): U64 {
  const lo = a.lo - b.lo;
  return { hi: (a.hi - b.hi - (lo < 0 ? 1 : 0)) >>> 0, lo: lo >>> 0 };
}

/** a * b modulo 2^64: the low halves' full 64-bit product (by 16-bit limbs) plus the cross terms' low 32 bits. */
function mul(a: U64, b: U64): U64 {
  const a0 = a.lo & 0xffff;
  const a1 = a.lo >>> 16;
  const b0 = b.lo & 0xffff;
  const b1 = b.lo >>> 16;
  const mid = a0 * b1 + a1 * b0;
  const low = a0 * b0 + (mid % 0x10000) * 0x10000;
  const carry = Math.floor(low / 0x100000000);
  const hi = a1 * b1 + Math.floor(mid / 0x10000) + carry + Math.imul(a.hi, b.lo) + Math.imul(a.lo, b.hi);
  return { hi: hi >>> 0, lo: low >>> 0 };
}

function xor(a: U64, b: U64): U64 {
  return { hi: (a.hi ^ b.hi) >>> 0, lo: (a.lo ^ b.lo) >>> 0 };
}

function rotl(a: U64, r: number): U64 {
  if (r === 32) return { hi: a.lo, lo: a.hi };
  if (r > 32) return rotl({ hi: a.lo, lo: a.hi }, r - 32);
  return { hi: ((a.hi << r) | (a.lo >>> (32 - r))) >>> 0, lo: ((a.lo << r) | (a.hi >>> (32 - r))) >>> 0 };
}

/** a >>> r for 0 < r < 64. */
function shr(a: U64, r: number): U64 {
  if (r >= 32) return { hi: 0, lo: a.hi >>> (r - 32) };
  return { hi: a.hi >>> r, lo: ((a.lo >>> r) | (a.hi << (32 - r))) >>> 0 };
}

function lane64(bytes: Uint8Array, i: number): U64 {
  return { hi: lane32(bytes, i + 4), lo: lane32(bytes, i) };
}

function lane32(bytes: Uint8Array, i: number): number {
  return (
    ((bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24)) >>> 0
  );
}

function round(acc: U64, input: U64): U64 {
  return mul(rotl(add(acc, mul(input, P2)), 31), P1);
}

function mergeRound(acc: U64, value: U64): U64 {
  return add(mul(xor(acc, round({ hi: 0, lo: 0 }, value)), P1), P4);
}

/** XXH64 of `bytes[start, end)` with a 32-bit seed. */
export function xxhash64(bytes: Uint8Array, start: number, end: number, seed: number): U64 {
  const len = end - start;
  const s: U64 = { hi: 0, lo: seed >>> 0 };
  let i = start;
  let h: U64;
  if (len >= 32) {
    let v1 = add(add(s, P1), P2);
    let v2 = add(s, P2);
    let v3 = s;
    let v4 = sub(s, P1);
    for (; i <= end - 32; i += 32) {
      v1 = round(v1, lane64(bytes, i));
      v2 = round(v2, lane64(bytes, i + 8));
      v3 = round(v3, lane64(bytes, i + 16));
      v4 = round(v4, lane64(bytes, i + 24));
    }
    h = add(add(add(rotl(v1, 1), rotl(v2, 7)), rotl(v3, 12)), rotl(v4, 18));
    h = mergeRound(mergeRound(mergeRound(mergeRound(h, v1), v2), v3), v4);
  } else {
    h = add(s, P5);
  }
  h = add(h, { hi: Math.floor(len / 0x100000000) >>> 0, lo: len >>> 0 });
  for (; i <= end - 8; i += 8) h = add(mul(rotl(xor(h, round({ hi: 0, lo: 0 }, lane64(bytes, i))), 27), P1), P4);
  if (i <= end - 4) {
    h = add(mul(rotl(xor(h, mul({ hi: 0, lo: lane32(bytes, i) }, P1)), 23), P2), P3);
    i += 4;
  }
  for (; i < end; i++) h = mul(rotl(xor(h, mul({ hi: 0, lo: bytes[i] ?? 0 }, P5)), 11), P1);
  h = mul(xor(h, shr(h, 33)), P2);
  h = mul(xor(h, shr(h, 29)), P3);
  return xor(h, shr(h, 32));
}
