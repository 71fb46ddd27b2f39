import autocannon from 'autocannon';

/** One GraphQL request of a load mix. */
export interface MixEntry {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** What a load run measured (latencies in ms). */
export interface LoadRun {
  completed: number;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  status2xx: number;
  status4xx: number;
  status429: number;
  status5xx: number;
  /** Count per HTTP status. */
  statuses: Record<string, number>;
  /** Responses whose body holds at least one error with this `extensions.code`. */
  errorCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

const CODE = /"code":"([A-Z_]+)"/g;

/**
 * Sends `amount` GraphQL POSTs (or as many as fit in `durationSeconds`) over `connections`
 * keep-alive connections with autocannon, each connection cycling through the mix, with a
 * bearer token; counts statuses and the error codes found in the bodies.
 * @example const run = await fireLoad({ url, token, connections: 64, amount: 20_000, mix });
 * @example const run = await fireLoad({ url, token, connections: 16, durationSeconds: 10, mix });
 */
export function fireLoad(
  options: { url: string; token: string; connections: number; mix: readonly MixEntry[]; timeoutSeconds?: number } & ({ amount: number } | { durationSeconds: number }),
): Promise<LoadRun> {
  const errorCodes: Record<string, number> = {};
  const onResponse = (_status: number, body: string): void => {
    for (const code of new Set([...body.matchAll(CODE)].map((m) => m[1] ?? ''))) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
  };
  const requests = options.mix.map((m) => ({
    method: 'POST' as const,
    body: JSON.stringify({ query: m.query, ...(m.variables ? { variables: m.variables } : {}) }),
    onResponse,
  }));
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...('amount' in options ? { amount: options.amount } : { duration: options.durationSeconds }),
        timeout: options.timeoutSeconds ?? 30,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        requests,
      },
      (err, r) => {
        if (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([s, v]) => [s, v.count ?? 0]));
        resolve({
          completed: r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'],
          connections: r.connections,
          durationSeconds: r.duration,
          requestsPerSecond: Math.round(((r['2xx'] + r['4xx'] + r['5xx']) / r.duration) * 10) / 10,
          latency: { mean: r.latency.mean, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
          status2xx: r['2xx'],
          status4xx: r['4xx'],
          status429: statuses['429'] ?? 0,
          status5xx: r['5xx'],
          statuses,
          errorCodes,
          errors: r.errors,
          timeouts: r.timeouts,
        });
      },
    );
  });
}
