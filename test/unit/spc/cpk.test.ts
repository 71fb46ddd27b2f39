import { describe, expect, it } from 'vitest';
import { cpk } from '../../../spc/index.js';

describe('cpk', () => {
  it('computes min(USL − μ, μ − LSL) / 3σ per characteristic', () => {
    const [bore, width] = cpk([
      // μ = 10, σ = √((0.01 + 0 + 0.01) / 2) = 0.1; min(10.5 − 10, 10 − 9.7) / 0.3 = 0.3 / 0.3 = 1
      { characteristic: 'bore', values: [9.9, 10, 10.1], lsl: 9.7, usl: 10.5 },
      // μ = 2, σ = √((1 + 1) / 1) = √2; min(8 − 2, 2 − 0) / (3√2) = 2 / 4.24264 = 0.47140
      { characteristic: 'width', values: [1, 3], lsl: 0, usl: 8 },
    ]);
    expect(bore?.characteristic).toBe('bore');
    expect(bore?.mean).toBeCloseTo(10, 12);
    expect(bore?.sigma).toBeCloseTo(0.1, 12);
    expect(bore?.cpk).toBeCloseTo(1, 10);
    expect(width?.n).toBe(2);
    expect(width?.cpk).toBeCloseTo(0.4714045, 6);
  });

  it('is negative when the mean is outside the limits', () => {
    // μ = 2, σ = √2: min(1 − 2, 2 − 0) / (3√2) = −1 / 4.24264 = −0.23570
    expect(cpk([{ characteristic: 'x', values: [1, 3], lsl: 0, usl: 1 }])[0]?.cpk).toBeCloseTo(-0.2357023, 6);
  });

  it('refuses σ = 0, a single value and USL ≤ LSL with a code', () => {
    expect(() => cpk([{ characteristic: 'x', values: [2, 2], lsl: 0, usl: 4 }])).toThrow(
      expect.objectContaining({ code: 'SPC_ZERO_SIGMA' }),
    );
    expect(() => cpk([{ characteristic: 'x', values: [2], lsl: 0, usl: 4 }])).toThrow(
      expect.objectContaining({ code: 'SPC_TOO_FEW_POINTS' }),
    );
    expect(() => cpk([{ characteristic: 'x', values: [1, 2], lsl: 4, usl: 4 }])).toThrow(
      expect.objectContaining({ code: 'SPC_BAD_PARAMETER' }),
    );
  });
});
