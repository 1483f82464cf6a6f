import { type IntrinsicArguments, intrinsicFailure, numberArg, roundedArg } from './intrinsics-support.js';
import type { Json } from './json.js';

/** States.MathAdd: the sum of two numbers, each first rounded to an integer as AWS rounds (1.5 → 2, -1.5 → -1). */
export function mathAdd(call: IntrinsicArguments): Json {
  return roundedArg(call, 0) + roundedArg(call, 1);
}

/**
 * States.MathRandom(start, end[, seed]): an integer with start <= n < end, the bounds rounded to integers first. With a
 * seed the result is deterministic: it is drawn as `new java.util.Random(seed).nextInt(end - start) + start`, the
 * generator AWS's Java runtime most plausibly uses; without one it comes from the injected random source.
 */
export function mathRandom(call: IntrinsicArguments): Json {
  const start = roundedArg(call, 0);
  const end = roundedArg(call, 1);
  if (end <= start) {
    throw intrinsicFailure(call.name, `the end (${end}) must be greater than the start (${start})`);
  }
  const range = end - start;
  if (call.values.length < 3) return start + Math.floor(call.env.random() * range);
  numberArg(call, 2);
  const generator = new JavaRandom(roundedArg(call, 2));
  return start + (range <= JavaRandom.MAX_INT ? generator.nextInt(range) : Math.floor(generator.nextDouble() * range));
}

/** States.UUID: a version 4 UUID built from the injected random source. */
export function uuid(call: IntrinsicArguments): Json {
  const bytes = Array.from({ length: 16 }, () => Math.floor(call.env.random() * 256) & 0xff);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const MULTIPLIER = 0x5deece66dn;
const MASK = (1n << 48n) - 1n;

/** java.util.Random's 48-bit linear congruential generator, bit for bit, so a seed gives Java's sequence. */
export class JavaRandom {
  static readonly MAX_INT = 2 ** 31 - 1;
  private seed: bigint;

  constructor(seed: number) {
    this.seed = (BigInt(seed) ^ MULTIPLIER) & MASK;
  }

  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + 0xbn) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  /** An integer in [0, bound), bound in [1, 2^31 - 1]: Java's rejection loop, with its int overflow made explicit. */
  nextInt(bound: number): number {
    let u = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(u)) >> 31n);
    // Java retries while `u - r + m` overflows int: u is from the last partial run of `bound`-sized buckets.
    for (;;) {
      const r = u % bound;
      if (((u - r + m) | 0) >= 0) return r;
      u = this.next(31);
    }
  }

  /** A double in [0, 1). */
  nextDouble(): number {
    return (this.next(26) * 2 ** 27 + this.next(27)) * 2 ** -53;
  }
}
