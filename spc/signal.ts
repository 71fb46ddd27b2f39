/** One observation of a time series, in time order. `time` is kept as given (ISO 8601). */
export interface SpcPoint {
  time: string;
  value: number;
}

/** The detection methods, as the API names them. */
export type SpcMethod = 'EWMA' | 'CUSUM' | 'WESTERN_ELECTRIC';

/**
 * The rule a signal broke:
 * - `EWMA_UPPER` / `EWMA_LOWER`: the EWMA statistic beyond its time-varying limit;
 * - `CUSUM_UPPER` / `CUSUM_LOWER`: the tabular CUSUM C⁺ / C⁻ beyond h;
 * - `WE1`: one point beyond 3σ; `WE2`: 2 of 3 beyond 2σ on one side; `WE3`: 4 of 5 beyond
 *   1σ on one side; `WE4`: 8 in a row on one side of the mean.
 */
export type SpcRule =
  | 'EWMA_UPPER'
  | 'EWMA_LOWER'
  | 'CUSUM_UPPER'
  | 'CUSUM_LOWER'
  | 'WE1'
  | 'WE2'
  | 'WE3'
  | 'WE4';

/**
 * A point that signals. `index` is the point's 0-based position in the series; `value` is
 * the charted statistic (z for EWMA, C⁺ or C⁻ for CUSUM, the reading for Western Electric)
 * and `limit` the limit it crossed (for WE4, the mean).
 */
export interface SpcSignal {
  index: number;
  time: string;
  method: SpcMethod;
  rule: SpcRule;
  value: number;
  limit: number;
}
