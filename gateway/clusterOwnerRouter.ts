import type { Directory } from '../cluster/directory.js';
import type { Metrics } from '../http/metrics.js';
import type { CircuitBreakerOptions } from '../routing/circuitBreaker.js';
import { OwnerRouter } from '../routing/ownerRouter.js';

export interface ClusterOwnerRouterOptions {
  /** Per-firm timeout for one fetch, default 5000 ms. */
  firmTimeoutMs?: number | undefined;
  /** Per-firm circuit breaker (see OwnerRouter); default on. */
  circuitBreaker?: CircuitBreakerOptions | false | undefined;
}

/**
 * The owner router of a gateway (ours, or the stand-alone router in front of another one):
 * firm endpoints from the current directory, and its counters on the server's metrics —
 * subgraph requests sent, fetches skipped by an open circuit or cut by the request deadline,
 * circuits open and half-open.
 * @example const router = clusterOwnerRouter(directory, metrics, { firmTimeoutMs: 3000 });
 */
export function clusterOwnerRouter(directory: { current(): Directory | undefined }, metrics: Metrics, options: ClusterOwnerRouterOptions = {}): OwnerRouter {
  const router = new OwnerRouter({
    endpointOf: (firmId, subgraph) => directory.current()?.members.find((m) => m.id === firmId)?.endpoints[subgraph],
    timeoutMs: options.firmTimeoutMs ?? 5_000,
    onFetch: (e) => {
      if (e.sent) metrics.inc('dataspace_subgraph_requests_total');
      if (e.outcome === 'FIRM_CIRCUIT_OPEN' || e.outcome === 'REQUEST_TIMEOUT') metrics.inc(`dataspace_fetches_${e.outcome.toLowerCase()}_total`);
    },
    ...(options.circuitBreaker === undefined ? {} : { circuitBreaker: options.circuitBreaker }),
  });
  for (const state of ['open', 'half-open'] as const) {
    metrics.gauge(`dataspace_firm_circuits_${state.replace('-', '_')}`, () => [...router.stats.circuits.values()].filter((c) => c.state === state).length);
  }
  return router;
}

/**
 * What `GET /health` of a gateway or router says: the members it knows and the firms whose
 * circuit is not closed.
 * @example health: () => routerHealth(directory, router)
 */
export function routerHealth(directory: { current(): Directory | undefined }, router: OwnerRouter): { members: number; openCircuits: string[] } {
  return {
    members: directory.current()?.members.length ?? 0,
    openCircuits: [...router.stats.circuits].filter(([, c]) => c.state !== 'closed').map(([firmId]) => firmId),
  };
}
