import { describe, expect, it } from 'vitest';
import { decide, denialReason, fieldAllowed } from '../../../policies/decide.js';
import { caller, CUSTOMER, MEMBER, model, SELF, structuraPolicy, SUPPLIER } from './policyFixtures.js';

const policy = structuraPolicy(`
  - id: own-users
    who: { relationship: [self] }
    types: "*"
    fields: "*"
  - id: customers-parts
    who: { relationship: [customer] }
    types: [Part]
    fields: [partNumber, name]
  - id: skyframe-planners-costs
    who: { firms: [skyframe], roles: [planner] }
    types: [Part]
    fields: [unitCost]
  - id: customers-shipments
    who: { relationship: [customer] }
    types: [Shipment]
    fields: "*"
    exceptFields: [carrier]
    rows: { customerId: $caller.firm }
  - id: logistics-delayed-shipments
    who: { relationship: [customer, supplier], roles: [logistics] }
    types: [Shipment]
    fields: [status, eta, carrier]
    rows: { status: DELAYED }
  - id: members-key-only
    who: { relationship: [member] }
    types: [Lot, Part]
    fields: [firmId]
`);

const skyframe = caller('skyframe', ['planner']);

describe('decide', () => {
  it('default deny: no matching rule gives no grant and row filter none', () => {
    const d = decide(policy, model, { caller: caller('cuprum'), relationships: MEMBER, type: 'Shipment' });
    expect(d).toMatchObject({ type: 'Shipment', owner: 'structura', grants: [], rowFilter: 'none', matchedRules: [] });
    expect([...d.visibleFields]).toEqual([]);
    expect(d.keyFields).toEqual(['firmId', 'shipmentId']);
  });

  it('denies everything when the policy has no rules, even to the owner', () => {
    const empty = structuraPolicy('  []');
    expect(empty.rules).toEqual([]);
    const d = decide(empty, model, { caller: caller('structura'), relationships: SELF, type: 'Lot' });
    expect(d.rowFilter).toBe('none');
    expect(d.grants).toEqual([]);
  });

  it('relationship self: the owner sees every field of every type, all rows', () => {
    const d = decide(policy, model, { caller: caller('structura'), relationships: SELF, type: 'PurchaseOrder' });
    expect(d.matchedRules).toEqual(['own-users']);
    expect(d.rowFilter).toBeNull();
    expect([...d.visibleFields]).toEqual(model.types.PurchaseOrder?.fields);
  });

  it('ignores a claimed self relationship of another firm', () => {
    const d = decide(policy, model, { caller: caller('cuprum'), relationships: ['self', 'member'], type: 'PurchaseOrder' });
    expect(d.grants).toEqual([]);
    expect(d.relationships).toEqual(['member']);
  });

  it('fields list: key fields always come with a grant; member key-only rule', () => {
    const d = decide(policy, model, { caller: caller('cuprum'), relationships: MEMBER, type: 'Lot' });
    expect(d.matchedRules).toEqual(['members-key-only']);
    expect([...d.visibleFields].sort()).toEqual(['firmId', 'lotId']);
  });

  it('relationship customer, firms and roles: every given condition must hold', () => {
    const asPlanner = decide(policy, model, { caller: skyframe, relationships: CUSTOMER, type: 'Part' });
    expect(asPlanner.matchedRules).toEqual(['customers-parts', 'skyframe-planners-costs', 'members-key-only']);
    expect([...asPlanner.visibleFields].sort()).toEqual(['firmId', 'name', 'partId', 'partNumber', 'unitCost']);

    const noRole = decide(policy, model, { caller: caller('skyframe', ['quality']), relationships: CUSTOMER, type: 'Part' });
    expect(noRole.matchedRules).toEqual(['customers-parts', 'members-key-only']);
    expect(noRole.visibleFields.has('unitCost')).toBe(false);

    const otherFirm = decide(policy, model, { caller: caller('avionix', ['planner']), relationships: CUSTOMER, type: 'Part' });
    expect(otherFirm.matchedRules).toEqual(['customers-parts', 'members-key-only']);

    const supplier = decide(policy, model, { caller: caller('precimach', ['planner']), relationships: SUPPLIER, type: 'Part' });
    expect(supplier.matchedRules).toEqual(['members-key-only']);
  });

  it('exceptFields removes fields from a "*" grant', () => {
    const d = decide(policy, model, { caller: caller('skyframe'), relationships: CUSTOMER, type: 'Shipment' });
    expect(d.matchedRules).toEqual(['customers-shipments']);
    expect(d.visibleFields.has('carrier')).toBe(false);
    expect(d.visibleFields.has('eta')).toBe(true);
    expect(d.grants[0]?.fields.has('shipmentId')).toBe(true);
  });

  it('binds $caller.firm to the calling firm', () => {
    const d = decide(policy, model, { caller: caller('skyframe'), relationships: CUSTOMER, type: 'Shipment' });
    expect(d.rowFilter).toEqual({ kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' });
    const a = decide(policy, model, { caller: caller('avionix'), relationships: CUSTOMER, type: 'Shipment' });
    expect(a.rowFilter).toEqual({ kind: 'cmp', field: 'customerId', op: 'eq', value: 'avionix' });
  });

  it('ORs the row filters of several grants; a grant without filter means all rows', () => {
    const d = decide(policy, model, { caller: caller('skyframe', ['logistics']), relationships: CUSTOMER, type: 'Shipment' });
    expect(d.matchedRules).toEqual(['customers-shipments', 'logistics-delayed-shipments']);
    expect(d.rowFilter).toEqual({
      kind: 'or',
      items: [
        { kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' },
        { kind: 'cmp', field: 'status', op: 'eq', value: 'DELAYED' },
      ],
    });
    const parts = decide(policy, model, { caller: skyframe, relationships: CUSTOMER, type: 'Part' });
    expect(parts.rowFilter).toBeNull();
  });

  it('types "*" applies a rule to every governed type', () => {
    for (const type of Object.keys(model.types)) {
      expect(decide(policy, model, { caller: caller('structura'), relationships: SELF, type }).matchedRules).toContain('own-users');
    }
  });

  it('throws on a type that is not governed', () => {
    expect(() => decide(policy, model, { caller: skyframe, relationships: CUSTOMER, type: 'Firm' })).toThrow(/"Firm" is not a governed type/);
  });
});

describe('fieldAllowed', () => {
  const d = decide(policy, model, { caller: caller('skyframe', ['logistics']), relationships: CUSTOMER, type: 'Shipment' });
  const own = { firmId: 'structura', shipmentId: 's1', customerId: 'skyframe', status: 'IN_TRANSIT', carrier: 'DHL', eta: '2026-12-01T00:00:00Z' };
  const ownDelayed = { ...own, status: 'DELAYED' };
  const othersDelayed = { ...own, shipmentId: 's2', customerId: 'avionix', status: 'DELAYED' };
  const othersOnTime = { ...othersDelayed, status: 'IN_TRANSIT' };

  it('allows a field when a grant whose filter matches the row grants it', () => {
    expect(fieldAllowed(d, 'eta', own)).toBe(true);
    expect(fieldAllowed(d, 'shippedAt', own)).toBe(true);
    expect(fieldAllowed(d, 'carrier', own)).toBe(false); // excepted by the row's only grant
    expect(fieldAllowed(d, 'carrier', ownDelayed)).toBe(true); // the delayed-shipments grant gives it
  });

  it('on another customer\'s delayed shipment only the delayed-shipments fields', () => {
    expect(fieldAllowed(d, 'status', othersDelayed)).toBe(true);
    expect(fieldAllowed(d, 'carrier', othersDelayed)).toBe(true);
    expect(fieldAllowed(d, 'customerId', othersDelayed)).toBe(false);
    expect(fieldAllowed(d, 'lots', othersDelayed)).toBe(false);
  });

  it('key fields whenever the row matched any grant, never otherwise', () => {
    expect(fieldAllowed(d, 'shipmentId', othersDelayed)).toBe(true);
    expect(fieldAllowed(d, 'shipmentId', othersOnTime)).toBe(false);
    expect(fieldAllowed(d, 'eta', othersOnTime)).toBe(false);
  });

  it('nothing without grants', () => {
    const none = decide(policy, model, { caller: caller('cuprum'), relationships: MEMBER, type: 'Shipment' });
    expect(fieldAllowed(none, 'firmId', own)).toBe(false);
  });
});

describe('denialReason', () => {
  it('names owner, caller with relationships and roles, field and type', () => {
    const d = decide(policy, model, { caller: caller('skyframe', ['quality']), relationships: CUSTOMER, type: 'Part' });
    expect(denialReason(d, 'unitCost', caller('skyframe', ['quality']))).toBe(
      'no rule of firm structura grants skyframe (customer, member; roles quality) the field unitCost of Part',
    );
    const none = decide(policy, model, { caller: caller('cuprum'), relationships: MEMBER, type: 'Shipment' });
    expect(denialReason(none, 'eta', caller('cuprum'))).toBe('no rule of firm structura grants cuprum (member; roles none) the field eta of Shipment');
  });

  it('for a field granted on some rows only, names those rows and rules', () => {
    const c = caller('skyframe', ['logistics']);
    const d = decide(policy, model, { caller: c, relationships: CUSTOMER, type: 'Shipment' });
    expect(denialReason(d, 'customerId', c)).toBe(
      'firm structura grants skyframe (customer, member; roles logistics) the field customerId of Shipment only on rows where customerId = "skyframe" (rule customers-shipments), and this row is not one of them',
    );
    expect(denialReason(d, 'shipmentId', c)).toContain('only on rows where customerId = "skyframe" or status = "DELAYED" (rule customers-shipments, logistics-delayed-shipments)');
  });
});
