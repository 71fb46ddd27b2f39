import type { BoundRowFilter } from './rowFilter.js';

/**
 * The OR of filters where `null` means every row: null when any is null, 'none' when there
 * are none (no row). Identical filters (e.g. a baseline and a firm rule on the same rows)
 * appear once.
 * @example anyOf([a, null]) // null
 */
export function anyOf(filters: readonly (BoundRowFilter | null)[]): BoundRowFilter | null | 'none' {
  if (filters.length === 0) return 'none';
  if (filters.some((f) => f === null)) return null;
  const seen = new Set<string>();
  const items = filters.filter((f): f is BoundRowFilter => {
    const key = JSON.stringify(f);
    if (f === null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const [only] = items;
  return only && items.length === 1 ? only : { kind: 'or', items };
}

/**
 * `allowed` AND NOT (OR of `excluded`), where null means every row: the rows some permit
 * allows and no prohibition takes away; 'none' when nothing is left for sure.
 * @example except(null, [{ kind: 'cmp', field: 'status', op: 'eq', value: 'HELD' }]) // { kind: 'not', item: ... }
 */
export function except(allowed: BoundRowFilter | null | 'none', excluded: readonly (BoundRowFilter | null)[]): BoundRowFilter | null | 'none' {
  if (allowed === 'none') return 'none';
  const removed = anyOf(excluded);
  if (removed === 'none') return allowed;
  if (removed === null) return 'none';
  const not: BoundRowFilter = { kind: 'not', item: removed };
  return allowed === null ? not : { kind: 'and', items: [allowed, not] };
}
