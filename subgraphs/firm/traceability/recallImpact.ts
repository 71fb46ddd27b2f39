import type { Directory } from '../../../cluster/directory.js';
import { badInput, forbidden, gatewayNotConfigured } from '../firmErrors.js';
import type { FirmContext } from '../firmContext.js';
import { traverseImpact, type ImpactResult, type TraversalCluster } from './impactTraversal.js';
import type { Direction } from './impactStep.js';

/** The most steps a traversal may take. */
export const MAX_TRAVERSAL_DEPTH = 20;
/**
 * The time a traversal has for its whole answer: under the gateway's default wait for a firm
 * (`firmTimeoutMs`, 5 s), so that a slow firm becomes a step's tombstone, never the recall's
 * own timeout. Each step asks the gateway for what remains (`x-dataspace-deadline-ms`).
 */
export const TRAVERSAL_BUDGET_MS = 4000;

/** The tiers and trade relationships of the directory, as the traversal asks for them. */
export function directoryCluster(directory: Directory): TraversalCluster {
  const tiers = new Map(directory.members.map((m) => [m.id, m.tier]));
  const customers = new Map<string, string[]>();
  for (const r of directory.relationships) customers.set(r.supplier, [...(customers.get(r.supplier) ?? []), r.customer]);
  return { tierOf: (id) => tiers.get(id), customersOf: (id) => customers.get(id) ?? [] };
}

/**
 * `Firm.recallImpact`: a traversal this firm runs for one of its own users (another firm's
 * user is refused: each firm runs, and pays for, its own users' traversals), through the
 * cluster's gateway with that user's own token, so that every owner applies its own policy to
 * every step and logs it. The firm itself reads nothing for it but through the gateway.
 * @example await recallImpact(ctx, { lot: { firmId: 'alumill', lotId: 'alumill-L0005' }, direction: 'UPWARD', depth: 10 })
 */
export async function recallImpact(ctx: FirmContext, args: Record<string, unknown>): Promise<ImpactResult> {
  if (ctx.access.caller.firmId !== ctx.firmId) {
    throw forbidden(ctx.firmId, 'Firm', 'recallImpact', `Firm ${ctx.firmId} runs traversals for its own users only; ask your own firm (firm(id: "${ctx.access.caller.firmId}")).`);
  }
  const lot = args.lot as { firmId?: unknown; lotId?: unknown } | undefined;
  const firmId = typeof lot?.firmId === 'string' ? lot.firmId : '';
  const lotId = typeof lot?.lotId === 'string' ? lot.lotId : '';
  if (!ctx.directory.members.some((m) => m.id === firmId)) throw badInput(ctx.firmId, `lot.firmId: ${firmId.slice(0, 64)} is not a member of the cluster.`);
  if (lotId === '') throw badInput(ctx.firmId, 'lot.lotId must not be empty.');
  const depth = args.depth ?? 10;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > MAX_TRAVERSAL_DEPTH) {
    throw badInput(ctx.firmId, `depth must be an integer from 1 to ${MAX_TRAVERSAL_DEPTH}.`);
  }
  if (!ctx.gateway) throw gatewayNotConfigured(ctx.firmId, 'recallImpact');
  const direction: Direction = args.direction === 'DOWNWARD' ? 'DOWNWARD' : 'UPWARD';
  const started = Date.now();
  return traverseImpact({
    origin: { firmId, lotId },
    direction,
    depth,
    cluster: directoryCluster(ctx.directory),
    ask: ctx.gateway,
    deadlineAt: started + TRAVERSAL_BUDGET_MS,
    now: Date.now,
  });
}
