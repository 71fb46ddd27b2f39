import { describe, expect, it } from 'vitest';
import { catalogOffers } from '../../../policies/catalogOffers.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { explainAccess } from '../../../policies/explainAccess.js';
import { grantsReciprocally } from '../../../policies/grantsReciprocally.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';

const policy = effectivePolicy(
  v2Policy(`
  - id: customers-stock
    description: Exact stock for customers.
    who: { relationship: [customer], roles: [planner] }
    types: [InventoryPosition]
    fields: "*"
    exceptFields: [blocked]
    rows: { site: $caller.firm }
  - id: members-coarse-stock
    who: { relationship: [member] }
    types: [InventoryPosition]
    fields: [site, onHand]
    purposes: [planning]
    valid: { until: "2027-01-01" }
    mode: coarsened
    coarsen: { onHand: { step: 50 } }
  - id: analysts
    who: { relationship: [member], roles: [analyst] }
    types: [InventoryPosition]
    mode: aggregate
    aggregate: { functions: [count, sum], measures: [onHand], groupBy: [site], minGroupSize: 3 }
    reciprocity: { types: [InventoryPosition] }
  - id: no-allocated
    effect: deny
    who: { firms: [cuprum] }
    types: [InventoryPosition]
    fields: [allocated]
`),
  undefined,
  [],
);

describe('catalogOffers', () => {
  it('lists every permit in plain terms, never the prohibitions', () => {
    const offers = catalogOffers(policy);
    expect(offers.map((o) => o.ruleId)).toEqual(['customers-stock', 'members-coarse-stock', 'analysts']);
    expect(offers[0]).toEqual({
      ruleId: 'customers-stock',
      origin: 'firm',
      description: 'Exact stock for customers.',
      relationships: ['customer'],
      firms: [],
      roles: ['planner'],
      types: ['InventoryPosition'],
      fields: ['*'],
      purposes: [],
      validFrom: null,
      validUntil: null,
      mode: 'full',
      rows: 'site = $caller.firm',
      reciprocity: [],
      exceptFields: ['blocked'],
      coarsen: [],
      aggregate: null,
    });
    expect(offers[1]).toMatchObject({ mode: 'coarsened', purposes: ['planning'], validUntil: new Date('2027-01-02T00:00:00Z'), coarsen: ['onHand rounded to the nearest 50'] });
    expect(offers[2]).toMatchObject({ mode: 'aggregate', fields: ['site', 'onHand'], reciprocity: ['InventoryPosition'], aggregate: 'count, sum of onHand by site, groups of at least 3 rows' });
  });
});

describe('explainAccess', () => {
  it('says per field which rule permits or denies it, how, and why; then rows, aggregates and rules', () => {
    const c = caller('cuprum', ['planner', 'analyst']);
    c.purpose = 'planning';
    const e = explainAccess(policy, model, { caller: c, relationships: ['customer', 'member'], type: 'InventoryPosition', now: NOW, reciprocity: () => false });
    const field = (name: string) => e.fields.find((f) => f.field === name);
    expect(e).toMatchObject({ owner: 'structura', callerFirm: 'cuprum', roles: ['planner', 'analyst'], purpose: 'planning', type: 'InventoryPosition', relationships: ['customer', 'member'] });
    expect(field('positionId')).toEqual({ field: 'positionId', allowed: true, mode: 'full', rules: ['customers-stock', 'members-coarse-stock'], reason: 'key field: comes with every visible row' });
    expect(field('onHand')).toEqual({
      field: 'onHand',
      allowed: true,
      mode: 'full',
      rules: ['customers-stock', 'members-coarse-stock'],
      reason: 'exact only on rows where site = "cuprum"; elsewhere rounded to the nearest 50 (rule members-coarse-stock)',
    });
    expect(field('site')).toMatchObject({ mode: 'full', reason: null });
    expect(field('updatedAt')).toEqual({ field: 'updatedAt', allowed: true, mode: 'full', rules: ['customers-stock'], reason: 'only on rows where site = "cuprum"' });
    expect(field('blocked')).toMatchObject({ allowed: false, mode: null, rules: [], reason: 'no rule of firm structura grants cuprum (customer, member; roles planner, analyst) the field blocked of InventoryPosition' });
    expect(field('allocated')).toMatchObject({ allowed: false, rules: ['no-allocated'], reason: expect.stringContaining('prohibited by rule no-allocated (firm policy)') });
    expect(e.rows).toBeNull();
    expect(e.aggregate).toBeNull();
    expect(e.matchedRules).toEqual(['customers-stock', 'members-coarse-stock', 'no-allocated']);
    expect(e.skippedRules).toEqual([{ ruleId: 'analysts', reason: 'reciprocity not met: needs cuprum to grant structura InventoryPosition in return' }]);
  });

  it('coarsened fields, aggregates on offer, and no row', () => {
    const c = caller('alumill', ['analyst']);
    c.purpose = 'planning';
    const e = explainAccess(policy, model, { caller: c, relationships: ['member'], type: 'InventoryPosition', now: NOW, reciprocity: () => true });
    expect(e.fields.find((f) => f.field === 'onHand')).toEqual({ field: 'onHand', allowed: true, mode: 'coarsened', rules: ['members-coarse-stock'], reason: 'rounded to the nearest 50 (rule members-coarse-stock)' });
    expect(e.aggregate).toBe(
      'count, sum of onHand by site, groups of at least 3 rows (rule analysts); every answer sums the cells of one release table for alumill (rows by site; at least 3 rows a cell): a smaller cell is held back and counted in no group, at any grouping',
    );
    const none = explainAccess(policy, model, { caller: caller('alumill'), relationships: ['member'], type: 'InventoryPosition', now: NOW });
    expect(none.rows).toBe('none');
    expect(none.skippedRules.map((s) => s.ruleId)).toEqual(['members-coarse-stock']);
  });
});

describe('grantsReciprocally', () => {
  const callerPolicy = effectivePolicy(
    v2Policy(
      `
  - id: customers-runs
    who: { relationship: [customer], roles: [planner] }
    types: [ProductionRun]
    fields: [status]
    purposes: [planning]
  - id: customers-stock-keys
    who: { relationship: [customer] }
    types: [InventoryPosition]
    fields: [positionId]
  - id: old-lots
    who: { firms: [structura] }
    types: [Lot]
    fields: "*"
    valid: { until: "2027-01-01" }
  - id: stats
    who: { relationship: [member] }
    types: [QualityInspection]
    mode: aggregate
    aggregate: { functions: [count], minGroupSize: 3 }
  - id: parts
    who: { relationship: [member] }
    types: [Part, Shipment]
    fields: "*"
  - id: no-shipments
    effect: deny
    who: { firms: [structura] }
    types: [Shipment]
    fields: "*"
`,
      'precimach',
    ),
    undefined,
    [],
  );
  const grants = (types: string[], now = NOW) => grantsReciprocally(callerPolicy, model, 'structura', ['customer', 'any-customer', 'member'], types, now);

  it('true when a permit naming the owner firm gives a non-key field of each type (roles and purposes ignored)', () => {
    expect(grants(['ProductionRun'])).toBe(true);
    expect(grants(['ProductionRun', 'Part'])).toBe(true);
  });
  it('false for key fields only, aggregates only, whole-type prohibitions, unknown types, or out of validity', () => {
    expect(grants(['InventoryPosition'])).toBe(false);
    expect(grants(['QualityInspection'])).toBe(false);
    expect(grants(['Shipment'])).toBe(false);
    expect(grants(['Nope'])).toBe(false);
    expect(grants(['Lot'])).toBe(true);
    expect(grants(['Lot'], new Date('2027-01-02T00:00:00Z'))).toBe(false);
    expect(grants(['ProductionRun', 'SensorAnomaly'])).toBe(false);
  });
  it('the owner must be named by the caller\'s rules: another firm is not', () => {
    expect(grantsReciprocally(callerPolicy, model, 'cuprum', ['member'], ['ProductionRun'], NOW)).toBe(false);
  });
});
