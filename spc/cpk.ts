import { meanAndSigma } from './inControl.js';
import { SpcError } from './SpcError.js';

/** The measurements of one characteristic and its specification limits. */
export interface CharacteristicSample {
  characteristic: string;
  values: readonly number[];
  lsl: number;
  usl: number;
}

/** Process capability of one characteristic. */
export interface CpkResult {
  characteristic: string;
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sigma: number;
  /** min(USL − μ, μ − LSL) / (3σ); negative when the mean lies outside the limits. */
  cpk: number;
}

/**
 * Cpk = min(USL − μ, μ − LSL) / (3σ) per characteristic, μ and σ from the sample itself.
 * Throws SPC_TOO_FEW_POINTS under 2 values, SPC_ZERO_SIGMA without spread,
 * SPC_BAD_PARAMETER when USL ≤ LSL.
 * @example cpk([{ characteristic: 'bore', values: [9.9, 10, 10.1], lsl: 9.5, usl: 10.5 }])[0]?.cpk // ≈ 1.667
 */
export function cpk(samples: readonly CharacteristicSample[]): CpkResult[] {
  return samples.map(({ characteristic, values, lsl, usl }) => {
    if (!(usl > lsl)) {
      throw new SpcError('SPC_BAD_PARAMETER', `${characteristic}: USL (${usl}) must exceed LSL (${lsl})`);
    }
    if (values.length < 2) {
      throw new SpcError('SPC_TOO_FEW_POINTS', `${characteristic}: Cpk needs at least 2 values (got ${values.length})`);
    }
    const { mean, sigma } = meanAndSigma(values);
    if (sigma === 0) throw new SpcError('SPC_ZERO_SIGMA', `${characteristic}: the values have no spread (σ = 0)`);
    return { characteristic, n: values.length, mean, sigma, cpk: Math.min(usl - mean, mean - lsl) / (3 * sigma) };
  });
}
