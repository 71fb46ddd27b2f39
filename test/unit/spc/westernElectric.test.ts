import { describe, expect, it } from 'vitest';
import { westernElectric } from '../../../spc/index.js';
import { series } from './series.js';

// In-control 9, 10, 11 → μ = 10, σ = 1: zones 1σ = 9|11, 2σ = 8|12, 3σ = 7|13.
const rules = (values: number[]) =>
  westernElectric(series(values), 3).map((s) => [s.index, s.rule, s.value, s.limit]);

describe('westernElectric', () => {
  it('WE1: one point beyond 3σ, either side', () => {
    // 13.5 > 13 at index 3; 6.5 < 7 at index 4. Neither completes WE2 (one point beyond 2σ per side).
    expect(rules([9, 10, 11, 13.5, 6.5])).toEqual([
      [3, 'WE1', 13.5, 13],
      [4, 'WE1', 6.5, 7],
    ]);
  });

  it('WE2: 2 of 3 beyond 2σ on the same side, at the point that completes them', () => {
    // idx 3: window [10, 11, 12.5] has 1 beyond 12; idx 5: [12.5, 10, 12.5] has 2 → WE2.
    // WE3 at idx 5: [10, 11, 12.5, 10, 12.5] has 2 beyond 11 (11 is not beyond) → no.
    expect(rules([9, 10, 11, 12.5, 10, 12.5])).toEqual([[5, 'WE2', 12.5, 12]]);
    // Opposite sides do not add up: 12.5 and 7.5 in one window → nothing.
    expect(rules([9, 10, 11, 12.5, 7.5, 10])).toEqual([]);
  });

  it('WE3: 4 of 5 beyond 1σ on the same side', () => {
    // idx 6: window [11, 11.5, 11.5, 10, 11.5] → 3 beyond 11; idx 7: [11.5, 11.5, 10, 11.5, 11.5] → 4 → WE3.
    expect(rules([9, 10, 11, 11.5, 11.5, 10, 11.5, 11.5])).toEqual([[7, 'WE3', 11.5, 11]]);
    expect(rules([11, 10, 9, 8.5, 8.5, 10, 8.5, 8.5])).toEqual([[7, 'WE3', 8.5, 9]]);
  });

  it('WE4: 8 in a row on one side of the mean', () => {
    // idx 8: window idx 1..8 starts with 10 = μ (not above) → no; idx 9: 11, 10.5 ×7 → all above → WE4;
    // idx 10: 10.5 ×8 → WE4.
    expect(rules([9, 10, 11, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5, 10.5])).toEqual([
      [9, 'WE4', 10.5, 10],
      [10, 'WE4', 10.5, 10],
    ]);
  });

  it('one point can break several rules, reported in rule order', () => {
    // idx 3 = 14: WE1 (> 13); window [11, 12.5, 14] → 2 beyond 12 → WE2 as well.
    expect(rules([9, 10, 11, 12.5, 14]).map(([i, r]) => [i, r])).toEqual([
      [4, 'WE1'],
      [4, 'WE2'],
    ]);
  });

  it('refuses a flat in-control phase', () => {
    expect(() => westernElectric(series([1, 1, 1, 5]), 3)).toThrow(
      expect.objectContaining({ code: 'SPC_ZERO_SIGMA' }),
    );
  });
});
