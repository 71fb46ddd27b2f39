import { cusum } from './cusum.js';
import { ewma } from './ewma.js';
import type { SpcMethod, SpcPoint, SpcSignal } from './signal.js';
import { westernElectric } from './westernElectric.js';

/**
 * Runs one method with its documented defaults (EWMA λ = 0.2, L = 3; CUSUM k = 0.5σ,
 * h = 5σ; the four Western Electric rules), μ and σ from the first `inControlPoints` points.
 * @example detect('EWMA', points, 10)
 */
export function detect(method: SpcMethod, points: readonly SpcPoint[], inControlPoints?: number): SpcSignal[] {
  switch (method) {
    case 'EWMA':
      return ewma(points, inControlPoints === undefined ? {} : { inControlPoints });
    case 'CUSUM':
      return cusum(points, inControlPoints === undefined ? {} : { inControlPoints });
    case 'WESTERN_ELECTRIC':
      return westernElectric(points, inControlPoints);
  }
}
