import { describe, expect, it } from 'vitest';
import type { Relationship } from '../../../cluster/relationship.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';

const CUST: Relationship[] = ['customer', 'any-customer', 'member'];
const MEMBER: Relationship[] = ['member'];

const policy = effectivePolicy(
  v2Policy(`
  - id: customers-ask-chain-membership
    who: { relationship: [customer], roles: [firm] }
    types: [Lot]
    mode: membership
  - id: lead-traces-released
    who: { firms: [skyframe] }
    types: [Lot]
    fields: [status, components]
    rows: { status: RELEASED }
  - id: members-see-status
    who: { relationship: [member] }
    types: [Lot]
    fields: [status]
  - id: no-scrapped
    effect: deny
    who: { relationship: [member] }
    types: [Lot]
    fields: "*"
    rows: { status: SCRAPPED }
`),
  undefined,
  [],
);

const decide = (firm: string, relationships: Relationship[], roles: string[]) =>
  decideAccess(policy, model, { caller: caller(firm, roles), relationships, type: 'Lot', now: NOW });

describe('mode membership: chain-membership answers without the lots', () => {
  it('lets a customer firm ask about every lot but the prohibited ones, and shows it no row', () => {
    const d = decide('avionix', CUST, ['firm']);
    expect(d.memberships.map((m) => m.ruleId)).toEqual(['customers-ask-chain-membership']);
    expect(d.membershipRows).toEqual({ kind: 'not', item: { kind: 'cmp', field: 'status', op: 'eq', value: 'SCRAPPED' } });
    // members-see-status shows rows (status only), and no membership rule adds a field.
    expect([...d.visibleFields].sort()).toEqual(['firmId', 'lotId', 'status']);
  });

  it('counts a read of components as leave to ask, on the rows it covers', () => {
    const d = decide('skyframe', MEMBER, ['quality']);
    expect(d.memberships).toEqual([]);
    expect(d.membershipRows).toMatchObject({ kind: 'and' });
    expect(JSON.stringify(d.membershipRows)).toContain('RELEASED');
  });

  it('gives nothing to a member that may neither ask nor read components', () => {
    expect(decide('cuprum', MEMBER, ['firm']).membershipRows).toBe('none');
    // The rule names the firm role: a customer's user is not the customer firm.
    expect(decide('avionix', CUST, ['quality']).membershipRows).toBe('none');
  });
});
