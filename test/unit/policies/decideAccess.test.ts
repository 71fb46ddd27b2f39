import { describe, expect, it } from 'vitest';
import type { Relationship } from '../../../cluster/relationship.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { fieldAccess } from '../../../policies/fieldAccess.js';
import type { AccessRequest } from '../../../policies/typeDecision.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';

const CUST: Relationship[] = ['customer', 'any-customer', 'member'];

const policy = effectivePolicy(
  v2Policy(`
  - id: own-users
    who: { relationship: [self] }
    types: "*"
    fields: "*"
  - id: members-parts
    who: { relationship: [member] }
    types: [Part]
    fields: [partNumber, name]
  - id: traceability-lots
    who: { relationship: [any-customer] }
    types: [Lot]
    fields: [partId, status, components]
  - id: quality-inspections
    who: { relationship: [customer], roles: [quality] }
    types: [QualityInspection]
    fields: "*"
    purposes: [quality-investigation, traceability]
  - id: campaign-runs
    who: { relationship: [customer] }
    types: [ProductionRun]
    fields: [status, plannedQuantity]
    valid: { from: "2026-09-01", until: "2027-03-31" }
  - id: give-to-get-runs
    who: { relationship: [supplier] }
    types: [ProductionRun]
    fields: [status, doneQuantity]
    reciprocity: { types: [ProductionRun, InventoryPosition] }
  - id: customers-shipments
    who: { relationship: [customer] }
    types: [Shipment]
    fields: "*"
  - id: no-carrier
    effect: deny
    who: { relationship: [member] }
    types: [Shipment]
    fields: [carrier]
  - id: no-held-runs
    effect: deny
    who: { relationship: [customer] }
    types: [ProductionRun]
    fields: "*"
    rows: { status: HELD }
  - id: no-delayed-carrier
    effect: deny
    who: { relationship: [customer] }
    types: [Shipment]
    fields: [eta]
    rows: { status: DELAYED }
`),
  undefined,
  [],
);

function req(firm: string, relationships: readonly Relationship[], type: string, extra: Partial<AccessRequest> & { roles?: string[]; purpose?: string } = {}): AccessRequest {
  const c = caller(firm, extra.roles ?? []);
  if (extra.purpose !== undefined) c.purpose = extra.purpose;
  return { caller: c, relationships, type, now: extra.now ?? NOW, ...(extra.reciprocity ? { reciprocity: extra.reciprocity } : {}) };
}

describe('decideAccess: who', () => {
  it('member excludes the owner itself: the owner gets only its self rule', () => {
    const d = decideAccess(policy, model, req('structura', ['self', 'member'], 'Part'));
    expect(d.relationships).toEqual(['self']);
    expect(d.matchedRules).toEqual(['own-users']);
  });

  it('a prohibition for member never hits the owner\'s own users', () => {
    const d = decideAccess(policy, model, req('structura', ['self'], 'Shipment'));
    expect(d.denials).toEqual([]);
    expect(fieldAccess(d, 'carrier', { firmId: 'structura', shipmentId: 's1' })).toEqual({ allowed: true, rules: ['own-users'] });
  });

  it('any-customer reaches a customer several tiers above; a mere member does not', () => {
    expect(decideAccess(policy, model, req('skyframe', ['any-customer', 'member'], 'Lot')).matchedRules).toEqual(['traceability-lots']);
    expect(decideAccess(policy, model, req('cuprum', ['member'], 'Lot')).rowFilter).toBe('none');
    expect(decideAccess(policy, model, req('alumill', ['any-supplier', 'member'], 'Lot')).rowFilter).toBe('none');
  });
});

describe('decideAccess: purposes', () => {
  it('a request without a purpose gets only rules that need none; the others are skipped with the reason', () => {
    const d = decideAccess(policy, model, req('skyframe', CUST, 'QualityInspection', { roles: ['quality'] }));
    expect(d.rowFilter).toBe('none');
    expect(d.skippedRules).toEqual([{ ruleId: 'quality-inspections', reason: 'needs a purpose (one of quality-investigation, traceability); the request declares none' }]);
  });

  it('the token purpose must be one of the rule\'s', () => {
    const ok = decideAccess(policy, model, req('skyframe', CUST, 'QualityInspection', { roles: ['quality'], purpose: 'traceability' }));
    expect(ok.matchedRules).toEqual(['quality-inspections']);
    expect(ok.rowFilter).toBeNull();
    expect(ok.purpose).toBe('traceability');
    const other = decideAccess(policy, model, req('skyframe', CUST, 'QualityInspection', { roles: ['quality'], purpose: 'planning' }));
    expect(other.rowFilter).toBe('none');
    expect(other.skippedRules).toEqual([{ ruleId: 'quality-inspections', reason: 'purpose "planning" is not one of quality-investigation, traceability' }]);
  });

  it('rules that need no purpose apply whatever the purpose', () => {
    expect(decideAccess(policy, model, req('skyframe', CUST, 'Lot', { purpose: 'benchmarking' })).matchedRules).toEqual(['traceability-lots']);
  });

  it('a rule that does not name the caller is not listed as skipped', () => {
    expect(decideAccess(policy, model, req('skyframe', CUST, 'QualityInspection', { roles: ['planner'] })).skippedRules).toEqual([]);
  });
});

describe('decideAccess: validity (now injected)', () => {
  const at = (iso: string) => decideAccess(policy, model, req('skyframe', CUST, 'ProductionRun', { now: new Date(iso) }));
  it('applies from `from` (inclusive) until `until` (exclusive; a date-only until includes that day)', () => {
    expect(at('2026-09-01T00:00:00Z').matchedRules).toContain('campaign-runs');
    expect(at('2027-03-31T23:59:59Z').matchedRules).toContain('campaign-runs');
  });
  it('is skipped before and after the window, with the reason', () => {
    expect(at('2026-08-31T23:59:59Z').skippedRules).toEqual([{ ruleId: 'campaign-runs', reason: 'not valid before 2026-09-01T00:00:00.000Z' }]);
    const after = at('2027-04-01T00:00:00Z');
    expect(after.skippedRules).toEqual([{ ruleId: 'campaign-runs', reason: 'expired at 2027-04-01T00:00:00.000Z' }]);
    expect(after.rowFilter).toBe('none');
  });
});

describe('decideAccess: reciprocity', () => {
  const run = (reciprocity?: (types: readonly string[]) => boolean) =>
    decideAccess(policy, model, req('precimach', ['supplier', 'any-supplier', 'member'], 'ProductionRun', reciprocity ? { reciprocity } : {}));
  it('applies while the caller grants the owner the types, asking for all of them at once', () => {
    const asked: (readonly string[])[] = [];
    const d = run((types) => (asked.push(types), true));
    expect(d.matchedRules).toEqual(['give-to-get-runs']);
    expect(asked).toEqual([['ProductionRun', 'InventoryPosition']]);
  });
  it('is skipped when not met', () => {
    expect(run(() => false).skippedRules).toEqual([
      { ruleId: 'give-to-get-runs', reason: 'reciprocity not met: needs precimach to grant structura ProductionRun, InventoryPosition in return' },
    ]);
  });
  it('is skipped (fail closed) without a reciprocity function', () => {
    const d = run();
    expect(d.rowFilter).toBe('none');
    expect(d.skippedRules[0]?.reason).toBe('reciprocity not checked (fail closed): needs precimach to grant structura ProductionRun, InventoryPosition in return');
  });
});

describe('decideAccess: prohibitions win', () => {
  it('a field prohibition removes the field from a "*" grant, on every row', () => {
    const d = decideAccess(policy, model, req('skyframe', CUST, 'Shipment'));
    expect(d.matchedRules).toEqual(['customers-shipments', 'no-carrier', 'no-delayed-carrier']);
    expect(d.visibleFields.has('carrier')).toBe(false);
    expect(d.visibleFields.has('eta')).toBe(true); // denied on some rows only
    expect(d.rowFilter).toBeNull(); // field prohibitions do not remove rows
    const row = { firmId: 'structura', shipmentId: 's1', status: 'DELAYED', carrier: 'DHL' };
    const carrier = fieldAccess(d, 'carrier', row);
    expect(carrier).toEqual({
      allowed: false,
      rules: ['no-carrier'],
      reason: 'firm structura may not show skyframe (customer, any-customer, member; roles none) the field carrier of Shipment: prohibited by rule no-carrier (firm policy)',
    });
  });

  it('a row-filtered field prohibition hides the field on those rows only', () => {
    const d = decideAccess(policy, model, req('skyframe', CUST, 'Shipment'));
    expect(fieldAccess(d, 'eta', { status: 'DELAYED' })).toMatchObject({ allowed: false, rules: ['no-delayed-carrier'] });
    expect(fieldAccess(d, 'eta', { status: 'IN_TRANSIT' })).toEqual({ allowed: true, rules: ['customers-shipments'] });
    // never a key field of a visible row
    expect(fieldAccess(d, 'shipmentId', { status: 'DELAYED' })).toEqual({ allowed: true, rules: ['customers-shipments'] });
  });

  it('a whole-row prohibition with rows is ANDed out of the row filter: (grants) AND NOT (denials)', () => {
    const d = decideAccess(policy, model, req('skyframe', CUST, 'ProductionRun'));
    expect(d.rowFilter).toEqual({ kind: 'not', item: { kind: 'cmp', field: 'status', op: 'eq', value: 'HELD' } });
    const held = fieldAccess(d, 'runId', { status: 'HELD' });
    expect(held).toMatchObject({ allowed: false, rules: ['no-held-runs'] });
    expect(held.allowed === false && held.reason).toBe(
      'firm structura may not show skyframe (customer, any-customer, member; roles none) rows of ProductionRun: prohibited by rule no-held-runs (firm policy, on rows where status = "HELD")',
    );
    expect(fieldAccess(d, 'status', { status: 'RUNNING' })).toMatchObject({ allowed: true });
  });

  it('a whole-type prohibition leaves no row, whatever grants', () => {
    const p = effectivePolicy(v2Policy(`
  - id: all
    who: { relationship: [member] }
    types: [Lot]
    fields: "*"
  - id: embargo
    effect: deny
    who: { firms: [cuprum] }
    types: [Lot]
    fields: "*"
    valid: { until: "2027-01-01" }
`), undefined, []);
    const d = decideAccess(p, model, req('cuprum', ['member'], 'Lot'));
    expect(d.rowFilter).toBe('none');
    expect([...d.visibleFields]).toEqual([]);
    expect(fieldAccess(d, 'lotId', {})).toMatchObject({ allowed: false, rules: ['embargo'] });
    // the embargo ends: the permit is back
    expect(decideAccess(p, model, req('cuprum', ['member'], 'Lot', { now: new Date('2027-01-02T00:00:00Z') })).rowFilter).toBeNull();
    // another member is not embargoed
    expect(decideAccess(p, model, req('alumill', ['member'], 'Lot')).rowFilter).toBeNull();
  });

  it('ANDs the grants\' OR with the NOT of several whole-row denials', () => {
    const p = effectivePolicy(v2Policy(`
  - id: a
    who: { relationship: [member] }
    types: [Shipment]
    fields: "*"
    rows: { customerId: $caller.firm }
  - id: b
    who: { relationship: [member] }
    types: [Shipment]
    fields: [status]
    rows: { status: DELAYED }
  - id: x
    effect: deny
    who: { relationship: [member] }
    types: [Shipment]
    fields: "*"
    rows: { carrier: DHL }
  - id: y
    effect: deny
    who: { relationship: [member] }
    types: [Shipment]
    fields: "*"
    rows: { not: { eta: { gte: "2026-01-01" } } }
`), undefined, []);
    expect(decideAccess(p, model, req('avionix', ['member'], 'Shipment')).rowFilter).toEqual({
      kind: 'and',
      items: [
        { kind: 'or', items: [{ kind: 'cmp', field: 'customerId', op: 'eq', value: 'avionix' }, { kind: 'cmp', field: 'status', op: 'eq', value: 'DELAYED' }] },
        { kind: 'not', item: { kind: 'or', items: [{ kind: 'cmp', field: 'carrier', op: 'eq', value: 'DHL' }, { kind: 'not', item: { kind: 'cmp', field: 'eta', op: 'gte', value: '2026-01-01' } }] } },
      ],
    });
  });
});
