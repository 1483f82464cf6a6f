/**
 * Which variant answers an invocation: the one the target-variant header names, else one drawn by traffic weight.
 * A table is immutable; an update builds a new one and swaps it in with one assignment, so every request sees
 * either the old variants or the new ones, never a mix.
 */
import type { LiveVariant } from './live-variant.js';

export class RoutingTable {
  readonly variants: readonly LiveVariant[];
  readonly #byName: Map<string, LiveVariant>;
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(variants: readonly LiveVariant[]) {
    this.variants = variants;
    this.#byName = new Map(variants.map((v) => [v.name, v]));
    this.#cumulative = new Float64Array(variants.length);
    let sum = 0;
    variants.forEach((v, i) => {
      sum += v.weight;
      this.#cumulative[i] = sum;
    });
    this.#total = sum;
  }

  /**
   * The variant named by `target`, or (without a target) one picked with probability weight / total weight;
   * undefined when `target` names no variant. `random` is in [0, 1).
   */
  pick(target: string | undefined, random: number = Math.random()): LiveVariant | undefined {
    if (target !== undefined) return this.#byName.get(target);
    const x = random * this.#total;
    for (let i = 0; i < this.variants.length; i++) if (x < this.#cumulative[i]!) return this.variants[i];
    return this.variants.at(-1);
  }

  names(): string[] {
    return this.variants.map((v) => v.name);
  }

  /** Drains every variant (used on the table an update replaced, and on delete). */
  async stop(): Promise<void> {
    await Promise.all(this.variants.map((v) => v.stop()));
  }
}
