import { describe, expect, it } from 'vitest';
import { ewma, SpcError } from '../../../spc/index.js';
import { series } from './series.js';

// In-control phase: the first 3 points 9, 10, 11 → μ = 10, σ = √((1 + 0 + 1) / 2) = 1.
// λ = 0.2, L = 3: width_i = 3·1·√(0.2/1.8 · (1 − 0.8^{2i})) = √(1 − 0.64^i).
//   i=1 √0.36 = 0.6      i=5 √(1 − 0.107374) = 0.94479
//   i=6 √(1 − 0.068719) = 0.96503   i=7 √(1 − 0.043980) = 0.97776   i=8 √(1 − 0.028147) = 0.98583
// zᵢ = 0.2xᵢ + 0.8zᵢ₋₁, z₀ = 10:
//   x: 9      10     11      10       12        13         14          14
//   z: 9.8    9.84   10.072  10.0576  10.44608  10.956864  11.5654912  12.05239296
// z₆ − μ = 0.956864 < 0.96503 (no signal, just inside); z₇, z₈ beyond → signals at indexes 6, 7.
describe('ewma', () => {
  it('signals a drift upward at the hand-computed points, with the exact time-varying limits', () => {
    const points = series([9, 10, 11, 10, 12, 13, 14, 14]);
    const signals = ewma(points, { inControlPoints: 3 });
    expect(signals.map((s) => [s.index, s.rule])).toEqual([
      [6, 'EWMA_UPPER'],
      [7, 'EWMA_UPPER'],
    ]);
    const [first, second] = signals;
    expect(first?.value).toBeCloseTo(11.5654912, 9);
    expect(first?.limit).toBeCloseTo(10 + Math.sqrt(1 - 0.64 ** 7), 12);
    expect(first?.limit).toBeCloseTo(10.97776, 5);
    expect(first?.time).toBe(points[6]?.time);
    expect(first?.method).toBe('EWMA');
    expect(second?.value).toBeCloseTo(12.05239296, 9);
    expect(second?.limit).toBeCloseTo(10.98583, 5);
  });

  it('signals the mirrored drift downward', () => {
    const signals = ewma(series([11, 10, 9, 10, 8, 7, 6, 6]), { inControlPoints: 3 });
    expect(signals.map((s) => [s.index, s.rule])).toEqual([
      [6, 'EWMA_LOWER'],
      [7, 'EWMA_LOWER'],
    ]);
    expect(signals[0]?.value).toBeCloseTo(8.4345088, 9);
    expect(signals[0]?.limit).toBeCloseTo(9.02224, 5);
  });

  it('uses the exact (not the asymptotic) limit early in the chart', () => {
    // Phase 9, 11, 10 → μ = 10, σ = 1. z: 9.8, 10.04, 10.032, 0.2·14.5 + 0.8·10.032 = 10.9256.
    // width₄ = √(1 − 0.64⁴) = √0.83222784 = 0.91226 < 0.9256; the asymptotic width 1 would miss it.
    const signals = ewma(series([9, 11, 10, 14.5]), { inControlPoints: 3 });
    expect(signals.map((s) => s.index)).toEqual([3]);
    expect(signals[0]?.value).toBeCloseTo(10.9256, 9);
    expect(signals[0]?.limit).toBeCloseTo(10.91227, 4);
  });

  it('refuses a flat in-control phase and too few in-control points with a code', () => {
    expect(() => ewma(series([5, 5, 5, 9]), { inControlPoints: 3 })).toThrow(
      expect.objectContaining({ code: 'SPC_ZERO_SIGMA' }),
    );
    expect(() => ewma(series([5, 6, 7]), { inControlPoints: 1 })).toThrow(
      expect.objectContaining({ code: 'SPC_TOO_FEW_POINTS' }),
    );
    expect(() => ewma(series([5, 6, 7]), { inControlPoints: 4 })).toThrow(SpcError);
    expect(() => ewma(series([5, 6, 7]))).toThrow(expect.objectContaining({ code: 'SPC_TOO_FEW_POINTS' }));
    expect(() => ewma(series([5, 6, 7]), { inControlPoints: 2, lambda: 0 })).toThrow(
      expect.objectContaining({ code: 'SPC_BAD_PARAMETER' }),
    );
  });
});
