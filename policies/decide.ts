import type { DataModel } from '../schema/model.js';
import { decideAccess } from './decideAccess.js';
import { effectivePolicy } from './effectivePolicy.js';
import type { PolicyDocument } from './policyFile.js';
import type { AccessRequest, TypeDecision } from './typeDecision.js';

export type { AccessRequest, AggregateGrant, Denial, Grant, SkippedRule, TypeDecision } from './typeDecision.js';
export { decideAccess } from './decideAccess.js';
export { fieldAccess, type FieldAccess } from './fieldAccess.js';
export { fieldAllowed } from './fieldAllowed.js';
export { denialReason } from './denialReason.js';

/** The v1 request: no clock, no reciprocity function (`now` defaults to the current time). */
export type LegacyAccessRequest = Pick<AccessRequest, 'caller' | 'relationships' | 'type'> & Partial<Pick<AccessRequest, 'now' | 'reciprocity'>>;

/**
 * @deprecated v1 API, kept for existing callers: use {@link decideAccess} with an
 * `EffectivePolicy` (cluster terms and agreements included) and an injected `now`.
 * Decides under the firm's own policy only (no cluster terms, no agreements), now.
 * @example
 * const d = decide(policy, model, { caller, relationships: ['customer', 'member'], type: 'Shipment' });
 * d.rowFilter // { kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' }
 */
export function decide(policy: PolicyDocument, model: DataModel, request: LegacyAccessRequest): TypeDecision {
  return decideAccess(effectivePolicy(policy, undefined, []), model, { ...request, now: request.now ?? new Date() });
}
