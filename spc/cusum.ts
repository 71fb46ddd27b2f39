import { DEFAULT_IN_CONTROL_POINTS } from './ewma.js';
import { inControl } from './inControl.js';
import type { SpcPoint, SpcSignal } from './signal.js';

/** CUSUM parameters in units of σ; defaults k = 0.5, h = 5, in-control phase = 20 points. */
export interface CusumOptions {
  k?: number;
  h?: number;
  inControlPoints?: number;
}

/**
 * Tabular CUSUM: C⁺₀ = C⁻₀ = 0, C⁺ᵢ = max(0, xᵢ − (μ + K) + C⁺ᵢ₋₁),
 * C⁻ᵢ = max(0, (μ − K) − xᵢ + C⁻ᵢ₋₁), with K = kσ and H = hσ (k = 0.5, h = 5). μ and σ from the
 * first `inControlPoints` points. Every point where C⁺ > H (or C⁻ > H) signals; the sums are
 * not reset after a signal, so a sustained shift signals at each point until it ends.
 * @example cusum(points, { inControlPoints: 10 })[0]?.rule // 'CUSUM_UPPER'
 */
export function cusum(points: readonly SpcPoint[], options: CusumOptions = {}): SpcSignal[] {
  const { mean, sigma } = inControl(points, options.inControlPoints ?? DEFAULT_IN_CONTROL_POINTS);
  const K = (options.k ?? 0.5) * sigma;
  const H = (options.h ?? 5) * sigma;
  const signals: SpcSignal[] = [];
  let upper = 0;
  let lower = 0;
  points.forEach((p, index) => {
    upper = Math.max(0, p.value - (mean + K) + upper);
    lower = Math.max(0, mean - K - p.value + lower);
    if (upper > H) signals.push({ index, time: p.time, method: 'CUSUM', rule: 'CUSUM_UPPER', value: upper, limit: H });
    if (lower > H) signals.push({ index, time: p.time, method: 'CUSUM', rule: 'CUSUM_LOWER', value: lower, limit: H });
  });
  return signals;
}
