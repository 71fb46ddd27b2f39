import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../seed/random.js';

describe('createRandom', () => {
  it('repeats its sequence for a seed, and differs across seeds', () => {
    const take = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  it('keeps int() within bounds, both included', () => {
    const random = createRandom(3);
    const seen = new Set(Array.from({ length: 500 }, () => random.int(1, 3)));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('refuses to pick from an empty array', () => {
    expect(() => createRandom(1).pick([])).toThrow();
  });
});
