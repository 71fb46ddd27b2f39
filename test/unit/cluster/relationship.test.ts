import { describe, expect, it } from 'vitest';
import { relationshipsOf } from '../../../cluster/relationship.js';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';

// A 4-tier chain d → c → b → a (d supplies c, ...), with a cycle b → x → b, and a loner z.
const CHAIN = [
  { supplier: 'b', customer: 'a' },
  { supplier: 'c', customer: 'b' },
  { supplier: 'd', customer: 'c' },
  { supplier: 'b', customer: 'x' },
  { supplier: 'x', customer: 'b' },
];

describe('relationshipsOf', () => {
  it('the owner is only self: never member, customer or supplier of itself (even in a cycle)', () => {
    expect(relationshipsOf(CHAIN, 'a', 'a')).toEqual(['self']);
    expect(relationshipsOf(CHAIN, 'b', 'b')).toEqual(['self']);
  });

  it('direct customer and supplier are also any-customer / any-supplier', () => {
    expect(relationshipsOf(CHAIN, 'a', 'b')).toEqual(['customer', 'any-customer', 'member']);
    expect(relationshipsOf(CHAIN, 'c', 'b')).toEqual(['supplier', 'any-supplier', 'member']);
  });

  it('any tier above or below in the declared chain', () => {
    expect(relationshipsOf(CHAIN, 'a', 'd')).toEqual(['any-customer', 'member']);
    expect(relationshipsOf(CHAIN, 'a', 'c')).toEqual(['any-customer', 'member']);
    expect(relationshipsOf(CHAIN, 'd', 'a')).toEqual(['any-supplier', 'member']);
    expect(relationshipsOf(CHAIN, 'c', 'a')).toEqual(['any-supplier', 'member']);
  });

  it('terminates on a cycle; a firm in a cycle with the owner is both above and below it', () => {
    expect(relationshipsOf(CHAIN, 'x', 'b')).toEqual(['customer', 'supplier', 'any-customer', 'any-supplier', 'member']);
    // a is above x through b; d is below x through b and c
    expect(relationshipsOf(CHAIN, 'a', 'x')).toEqual(['any-customer', 'member']);
    expect(relationshipsOf(CHAIN, 'd', 'x')).toEqual(['any-supplier', 'member']);
  });

  it('a member outside the chain is only a member', () => {
    expect(relationshipsOf(CHAIN, 'z', 'a')).toEqual(['member']);
    expect(relationshipsOf([], 'z', 'a')).toEqual(['member']);
  });

  it('the demo: the lead is any-customer of every tier; precimach serves two customers', () => {
    const rels = DEMO_TOPOLOGY.relationships;
    for (const owner of ['structura', 'avionix', 'precimach', 'circuitra', 'alumill', 'cuprum']) {
      expect(relationshipsOf(rels, 'skyframe', owner), owner).toContain('any-customer');
    }
    expect(relationshipsOf(rels, 'avionix', 'alumill')).toEqual(['any-customer', 'member']);
    expect(relationshipsOf(rels, 'alumill', 'structura')).toEqual(['any-supplier', 'member']);
    expect(relationshipsOf(rels, 'cuprum', 'structura')).toEqual(['member']);
  });
});
