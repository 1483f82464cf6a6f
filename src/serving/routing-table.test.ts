import { describe, expect, it } from 'vitest';
import type { LiveVariant } from './live-variant.js';
import { RoutingTable } from './routing-table.js';

const variant = (name: string, weight: number) => ({ name, weight }) as LiveVariant;

describe('routing table', () => {
  const table = new RoutingTable([variant('blue', 3), variant('dark', 0), variant('green', 1)]);

  it('sends to the target variant when one is named, and to none for an unknown name', () => {
    expect(table.pick('green', 0)?.name).toBe('green');
    expect(table.pick('dark', 0)?.name).toBe('dark');
    expect(table.pick('red', 0)).toBeUndefined();
  });

  it('splits traffic by weight, never to a variant of weight 0', () => {
    const picks = Array.from({ length: 1000 }, (_, i) => table.pick(undefined, i / 1000)?.name);
    expect(picks.filter((n) => n === 'blue')).toHaveLength(750);
    expect(picks.filter((n) => n === 'green')).toHaveLength(250);
    expect(picks).not.toContain('dark');
  });
});
