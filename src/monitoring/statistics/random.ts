/**
 * A small seeded pseudo-random bit source (splitmix32) for the KLL sketch's compaction offsets: the same seed and the
 * same data give the same sketch, so a baseline is a pure function of its input and rebuilds byte for byte.
 */
export interface RandomBits {
  /** 0 or 1, uniformly. */
  bit(): 0 | 1;
}

export function seededBits(seed: number): RandomBits {
  let state = seed >>> 0;
  let word = 0;
  let left = 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    bit() {
      if (left === 0) {
        word = next();
        left = 32;
      }
      left -= 1;
      const b = word & 1;
      word >>>= 1;
      return b === 1 ? 1 : 0;
    },
  };
}
