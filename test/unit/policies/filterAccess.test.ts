import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { fieldAccess } from '../../../policies/fieldAccess.js';
import { filterAccess } from '../../../policies/filterAccess.js';
import { matchesRow } from '../../../policies/matchesRow.js';
import type { Relationship } from '../../../cluster/relationship.js';
import { caller, MEMBER, model, NOW, v2Policy } from './policyFixtures.js';

const policy = effectivePolicy(
  v2Policy(`
  - id: lots-quantity
    who: { firms: [cuprum] }
    types: [Lot]
    fields: [quantity]
  - id: some-statuses
    who: { firms: [cuprum] }
    types: [Lot]
    fields: [status, partId]
    rows: { quantity: { gt: 100 } }
  - id: no-quarantine-status
    effect: deny
    who: { firms: [cuprum] }
    types: [Lot]
    fields: [status]
    rows: { partId: P-9 }
  - id: no-scrapped-lots
    effect: deny
    who: { firms: [cuprum] }
    types: [Lot]
    fields: "*"
    rows: { status: SCRAPPED }
  - id: coarse-output
    who: { firms: [circuitra] }
    types: [Lot]
    fields: [status, quantity]
    purposes: [planning]
    mode: coarsened
    coarsen: { quantity: { step: 50 } }
  - id: shipments-keys
    who: { firms: [cuprum] }
    types: [Shipment]
    fields: [eta, status]
  - id: no-shipment-status
    effect: deny
    who: { firms: [cuprum] }
    types: [Shipment]
    fields: [status]
`),
  undefined,
  [],
);

function decision(firm: string, type: string, purpose?: string, relationships: readonly Relationship[] = MEMBER) {
  const c = { ...caller(firm, ['planner']), ...(purpose ? { purpose } : {}) };
  return decideAccess(policy, model, { caller: c, relationships, type, now: NOW });
}

const STATUSES = ['RELEASED', 'QUARANTINED', 'CONSUMED', 'SHIPPED', 'SCRAPPED'];
const lot = fc.record({
  firmId: fc.constant('structura'),
  lotId: fc.string({ minLength: 1, maxLength: 4 }),
  partId: fc.constantFrom('P-1', 'P-9', null),
  status: fc.constantFrom(...STATUSES, null),
  quantity: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(null)),
});

describe('filterAccess: a filter only ever considers rows where the field reads as stored', () => {
  it('agrees with fieldAccess row by row: a row is filterable exactly where the field is allowed and not coarsened', () => {
    for (const [firm, purpose] of [['cuprum', undefined], ['circuitra', 'planning']] as const) {
      const d = decision(firm, 'Lot', purpose);
      for (const field of ['status', 'partId', 'quantity', 'lotId']) {
        const f = filterAccess(d, field);
        fc.assert(
          fc.property(lot, (row) => {
            const access = fieldAccess(d, field, row);
            const readable = access.allowed && access.coarsen === undefined && (d.rowFilter === null || (d.rowFilter !== 'none' && matchesRow(d.rowFilter, row)));
            const filterable = f.allowed && (f.rows === null || matchesRow(f.rows, row));
            expect(filterable, `${firm} ${field} on ${JSON.stringify(row)}`).toBe(readable);
          }),
          { numRuns: 300 },
        );
      }
    }
  });

  it('refuses a field no rule grants, naming it', () => {
    const f = filterAccess(decision('cuprum', 'Lot'), 'producedAt');
    expect(f).toMatchObject({ allowed: false });
    expect(f.allowed ? '' : f.reason).toMatch(/does not let cuprum .* read the field producedAt of Lot \(no rule grants it\), so it may not filter or list by it/);
  });

  it('refuses a field granted only coarsened', () => {
    const f = filterAccess(decision('circuitra', 'Lot', 'planning'), 'quantity');
    expect(f.allowed ? '' : f.reason).toMatch(/granted only coarsened \(rule coarse-output\)/);
    expect(filterAccess(decision('circuitra', 'Lot', 'planning'), 'status')).toMatchObject({ allowed: true, rows: null, rules: ['coarse-output'] });
  });

  it('refuses a field a prohibition hides on every row, naming the prohibition', () => {
    const f = filterAccess(decision('cuprum', 'Shipment'), 'status');
    expect(f.allowed ? '' : f.reason).toMatch(/prohibited by rule no-shipment-status/);
  });

  it('refuses every field of a type the caller sees no row of; allows key fields on every visible row', () => {
    expect(filterAccess(decision('alumill', 'Lot'), 'lotId').allowed).toBe(false);
    const keys = filterAccess(decision('cuprum', 'Lot'), 'lotId');
    expect(keys).toMatchObject({ allowed: true });
    expect(keys.allowed && keys.rows).toEqual(decision('cuprum', 'Lot').rowFilter);
  });
});
