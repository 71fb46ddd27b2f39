import type { Caller } from '../identity/caller.js';
import type { RuleOrigin } from './policyFile.js';
import { describeRowFilter } from './rowFilter.js';
import type { Denial, TypeDecision } from './typeDecision.js';

const ORIGIN_TEXT: Record<RuleOrigin, string> = { firm: 'firm policy', cluster: 'cluster terms', agreement: 'agreement' };

/**
 * The caller as reasons name it.
 * @example callerText(decision) // 'skyframe (customer, member; roles planner)'
 */
export function callerText(decision: TypeDecision, firm = decision.callerFirm, roles = decision.roles): string {
  return `${firm} (${decision.relationships.join(', ') || 'no relationship'}; roles ${roles.join(', ') || 'none'})`;
}

/**
 * Why no grant gives a field (on this row): no rule at all, or rules on other rows only.
 * @example missingGrantReason(decision, 'carrier') // 'no rule of firm structura grants skyframe (...) the field carrier of Shipment'
 */
export function missingGrantReason(decision: TypeDecision, field: string, who = callerText(decision)): string {
  const what = `the field ${field} of ${decision.type}`;
  const isKey = decision.keyFields.includes(field);
  const granting = decision.grants.filter((g) => isKey || g.fields.has(field));
  if (granting.length === 0) return `no rule of firm ${decision.owner} grants ${who} ${what}`;
  const where = granting.map((g) => (g.rowFilter ? describeRowFilter(g.rowFilter) : 'any row')).join(' or ');
  const rules = granting.map((g) => g.ruleId).join(', ');
  return `firm ${decision.owner} grants ${who} ${what} only on rows where ${where} (rule ${rules}), and this row is not one of them`;
}

/**
 * Why prohibitions hide a field (or, with `field` undefined, whole rows).
 * @example prohibitionReason(decision, decision.denials, 'unitCost')
 * // 'firm structura may not show skyframe (...) the field unitCost of Part: prohibited by rule cluster:no-unit-costs (cluster terms)'
 */
export function prohibitionReason(decision: TypeDecision, denials: readonly Denial[], field: string | undefined, who = callerText(decision)): string {
  const what = field === undefined ? `rows of ${decision.type}` : `the field ${field} of ${decision.type}`;
  const by = denials
    .map((d) => `${d.ruleId} (${ORIGIN_TEXT[d.origin]}${d.rowFilter ? `, on rows where ${describeRowFilter(d.rowFilter)}` : ''})`)
    .join(', ');
  return `firm ${decision.owner} may not show ${who} ${what}: prohibited by rule ${by}`;
}

/**
 * @deprecated v1 API: use `fieldAccess(decision, field, row)`, whose `reason` is per row.
 * A human reason why a field is denied, naming the owner, the caller (its relationships and
 * roles), the type and the field; for a field granted on some rows only, those rows' filter;
 * for a field (or type) a prohibition hides everywhere, the prohibiting rule.
 * @example denialReason(decision, 'unitCost', caller)
 * // 'no rule of firm structura grants skyframe (customer, member; roles planner) the field unitCost of Part'
 */
export function denialReason(decision: TypeDecision, field: string, caller: Caller): string {
  const who = callerText(decision, caller.firmId, caller.roles);
  const whole = decision.denials.filter((d) => d.fields === '*' && d.rowFilter === null);
  if (whole.length > 0) return prohibitionReason(decision, whole, undefined, who);
  const isKey = decision.keyFields.includes(field);
  const fieldDenials = decision.denials.filter((d) => !isKey && d.fields !== '*' && d.rowFilter === null && d.fields.has(field));
  if (fieldDenials.length > 0) return prohibitionReason(decision, fieldDenials, field, who);
  const giving = decision.grants.filter((g) => g.fields.has(field));
  if (!isKey && giving.length > 0 && giving.every((g) => g.coarsen.has(field))) {
    return `firm ${decision.owner} grants ${who} the field ${field} of ${decision.type} only coarsened (rule ${giving.map((g) => g.ruleId).join(', ')}), which this server does not apply yet: withheld`;
  }
  return missingGrantReason(decision, field, who);
}
