import { describe, expect, it } from 'vitest';
import { coarsenValue } from '../../../policies/coarsenValue.js';
import { decideAccess } from '../../../policies/decideAccess.js';
import { effectivePolicy } from '../../../policies/effectivePolicy.js';
import { fieldAccess } from '../../../policies/fieldAccess.js';
import { denialReason } from '../../../policies/denialReason.js';
import { fieldAllowed } from '../../../policies/fieldAllowed.js';
import { caller, model, NOW, v2Policy } from './policyFixtures.js';

describe('coarsenValue', () => {
  it('rounds numbers to the nearest multiple of step', () => {
    expect(coarsenValue(1234, { step: 50 })).toBe(1250);
    expect(coarsenValue(1224, { step: 50 })).toBe(1200);
    expect(coarsenValue(1225, { step: 50 })).toBe(1250);
    expect(coarsenValue(0.34, { step: 0.1 })).toBe(0.3);
    expect(coarsenValue(-26, { step: 50 })).toBe(-50);
    expect(coarsenValue(7n, { step: 5 })).toBe(5);
    expect(coarsenValue('1234.5', { step: 100 })).toBe('1200'); // NUMERIC as a string stays a string
  });

  it('truncates dates to the day, the ISO week (Monday 00:00 UTC) or the month, keeping their form', () => {
    const friday = '2026-11-27T08:30:00.000Z';
    expect(coarsenValue(friday, { to: 'day' })).toBe('2026-11-27T00:00:00.000Z');
    expect(coarsenValue(friday, { to: 'week' })).toBe('2026-11-23T00:00:00.000Z');
    expect(coarsenValue(friday, { to: 'month' })).toBe('2026-11-01T00:00:00.000Z');
    expect(coarsenValue(new Date(friday), { to: 'week' })).toEqual(new Date('2026-11-23T00:00:00Z'));
    expect(coarsenValue('2026-11-23T00:00:00Z', { to: 'week' })).toBe('2026-11-23T00:00:00.000Z'); // a Monday stays
    expect(coarsenValue('2026-11-29T23:59:59Z', { to: 'week' })).toBe('2026-11-23T00:00:00.000Z'); // Sunday: same ISO week
    expect(coarsenValue('2027-01-01', { to: 'week' })).toBe('2026-12-28'); // a Date scalar stays date-only
    expect(coarsenValue('2026-11-27T08:30:00', { to: 'day' })).toBe('2026-11-27T00:00:00.000Z'); // no zone: UTC
  });

  it('null stays null; what cannot be coarsened becomes null, never the exact value', () => {
    expect(coarsenValue(null, { step: 50 })).toBeNull();
    expect(coarsenValue(undefined, { to: 'week' })).toBeUndefined();
    expect(coarsenValue('many', { step: 50 })).toBeNull();
    expect(coarsenValue('not a date', { to: 'week' })).toBeNull();
    expect(coarsenValue(42, { to: 'week' })).toBeNull();
    expect(coarsenValue(new Date(Number.NaN), { to: 'day' })).toBeNull();
  });
});

describe('coarsened grants', () => {
  const policy = effectivePolicy(
    v2Policy(`
  - id: customers-exact-stock
    who: { relationship: [customer] }
    types: [InventoryPosition]
    fields: [partId, onHand]
    rows: { site: main }
  - id: members-coarse-stock
    who: { relationship: [member] }
    types: [InventoryPosition]
    fields: [partId, site, onHand, updatedAt]
    mode: coarsened
    coarsen:
      onHand: { step: 50 }
      updatedAt: { to: week }
  - id: planners-finer-stock
    who: { relationship: [member], roles: [planner] }
    types: [InventoryPosition]
    fields: [onHand]
    mode: coarsened
    coarsen:
      onHand: { step: 10 }
`),
    undefined,
    [],
  );
  const decide = (relationships: ('customer' | 'member')[], roles: string[] = []) =>
    decideAccess(policy, model, { caller: caller('avionix', roles), relationships, type: 'InventoryPosition', now: NOW });

  it('a coarsened grant says how to coarsen each of its fields; others come exact', () => {
    const d = decide(['member']);
    expect(d.grants[0]).toMatchObject({ ruleId: 'members-coarse-stock', origin: 'firm', mode: 'coarsened' });
    expect(d.grants[0]?.coarsen).toEqual(new Map([['onHand', { step: 50 }], ['updatedAt', { to: 'week' }]]));
    expect(fieldAccess(d, 'onHand', { site: 'main' })).toEqual({ allowed: true, coarsen: { step: 50 }, rules: ['members-coarse-stock'] });
    expect(fieldAccess(d, 'site', { site: 'main' })).toEqual({ allowed: true, rules: ['members-coarse-stock'] });
  });

  it('a full grant on the row wins over a coarsened one', () => {
    const d = decide(['customer', 'member']);
    expect(fieldAccess(d, 'onHand', { site: 'main' })).toEqual({ allowed: true, rules: ['customers-exact-stock', 'members-coarse-stock'] });
    // ... only on the rows it covers
    expect(fieldAccess(d, 'onHand', { site: 'annex' })).toEqual({ allowed: true, coarsen: { step: 50 }, rules: ['members-coarse-stock'] });
  });

  it('of several coarsened grants, the finest applies', () => {
    expect(fieldAccess(decide(['member'], ['planner']), 'onHand', {})).toEqual({ allowed: true, coarsen: { step: 10 }, rules: ['members-coarse-stock', 'planners-finer-stock'] });
  });

  it('the v1 fieldAllowed fails closed on a field that must be coarsened', () => {
    const d = decide(['member']);
    expect(fieldAllowed(d, 'onHand', { site: 'annex' })).toBe(false);
    expect(fieldAllowed(d, 'site', { site: 'annex' })).toBe(true);
    expect(denialReason(d, 'onHand', caller('avionix'))).toBe(
      'firm structura grants avionix (member; roles none) the field onHand of InventoryPosition only coarsened (rule members-coarse-stock), which this server does not apply yet: withheld',
    );
  });
});
