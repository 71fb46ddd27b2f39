import { describe, expect, it } from 'vitest';
import { aggregateAccess, type AggregateAsk } from '../../../policies/aggregateAccess.js';
import { releaseTable } from '../../../policies/aggregateRelease.js';
import { aggregateScope } from '../../../policies/aggregateScope.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import type { TypeDecision } from '../../../policies/typeDecision.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';

const policy = effectivePolicy(
  v2Policy(`
  - id: analysts-stats
    who: { relationship: [member], roles: [analyst] }
    types: [QualityInspection]
    purposes: [benchmarking]
    mode: aggregate
    aggregate:
      functions: [count, avg]
      measures: [value]
      groupBy: [characteristic]
      minGroupSize: 5
  - id: analysts-fails
    who: { relationship: [member], roles: [analyst] }
    types: [QualityInspection]
    mode: aggregate
    rows: { result: FAIL }
    aggregate:
      functions: [count, min, max]
      measures: [value, upperLimit]
      groupBy: [characteristic, unit]
      minGroupSize: 10
  - id: everything-for-customers
    who: { relationship: [customer] }
    types: [QualityInspection]
    fields: "*"
  - id: no-scrap
    effect: deny
    who: { relationship: [member] }
    types: [QualityInspection]
    fields: "*"
    rows: { unit: scrap }
  - id: no-limits-for-cuprum
    effect: deny
    who: { firms: [cuprum] }
    types: [QualityInspection]
    fields: [upperLimit]
`),
  undefined,
  [],
);

function decision(firm: string, purpose?: string, relationships: ('member' | 'customer')[] = ['member'], roles = ['analyst']) {
  const c = caller(firm, roles);
  if (purpose) c.purpose = purpose;
  return decideAccess(policy, model, { caller: c, relationships, type: 'QualityInspection', now: NOW });
}
/** The verdict as the firm subgraph computes it: the request's decision, the caller firm's release table. */
function access(d: TypeDecision, ask: AggregateAsk) {
  const c = caller(d.callerFirm, [...d.roles]);
  if (d.purpose) c.purpose = d.purpose;
  const scope = decideAccess(aggregateScope(policy), model, { caller: c, relationships: d.relationships, type: d.type, now: NOW });
  return aggregateAccess(d, releaseTable(scope), ask);
}
const NOT_SCRAP = { kind: 'not', item: { kind: 'cmp', field: 'unit', op: 'eq', value: 'scrap' } };
const FAIL = { kind: 'cmp', field: 'result', op: 'eq', value: 'FAIL' };
const CELLS = { groupBy: ['characteristic', 'unit'], hiddenKeys: [FAIL] };

describe('aggregateAccess', () => {
  it('aggregate grants show no row', () => {
    const d = decision('avionix', 'benchmarking');
    expect(d.aggregates.map((a) => a.ruleId)).toEqual(['analysts-stats', 'analysts-fails']);
    expect(d.grants).toEqual([]);
    expect(d.rowFilter).toBe('none');
  });

  it('one grant covering groupBy, functions and measures; the cells and k of the whole release table; whole-row prohibitions out of the rows', () => {
    expect(access(decision('avionix', 'benchmarking'), { groupBy: ['characteristic'], measures: [{ fn: 'count' }, { fn: 'avg', field: 'value' }] })).toEqual({
      allowed: true,
      minGroupSize: 10, // analysts-fails is in the firm's table too: k = 10, not analysts-stats' 5
      rowFilter: NOT_SCRAP,
      cells: CELLS,
      rules: ['analysts-stats'],
    });
  });

  it('k is the largest of the release table, rows the cells the covering grants cover, whatever the purpose', () => {
    expect(access(decision('avionix', 'benchmarking'), { groupBy: ['characteristic'], measures: [{ fn: 'count' }] })).toEqual({
      allowed: true,
      minGroupSize: 10,
      rowFilter: NOT_SCRAP, // analysts-stats covers every row
      cells: CELLS,
      rules: ['analysts-stats', 'analysts-fails'],
    });
    // without a purpose only the purpose-less grant applies, but over the same cells and k
    expect(access(decision('avionix'), { groupBy: ['unit'], measures: [{ fn: 'max', field: 'upperLimit' }] })).toEqual({
      allowed: true,
      minGroupSize: 10,
      rowFilter: { kind: 'and', items: [NOT_SCRAP, FAIL] },
      cells: CELLS,
      rules: ['analysts-fails'],
    });
  });

  it('refuses what no single grant covers, saying what is on offer', () => {
    const d = decision('avionix', 'benchmarking');
    const mixed = access(d, { groupBy: ['unit'], measures: [{ fn: 'avg', field: 'value' }] });
    expect(mixed.allowed).toBe(false);
    expect(mixed.allowed === false && mixed.reason).toBe(
      'no rule of firm structura grants avionix (member; roles analyst) the aggregate avg(value) by unit of QualityInspection; it may ask for: count, avg of value by characteristic (rule analysts-stats); count, min, max of value, upperLimit by characteristic, unit (rule analysts-fails)',
    );
    expect(access(d, { groupBy: [], measures: [{ fn: 'sum', field: 'value' }] }).allowed).toBe(false);
    expect(access(d, { groupBy: [], measures: [{ fn: 'avg' }] })).toEqual({ allowed: false, reason: 'aggregate avg needs a field' });
  });

  it('a field prohibition on a used field refuses; on an unused field it does not matter', () => {
    const d = decision('cuprum');
    const r = access(d, { groupBy: ['unit'], measures: [{ fn: 'max', field: 'upperLimit' }] });
    expect(r).toEqual({
      allowed: false,
      reason: 'firm structura may not show cuprum (member; roles analyst) the field upperLimit of QualityInspection: prohibited by rule no-limits-for-cuprum (firm policy)',
    });
    expect(access(d, { groupBy: ['unit'], measures: [{ fn: 'max', field: 'value' }] }).allowed).toBe(true);
  });

  it('full-row grants do not imply aggregates', () => {
    const d = decision('skyframe', undefined, ['customer', 'member'], ['planner']);
    expect(d.rowFilter).toEqual(NOT_SCRAP);
    expect(access(d, { groupBy: [], measures: [{ fn: 'count' }] }).allowed).toBe(false);
  });
});
