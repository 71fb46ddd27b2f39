import { SpcError } from './SpcError.js';
import type { SpcPoint } from './signal.js';

/** Mean and standard deviation of the in-control phase. */
export interface InControlEstimate {
  mean: number;
  /** Sample standard deviation (divisor n − 1). */
  sigma: number;
  /** How many points the estimate used. */
  n: number;
}

/** Mean and sample standard deviation (n − 1) of plain numbers; no checks on σ. */
export function meanAndSigma(values: readonly number[]): { mean: number; sigma: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, sigma: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}

/**
 * Estimates μ and σ from the first `n` points (the in-control phase).
 * Throws SPC_TOO_FEW_POINTS when n < 2 or the series is shorter than n, SPC_ZERO_SIGMA when
 * the phase has no spread, SPC_BAD_PARAMETER on a non-finite value.
 * @example inControl([{ time: 't0', value: 1 }, { time: 't1', value: 3 }], 2) // { mean: 2, sigma: √2, n: 2 }
 */
export function inControl(points: readonly SpcPoint[], n: number): InControlEstimate {
  if (!Number.isInteger(n) || n < 2) {
    throw new SpcError('SPC_TOO_FEW_POINTS', `the in-control phase needs at least 2 points (got ${n})`);
  }
  if (points.length < n) {
    throw new SpcError(
      'SPC_TOO_FEW_POINTS',
      `the in-control phase is ${n} points but the series has only ${points.length}`,
    );
  }
  for (const p of points) {
    if (!Number.isFinite(p.value)) throw new SpcError('SPC_BAD_PARAMETER', `value at ${p.time} is not finite`);
  }
  const { mean, sigma } = meanAndSigma(points.slice(0, n).map((p) => p.value));
  if (sigma === 0) {
    throw new SpcError('SPC_ZERO_SIGMA', `the ${n} in-control points have no spread (σ = 0)`);
  }
  return { mean, sigma, n };
}
