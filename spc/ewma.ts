import { inControl } from './inControl.js';
import { SpcError } from './SpcError.js';
import type { SpcPoint, SpcSignal } from './signal.js';

/** EWMA parameters; defaults λ = 0.2, L = 3, in-control phase = the first 20 points. */
export interface EwmaOptions {
  lambda?: number;
  L?: number;
  inControlPoints?: number;
}

export const DEFAULT_IN_CONTROL_POINTS = 20;

/**
 * EWMA chart: z₀ = μ, zᵢ = λxᵢ + (1 − λ)zᵢ₋₁ for i = 1..N (point index i − 1), with the exact
 * time-varying limits μ ± Lσ√(λ/(2 − λ) · (1 − (1 − λ)^{2i})). μ and σ come from the first
 * `inControlPoints` points; every point (the in-control phase included) is charted, and each
 * point whose zᵢ lies strictly beyond a limit is a signal.
 * @example ewma(points, { inControlPoints: 10 }).map((s) => s.index)
 */
export function ewma(points: readonly SpcPoint[], options: EwmaOptions = {}): SpcSignal[] {
  const lambda = options.lambda ?? 0.2;
  const L = options.L ?? 3;
  if (!(lambda > 0 && lambda <= 1)) throw new SpcError('SPC_BAD_PARAMETER', `λ must be in (0, 1] (got ${lambda})`);
  if (!(L > 0)) throw new SpcError('SPC_BAD_PARAMETER', `L must be positive (got ${L})`);
  const { mean, sigma } = inControl(points, options.inControlPoints ?? DEFAULT_IN_CONTROL_POINTS);
  const signals: SpcSignal[] = [];
  let z = mean;
  points.forEach((p, index) => {
    const i = index + 1;
    z = lambda * p.value + (1 - lambda) * z;
    const width = L * sigma * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * i)));
    if (z > mean + width) {
      signals.push({ index, time: p.time, method: 'EWMA', rule: 'EWMA_UPPER', value: z, limit: mean + width });
    } else if (z < mean - width) {
      signals.push({ index, time: p.time, method: 'EWMA', rule: 'EWMA_LOWER', value: z, limit: mean - width });
    }
  });
  return signals;
}
