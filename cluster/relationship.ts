import type { TradeRelationship } from './directory.js';

/**
 * How a calling firm stands to the owner of the data.
 * - `self`: the caller is the owner;
 * - `customer`: the caller buys from the owner (owner supplies caller);
 * - `supplier`: the caller sells to the owner;
 * - `member`: any member of the cluster (every trusted caller is one).
 */
export type Relationship = 'self' | 'customer' | 'supplier' | 'member';

export const RELATIONSHIPS: readonly Relationship[] = ['self', 'customer', 'supplier', 'member'];

/**
 * Every relationship the caller firm has to the owner, from the declared trade relationships.
 * @example relationshipsOf(rels, 'skyframe', 'structura') // ['customer', 'member']
 */
export function relationshipsOf(
  relationships: readonly TradeRelationship[],
  callerFirmId: string,
  ownerFirmId: string,
): Relationship[] {
  const out: Relationship[] = [];
  if (callerFirmId === ownerFirmId) out.push('self');
  if (relationships.some((r) => r.supplier === ownerFirmId && r.customer === callerFirmId)) out.push('customer');
  if (relationships.some((r) => r.supplier === callerFirmId && r.customer === ownerFirmId)) out.push('supplier');
  out.push('member');
  return out;
}
