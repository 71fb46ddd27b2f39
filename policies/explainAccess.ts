import type { DataModel } from '../schema/model.js';
import { describeReleaseTable, releaseTable } from './aggregateRelease.js';
import { aggregateScope } from './aggregateScope.js';
import { decideAccess } from './decideAccess.js';
import { missingGrantReason, prohibitionReason } from './denialReason.js';
import { describeAggregate, describeCoarsen } from './describeRule.js';
import type { EffectivePolicy } from './policyFile.js';
import { describeRowFilter } from './rowFilter.js';
import type { BoundRowFilter } from './rowFilter.js';
import type { AccessRequest, SkippedRule, TypeDecision } from './typeDecision.js';

function rowsText(filters: readonly (BoundRowFilter | null)[]): string {
  return filters.map((f) => (f ? describeRowFilter(f) : 'any row')).join(' or ');
}

/** How one field of a type is shared with the caller, and by which rules. */
export interface FieldExplanation {
  field: string;
  allowed: boolean;
  mode: 'full' | 'coarsened' | null;
  /** The permits that give it (when denied by a prohibition: the prohibitions). */
  rules: string[];
  /** Why it is denied, or how it is restricted (rows, coarsening, partial prohibitions); null when plainly allowed. */
  reason: string | null;
}

/** Which rule permits or denies each field and the rows of a type, for one caller. */
export interface Explanation {
  owner: string;
  callerFirm: string;
  roles: string[];
  purpose: string | null;
  type: string;
  relationships: string[];
  fields: FieldExplanation[];
  /** The row filter in words; null = every row; 'none' = no row. */
  rows: string | null | 'none';
  /** Aggregates the caller may ask for, in words; null when none. */
  aggregate: string | null;
  matchedRules: string[];
  skippedRules: SkippedRule[];
}

function explainField(d: TypeDecision, field: string): FieldExplanation {
  const isKey = d.keyFields.includes(field);
  const granting = d.grants.filter((g) => isKey || g.fields.has(field));
  const whole = d.denials.filter((x) => x.fields === '*' && x.rowFilter === null);
  if (whole.length > 0) return { field, allowed: false, mode: null, rules: whole.map((x) => x.ruleId), reason: prohibitionReason(d, whole, undefined) };
  const denials = isKey ? [] : d.denials.filter((x) => x.fields !== '*' && x.fields.has(field));
  const everywhere = denials.filter((x) => x.rowFilter === null);
  if (everywhere.length > 0) return { field, allowed: false, mode: null, rules: everywhere.map((x) => x.ruleId), reason: prohibitionReason(d, everywhere, field) };
  if (d.rowFilter === 'none' || granting.length === 0) return { field, allowed: false, mode: null, rules: [], reason: missingGrantReason(d, field) };
  const notes: string[] = [];
  if (granting.every((g) => g.rowFilter !== null) && !isKey) {
    notes.push(`only on rows where ${rowsText(granting.map((g) => g.rowFilter))}`);
  }
  const coarseGrants = isKey ? [] : granting.filter((g) => g.coarsen.has(field));
  const fullGrants = granting.filter((g) => !coarseGrants.includes(g));
  const coarse = fullGrants.length === 0;
  const howCoarse = coarseGrants.map((g) => `${describeCoarsen(g.coarsen.get(field) ?? {})} (rule ${g.ruleId})`).join(' or ');
  if (coarse) notes.push(howCoarse);
  else if (coarseGrants.length > 0 && fullGrants.every((g) => g.rowFilter !== null)) {
    notes.push(`exact only on rows where ${rowsText(fullGrants.map((g) => g.rowFilter))}; elsewhere ${howCoarse}`);
  }
  if (denials.length > 0) notes.push(`except where ${prohibitionReason(d, denials, field)}`);
  if (isKey) notes.push('key field: comes with every visible row');
  return { field, allowed: true, mode: coarse ? 'coarsened' : 'full', rules: granting.map((g) => g.ruleId), reason: notes.length > 0 ? notes.join('; ') : null };
}

/**
 * Explains an owner's decision for one caller and type: for each field, whether it is
 * allowed, how (full or coarsened), by which rules, and why not; the row filter, the
 * aggregates on offer (and the release table every aggregate answer is summed from), the
 * rules that matched and those skipped (purpose, validity, reciprocity). The data behind
 * `Firm.explainAccess` and `dataspace policy explain`.
 * @example explainAccess(policy, model, { caller, relationships, type: 'Part', now }).fields.find((f) => f.field === 'unitCost')
 * // { field: 'unitCost', allowed: false, mode: null, rules: ['cluster:no-unit-costs'], reason: 'firm structura may not show ...' }
 */
export function explainAccess(policy: EffectivePolicy, model: DataModel, request: AccessRequest): Explanation {
  const d = decideAccess(policy, model, request);
  const type = model.types[d.type];
  const fields = (type?.fields ?? []).map((f) => explainField(d, f));
  const aggregate = d.aggregates.map((a) =>
    `${describeAggregate({ functions: [...a.functions], measures: [...a.measures], groupBy: [...a.groupBy], minGroupSize: a.minGroupSize })}${a.rowFilter ? ` on rows where ${describeRowFilter(a.rowFilter)}` : ''} (rule ${a.ruleId})`,
  );
  return {
    owner: d.owner,
    callerFirm: d.callerFirm,
    roles: [...d.roles],
    purpose: d.purpose ?? null,
    type: d.type,
    relationships: [...d.relationships],
    fields,
    rows: d.rowFilter === 'none' || d.rowFilter === null ? d.rowFilter : describeRowFilter(d.rowFilter),
    aggregate: aggregate.length > 0 ? `${aggregate.join('; ')}; ${describeReleaseTable(releaseTable(decideAccess(aggregateScope(policy), model, request)), d.callerFirm)}` : null,
    matchedRules: [...d.matchedRules],
    skippedRules: [...d.skippedRules],
  };
}
