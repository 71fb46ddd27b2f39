import type { Caller } from '../identity/caller.js';
import { describeRowFilter } from './rowFilter.js';
import type { TypeDecision } from './typeDecision.js';

/**
 * A human reason why a field is denied, naming the owner, the caller (its relationships and
 * roles), the type and the field; for a field granted on some rows only, those rows' filter.
 * @example denialReason(decision, 'unitCost', caller)
 * // 'no rule of firm structura grants skyframe (customer, member; roles planner) the field unitCost of Part'
 */
export function denialReason(decision: TypeDecision, field: string, caller: Caller): string {
  const who = `${caller.firmId} (${decision.relationships.join(', ') || 'no relationship'}; roles ${caller.roles.join(', ') || 'none'})`;
  const what = `the field ${field} of ${decision.type}`;
  const isKey = decision.keyFields.includes(field);
  const granting = decision.grants.filter((g) => isKey || g.fields.has(field));
  if (granting.length === 0) return `no rule of firm ${decision.owner} grants ${who} ${what}`;
  const where = granting.map((g) => (g.rowFilter ? describeRowFilter(g.rowFilter) : 'any row')).join(' or ');
  const rules = granting.map((g) => g.ruleId).join(', ');
  return `firm ${decision.owner} grants ${who} ${what} only on rows where ${where} (rule ${rules}), and this row is not one of them`;
}
