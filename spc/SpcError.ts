/** Why a statistic cannot be computed; stable, so that an API can pass it on as `extensions.code`. */
export type SpcErrorCode =
  /** Fewer in-control points than the estimate needs (at least 2), or than the series holds. */
  | 'SPC_TOO_FEW_POINTS'
  /** The in-control phase has no spread (σ = 0): every limit would be the mean itself. */
  | 'SPC_ZERO_SIGMA'
  /** A parameter out of its range (λ ∉ (0, 1], L ≤ 0, USL ≤ LSL, a non-finite value...). */
  | 'SPC_BAD_PARAMETER';

/**
 * A statistic that cannot be computed on the given series. Pure code throws it; the API
 * maps `code` to a GraphQLError's `extensions.code`.
 * @example
 * try { ewma(points) } catch (e) { if (e instanceof SpcError) console.log(e.code) }
 */
export class SpcError extends Error {
  readonly code: SpcErrorCode;

  constructor(code: SpcErrorCode, message: string) {
    super(message);
    this.name = 'SpcError';
    this.code = code;
  }
}
