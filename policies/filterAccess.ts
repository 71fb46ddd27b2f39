import { anyOf, except } from './combineFilters.js';
import { callerText, prohibitionReason } from './denialReason.js';
import type { BoundRowFilter } from './rowFilter.js';
import type { TypeDecision } from './typeDecision.js';

/**
 * The verdict on filtering (or listing by) a field of a type: the rows on which the caller
 * may read the field exactly — the only rows a filter on it may consider — or a refusal.
 * `rows: null` = every visible row.
 */
export type FilterAccess = { allowed: true; rows: BoundRowFilter | null; rules: string[] } | { allowed: false; reason: string };

/**
 * May the caller filter the rows of a type by a field, and on which rows? A filter on a field
 * is a read of it: a list that keeps the rows whose value equals the caller's answers what
 * that value is, row by row. So a filter only ever considers rows where the caller could read
 * the field as stored, exactly as {@link fieldAccess} decides it row by row: rows of a grant
 * that gives the field without coarsening it, minus the rows where a prohibition hides the
 * field or the whole row. A key field is readable on every visible row. Rows where the field
 * is hidden (or only coarsened) are left out of the filter whatever their value, so the
 * answer says nothing about them. When no row is left, the filter is refused: the caller
 * gets an error naming the field, never an empty list that tells something.
 * @example
 * filterAccess(decision, 'status')
 * // { allowed: false, reason: 'firm structura does not let skyframe (...) read the field status of Lot, so it may not filter by it' }
 */
export function filterAccess(decision: TypeDecision, field: string): FilterAccess {
  if (decision.rowFilter === 'none') return { allowed: false, reason: cannotRead(decision, field, 'no row of the type is visible to it') };
  if (decision.keyFields.includes(field)) {
    return { allowed: true, rows: decision.rowFilter, rules: decision.grants.map((g) => g.ruleId) };
  }
  const exact = decision.grants.filter((g) => g.fields.has(field) && !g.coarsen.has(field));
  const hiding = decision.denials.filter((d) => d.fields === '*' || d.fields.has(field));
  if (exact.length === 0) {
    const coarse = decision.grants.filter((g) => g.fields.has(field));
    const why = coarse.length > 0 ? `it is granted only coarsened (rule ${coarse.map((g) => g.ruleId).join(', ')})` : 'no rule grants it';
    return { allowed: false, reason: cannotRead(decision, field, why) };
  }
  const everywhere = hiding.filter((d) => d.rowFilter === null);
  if (everywhere.length > 0) return { allowed: false, reason: `${prohibitionReason(decision, everywhere, field)}; it may not filter by it either` };
  const rows = except(anyOf(exact.map((g) => g.rowFilter)), hiding.map((d) => d.rowFilter));
  if (rows === 'none') return { allowed: false, reason: cannotRead(decision, field, 'no row is left where it may read it') };
  return { allowed: true, rows, rules: exact.map((g) => g.ruleId) };
}

function cannotRead(decision: TypeDecision, field: string, why: string): string {
  return `firm ${decision.owner} does not let ${callerText(decision)} read the field ${field} of ${decision.type} (${why}), so it may not filter or list by it`;
}
