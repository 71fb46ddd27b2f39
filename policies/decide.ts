import type { Relationship } from '../cluster/relationship.js';
import type { Caller } from '../identity/caller.js';
import type { DataModel, GovernedType } from '../schema/model.js';
import type { PolicyDocument, PolicyRule, WhoCondition } from './policyFile.js';
import { bindRowFilter, type BoundRowFilter } from './rowFilter.js';
import type { AccessRequest, Grant, TypeDecision } from './typeDecision.js';

export type { AccessRequest, Grant, TypeDecision } from './typeDecision.js';
export { fieldAllowed } from './fieldAllowed.js';
export { denialReason } from './denialReason.js';

/** Whether a rule's `who` holds for the caller: every given condition, any entry of each. */
function whoMatches(who: WhoCondition, caller: Caller, relationships: readonly Relationship[]): boolean {
  if (who.relationship && !who.relationship.some((r) => relationships.includes(r))) return false;
  if (who.firms && !who.firms.includes(caller.firmId)) return false;
  if (who.roles && !who.roles.some((r) => caller.roles.includes(r))) return false;
  return true;
}

function grantOf(rule: PolicyRule, type: GovernedType, callerFirm: string): Grant {
  const fields = new Set<string>(type.keyFields);
  for (const field of rule.fields === '*' ? type.fields : rule.fields) {
    if (type.fields.includes(field) && !rule.exceptFields.includes(field)) fields.add(field);
  }
  return { ruleId: rule.id, fields, rowFilter: rule.rows ? bindRowFilter(rule.rows, { callerFirm }) : null };
}

/**
 * The owner's decision on one governed type for one caller. Default deny: only permit rules
 * whose `who` and `types` match grant anything; no match (or no rule) gives no grant and
 * row filter `'none'`. The owner has no implicit access: `self` must be granted like anyone.
 * `self` counts only when the caller's firm is the policy's owner, whatever the request says.
 * @example
 * const d = decide(policy, model, { caller, relationships: ['customer', 'member'], type: 'Shipment' });
 * d.rowFilter // { kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' }
 */
export function decide(policy: PolicyDocument, model: DataModel, request: AccessRequest): TypeDecision {
  const type = model.types[request.type];
  if (!type) {
    throw new TypeError(`decide: "${request.type}" is not a governed type (expected one of ${Object.keys(model.types).join(', ')})`);
  }
  const { caller } = request;
  const relationships = request.relationships.filter((r) => r !== 'self' || caller.firmId === policy.firm);
  const grants = policy.rules
    .filter((rule) => (rule.types === '*' || rule.types.includes(type.name)) && whoMatches(rule.who, caller, relationships))
    .map((rule) => grantOf(rule, type, caller.firmId));

  const visibleFields = new Set<string>();
  for (const grant of grants) for (const field of grant.fields) visibleFields.add(field);

  let rowFilter: BoundRowFilter | null | 'none' = 'none';
  if (grants.some((g) => g.rowFilter === null)) rowFilter = null;
  else {
    const filters = grants.flatMap((g) => (g.rowFilter ? [g.rowFilter] : []));
    const [only] = filters;
    if (only) rowFilter = filters.length === 1 ? only : { kind: 'or', items: filters };
  }
  return {
    type: type.name,
    owner: policy.firm,
    relationships,
    grants,
    keyFields: type.keyFields,
    visibleFields,
    rowFilter,
    matchedRules: grants.map((g) => g.ruleId),
  };
}
