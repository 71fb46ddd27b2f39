import type { TradeRelationship } from './directory.js';

/**
 * How a calling firm stands to the owner of the data.
 * - `self`: the caller is the owner (and then it has no other relationship);
 * - `customer`: the caller buys from the owner directly (the owner supplies the caller);
 * - `supplier`: the caller sells to the owner directly;
 * - `any-customer`: the caller is above the owner anywhere in the declared chain (a direct
 *   or indirect customer: the owner supplies someone who ... supplies the caller);
 * - `any-supplier`: the caller is below the owner anywhere in the declared chain;
 * - `member`: any OTHER member of the cluster (never the owner itself).
 */
export type Relationship = 'self' | 'customer' | 'supplier' | 'any-customer' | 'any-supplier' | 'member';

export const RELATIONSHIPS: readonly Relationship[] = ['self', 'customer', 'supplier', 'any-customer', 'any-supplier', 'member'];

/** Whether `to` can be reached from `from` by following `next` (breadth first; cycles are visited once). */
function reaches(from: string, to: string, next: (firm: string) => readonly string[]): boolean {
  const seen = new Set<string>([from]);
  const queue = [from];
  for (let firm = queue.shift(); firm !== undefined; firm = queue.shift()) {
    for (const n of next(firm)) {
      if (n === to) return true;
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}

/**
 * Every relationship the caller firm has to the owner, from the declared trade relationships.
 * The owner itself is only `self`. A direct customer is also an `any-customer` (and a direct
 * supplier an `any-supplier`). A cycle in the declared graph is walked once, never forever.
 * @example relationshipsOf(rels, 'skyframe', 'structura') // ['customer', 'any-customer', 'member']
 * @example relationshipsOf(rels, 'skyframe', 'alumill')   // ['any-customer', 'member']
 */
export function relationshipsOf(
  relationships: readonly TradeRelationship[],
  callerFirmId: string,
  ownerFirmId: string,
): Relationship[] {
  if (callerFirmId === ownerFirmId) return ['self'];
  const out: Relationship[] = [];
  if (relationships.some((r) => r.supplier === ownerFirmId && r.customer === callerFirmId)) out.push('customer');
  if (relationships.some((r) => r.supplier === callerFirmId && r.customer === ownerFirmId)) out.push('supplier');
  const customersOf = (firm: string): string[] => relationships.filter((r) => r.supplier === firm).map((r) => r.customer);
  const suppliersOf = (firm: string): string[] => relationships.filter((r) => r.customer === firm).map((r) => r.supplier);
  if (reaches(ownerFirmId, callerFirmId, customersOf)) out.push('any-customer');
  if (reaches(ownerFirmId, callerFirmId, suppliersOf)) out.push('any-supplier');
  out.push('member');
  return out;
}
