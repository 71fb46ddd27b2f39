import { fieldAccess } from './fieldAccess.js';
import type { TypeDecision } from './typeDecision.js';

/**
 * @deprecated v1 API: use `fieldAccess(decision, field, row)`, which also says whether the
 * value must be coarsened (then apply `coarsenValue`). Fails closed for v1 callers, which
 * cannot coarsen: a field this row may only show coarsened is reported as not allowed.
 * May this field of this (fetched) row be returned exactly? See `fieldAccess`.
 * @example fieldAllowed(decide(policy, model, request), 'carrier', { firmId: 'structura', shipmentId: 's1', customerId: 'skyframe' })
 */
export function fieldAllowed(decision: TypeDecision, field: string, row: Readonly<Record<string, unknown>>): boolean {
  const access = fieldAccess(decision, field, row);
  return access.allowed && access.coarsen === undefined;
}
