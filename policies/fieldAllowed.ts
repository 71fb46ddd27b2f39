import { matchesRow } from './matchesRow.js';
import type { TypeDecision } from './typeDecision.js';

/**
 * May this field of this (fetched) row be returned? True when some grant whose row filter
 * matches the row allows the field; key fields whenever the row matched any grant.
 * @example fieldAllowed(decide(policy, model, request), 'carrier', { firmId: 'structura', shipmentId: 's1', customerId: 'skyframe' })
 */
export function fieldAllowed(decision: TypeDecision, field: string, row: Readonly<Record<string, unknown>>): boolean {
  const isKey = decision.keyFields.includes(field);
  return decision.grants.some(
    (grant) => (isKey || grant.fields.has(field)) && (grant.rowFilter === null || matchesRow(grant.rowFilter, row)),
  );
}
