import type { DataModel, GovernedType } from '../schema/model.js';
import { anyOf, except } from './combineFilters.js';
import type { CoarsenSpec, EffectivePolicy, PolicyRule } from './policyFile.js';
import { bindRowFilter, type BoundRowFilter } from './rowFilter.js';
import { ruleStatus } from './ruleStatus.js';
import type { AccessRequest, AggregateGrant, Denial, Grant, MembershipGrant, SkippedRule, TypeDecision } from './typeDecision.js';
import { effectiveRelationships } from './whoMatches.js';

function grantOf(rule: PolicyRule, type: GovernedType, rowFilter: BoundRowFilter | null): Grant {
  const fields = new Set<string>(type.keyFields);
  for (const field of rule.fields === '*' ? type.fields : rule.fields) {
    if (type.fields.includes(field) && !rule.exceptFields.includes(field)) fields.add(field);
  }
  const coarsen = new Map<string, CoarsenSpec>();
  if (rule.mode === 'coarsened') {
    for (const [field, spec] of Object.entries(rule.coarsen)) if (fields.has(field)) coarsen.set(field, spec);
  }
  return { ruleId: rule.id, origin: rule.origin, mode: rule.mode === 'coarsened' ? 'coarsened' : 'full', fields, rowFilter, coarsen };
}

function aggregateOf(rule: PolicyRule, rowFilter: BoundRowFilter | null): AggregateGrant | undefined {
  const spec = rule.aggregate;
  if (!spec) return undefined;
  return {
    ruleId: rule.id,
    origin: rule.origin,
    functions: new Set(spec.functions),
    measures: new Set(spec.measures),
    groupBy: new Set(spec.groupBy),
    minGroupSize: spec.minGroupSize,
    rowFilter,
  };
}

function denialOf(rule: PolicyRule, type: GovernedType, rowFilter: BoundRowFilter | null): Denial {
  const fields = rule.fields === '*' ? '*' : new Set(rule.fields.filter((f) => type.fields.includes(f) && !type.keyFields.includes(f)));
  return { ruleId: rule.id, origin: rule.origin, fields, rowFilter };
}

/**
 * The owner's decision on one governed type for one caller, under its effective policy
 * (cluster terms, its own rules, agreements). Default deny: only applicable permits grant.
 * A rule applies when its types and `who` name the caller and it is valid at `now`, its
 * purposes include the caller's (a rule with purposes never applies to a request without
 * one) and its reciprocity is met. Prohibitions (deny rules, of any origin) always win:
 * whole-row denials are taken out of the row filter, field denials out of the fields.
 * `self` counts only for the owner's own users, and `member` etc. never for them.
 * @example
 * const d = decideAccess(effectivePolicy(policy, terms, []), model, { caller, relationships, type: 'Shipment', now: new Date() });
 * d.rowFilter // { kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' }
 */
export function decideAccess(policy: EffectivePolicy, model: DataModel, request: AccessRequest): TypeDecision {
  const type = model.types[request.type];
  if (!type) {
    throw new TypeError(`decide: "${request.type}" is not a governed type (expected one of ${Object.keys(model.types).join(', ')})`);
  }
  const { caller } = request;
  const relationships = effectiveRelationships(policy.owner, caller.firmId, request.relationships);
  const grants: Grant[] = [];
  const aggregates: AggregateGrant[] = [];
  const memberships: MembershipGrant[] = [];
  const denials: Denial[] = [];
  const matchedRules: string[] = [];
  const skippedRules: SkippedRule[] = [];
  const ruleRequest = { owner: policy.owner, caller, relationships, type: type.name, now: request.now, reciprocity: request.reciprocity };
  for (const rule of policy.rules) {
    const status = ruleStatus(rule, ruleRequest);
    if (status.kind === 'unrelated') continue;
    if (status.kind === 'skipped') {
      skippedRules.push({ ruleId: rule.id, reason: status.reason });
      continue;
    }
    matchedRules.push(rule.id);
    const rowFilter = rule.rows ? bindRowFilter(rule.rows, { callerFirm: caller.firmId }) : null;
    if (rule.effect === 'deny') denials.push(denialOf(rule, type, rowFilter));
    else if (rule.mode === 'membership') memberships.push({ ruleId: rule.id, origin: rule.origin, rowFilter });
    else if (rule.mode === 'aggregate') {
      const aggregate = aggregateOf(rule, rowFilter);
      if (aggregate) aggregates.push(aggregate);
    } else grants.push(grantOf(rule, type, rowFilter));
  }

  const wholeRows = denials.filter((d) => d.fields === '*').map((d) => d.rowFilter);
  const rowFilter = except(anyOf(grants.map((g) => g.rowFilter)), wholeRows);
  const genealogy = grants.filter((g) => g.fields.has('components') && !denials.some((d) => d.rowFilter === null && d.fields !== '*' && d.fields.has('components')));
  const membershipRows = except(anyOf([...memberships, ...genealogy].map((g) => g.rowFilter)), wholeRows);
  const visibleFields = new Set<string>();
  if (rowFilter !== 'none') {
    const alwaysDenied = new Set(denials.flatMap((d) => (d.fields !== '*' && d.rowFilter === null ? [...d.fields] : [])));
    for (const grant of grants) for (const field of grant.fields) if (!alwaysDenied.has(field)) visibleFields.add(field);
  }
  return {
    type: type.name,
    owner: policy.owner,
    callerFirm: caller.firmId,
    roles: caller.roles,
    purpose: caller.purpose,
    relationships,
    grants,
    aggregates,
    memberships,
    membershipRows,
    denials,
    keyFields: type.keyFields,
    visibleFields,
    rowFilter,
    matchedRules,
    skippedRules,
  };
}
