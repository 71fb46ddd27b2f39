import type { ClusterTopology } from '../../cluster/directory.js';

/** What the bound needs of a `recallImpact` answer: the lots with their hops, and the steps. */
export interface RecallShape {
  steps: number;
  lots: { lot: { firmId: string }; hops: number }[];
}

/**
 * The request bound for one recall: 1 + Σ over steps of the owners asked at that step.
 * A step asks the owners of the lots found at the previous hop (shipments, and DOWNWARD the
 * components); UPWARD it asks too the customers of those owners (only they know which of their
 * lots consumed them), as the topology's relationships name them.
 */
export function recallRequestBound(impact: RecallShape, topology: ClusterTopology, upward: boolean): number {
  let bound = 1;
  for (let hops = 0; hops < impact.steps; hops++) {
    const owners = new Set(impact.lots.filter((l) => l.hops === hops).map((l) => l.lot.firmId));
    const asked = new Set(owners);
    if (upward) for (const r of topology.relationships) if (owners.has(r.supplier)) asked.add(r.customer);
    bound += asked.size;
  }
  return bound;
}
