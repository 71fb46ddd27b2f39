import { describe, expect, it } from 'vitest';
import { cusum } from '../../../spc/index.js';
import { series } from './series.js';

// In-control 9, 10, 11 → μ = 10, σ = 1, so K = 0.5, H = 5.
// C⁺ᵢ = max(0, xᵢ − 10.5 + C⁺ᵢ₋₁), C⁻ᵢ = max(0, 9.5 − xᵢ + C⁻ᵢ₋₁).
describe('cusum', () => {
  it('signals the upper sum once it exceeds H (strictly)', () => {
    //   x:  9    10   11   12   12   12   12   8
    //  C⁺:  0    0    0.5  2    3.5  5    6.5  4     (5 = H is not beyond it)
    //  C⁻:  0.5  0    0    0    0    0    0    1.5
    const signals = cusum(series([9, 10, 11, 12, 12, 12, 12, 8]), { inControlPoints: 3 });
    expect(signals).toEqual([
      expect.objectContaining({ index: 6, method: 'CUSUM', rule: 'CUSUM_UPPER', value: 6.5, limit: 5 }),
    ]);
  });

  it('signals the lower sum at every point beyond H (no reset)', () => {
    //   x:  11   10   9    7    7    7    7
    //  C⁻:  0    0    0.5  3    5.5  8    10.5
    //  C⁺:  0.5  0    0    0    0    0    0
    const signals = cusum(series([11, 10, 9, 7, 7, 7, 7]), { inControlPoints: 3 });
    expect(signals.map((s) => [s.index, s.rule, s.value])).toEqual([
      [4, 'CUSUM_LOWER', 5.5],
      [5, 'CUSUM_LOWER', 8],
      [6, 'CUSUM_LOWER', 10.5],
    ]);
  });

  it('takes k and h in units of σ', () => {
    // in-control 8, 12 → μ = 10, σ = √8 = 2.828; k = 0.5 → K = 1.414, h = 1 → H = 2.828
    // x = 8, 12, 14: C⁺ = 0, 0.586, 0.586 + 2.586 = 3.172 > 2.828 → signal at 2
    const signals = cusum(series([8, 12, 14]), { inControlPoints: 2, h: 1 });
    expect(signals.map((s) => s.index)).toEqual([2]);
    expect(signals[0]?.value).toBeCloseTo(6 - 2 * Math.SQRT2, 12);
    expect(signals[0]?.limit).toBeCloseTo(2 * Math.SQRT2, 12);
  });

  it('refuses σ = 0 and a phase longer than the series', () => {
    expect(() => cusum(series([3, 3, 4]), { inControlPoints: 2 })).toThrow(
      expect.objectContaining({ code: 'SPC_ZERO_SIGMA' }),
    );
    expect(() => cusum(series([3, 4]), { inControlPoints: 3 })).toThrow(
      expect.objectContaining({ code: 'SPC_TOO_FEW_POINTS' }),
    );
  });
});
