import type { OwnerRouter } from '../../routing/ownerRouter.js';
import { entityFetchPlan } from '../../routing/entityFetchPlan.js';
import type { FirmSubgraph } from '../../routing/types.js';

/** One fetch of the gateway's query plan to a firm-served subgraph: which owners it went to. */
export interface TracedFetch {
  subgraph: FirmSubgraph;
  /** Distinct owners of its representations, in order of first appearance. */
  owners: string[];
  /** Representations the gateway handed over, before per-owner de-duplication. */
  representations: number;
}

/**
 * Wraps `router.execute` (the gateway's data source calls it once per fetch node of the
 * query plan) to list each fetch with its distinct owners. Returns a function that hands
 * over, and clears, the fetches traced since the last call.
 */
export function traceRouter(router: OwnerRouter): () => TracedFetch[] {
  let traced: TracedFetch[] = [];
  const execute = router.execute.bind(router);
  router.execute = async (subgraph, request, headers) => {
    const planned = entityFetchPlan(request);
    const fetch: TracedFetch = { subgraph, owners: [], representations: 0 };
    if (planned.kind === 'plan') {
      fetch.owners = planned.plan.requests.map((r) => r.owner);
      const reps = request.variables?.representations;
      fetch.representations = Array.isArray(reps) ? reps.length : 0;
    }
    traced.push(fetch);
    return execute(subgraph, request, headers);
  };
  return () => {
    const out = traced;
    traced = [];
    return out;
  };
}
