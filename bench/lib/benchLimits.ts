import type { ClusterOptions } from '../../local/startCluster.js';

/**
 * Limits for measuring the cluster, not its guards: rate limits off (a benchmark sends far
 * more than 50 requests a second from one firm) and the cost estimate measured, not
 * enforced (large `first` values are the point). Every other limit stays in force.
 */
export const BENCH_LIMITS: NonNullable<ClusterOptions['limits']> = {
  gateway: { rateLimit: false, costMode: 'measure' },
  subgraphs: { rateLimit: false, costMode: 'measure' },
};
