import type { CoarsenSpec } from './policyFile.js';
import { matchesRow } from './matchesRow.js';
import type { BoundRowFilter } from './rowFilter.js';
import { missingGrantReason, prohibitionReason } from './denialReason.js';
import type { TypeDecision } from './typeDecision.js';

/** The verdict on one field of one row: allowed (maybe coarsened), or denied with a reason. */
export type FieldAccess =
  | { allowed: true; coarsen?: CoarsenSpec; rules: string[] }
  | { allowed: false; reason: string; rules: string[] };

/** The least coarse of several specs of one field (the caller is entitled to the finest). */
function finest(specs: readonly CoarsenSpec[]): CoarsenSpec | undefined {
  const grains = ['day', 'week', 'month'];
  let best: CoarsenSpec | undefined;
  for (const spec of specs) {
    if (!best) best = spec;
    else if (spec.step !== undefined && best.step !== undefined && spec.step < best.step) best = spec;
    else if (spec.to !== undefined && best.to !== undefined && grains.indexOf(spec.to) < grains.indexOf(best.to)) best = spec;
  }
  return best;
}

/**
 * May this field of this (fetched) row be returned, and how? Allowed when some grant whose
 * filter matches the row allows the field and no prohibition whose filter matches the row
 * covers it (or the whole row). `coarsen` is set only when EVERY allowing grant coarsens the
 * field (a full grant wins; of several coarsened ones, the finest). A key field is allowed
 * whenever the row is visible: a prohibition can never hide a key field of a visible row.
 * `rules`: the allowing grants, or the prohibitions that deny.
 * @example fieldAccess(decision, 'onHand', { firmId: 'precimach', positionId: 'p1', onHand: 1234 })
 * // { allowed: true, coarsen: { step: 50 }, rules: ['members-plan-with-coarse-stock'] }
 */
export function fieldAccess(decision: TypeDecision, field: string, row: Readonly<Record<string, unknown>>): FieldAccess {
  const onRow = (filter: BoundRowFilter | null): boolean => filter === null || matchesRow(filter, row);
  const wholeRow = decision.denials.filter((d) => d.fields === '*' && onRow(d.rowFilter));
  if (wholeRow.length > 0) {
    return { allowed: false, reason: prohibitionReason(decision, wholeRow, undefined), rules: wholeRow.map((d) => d.ruleId) };
  }
  const visible = decision.grants.filter((g) => onRow(g.rowFilter));
  const isKey = decision.keyFields.includes(field);
  const denied = isKey ? [] : decision.denials.filter((d) => d.fields !== '*' && d.fields.has(field) && onRow(d.rowFilter));
  if (denied.length > 0) return { allowed: false, reason: prohibitionReason(decision, denied, field), rules: denied.map((d) => d.ruleId) };
  const allowing = isKey ? visible : visible.filter((g) => g.fields.has(field));
  if (allowing.length === 0) return { allowed: false, reason: missingGrantReason(decision, field), rules: [] };
  const rules = allowing.map((g) => g.ruleId);
  if (isKey) return { allowed: true, rules };
  const specs = allowing.map((g) => g.coarsen.get(field));
  const coarse = specs.every((s): s is CoarsenSpec => s !== undefined) ? finest(specs) : undefined;
  return coarse ? { allowed: true, coarsen: coarse, rules } : { allowed: true, rules };
}
