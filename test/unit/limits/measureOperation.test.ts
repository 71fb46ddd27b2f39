import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperation } from '../../../limits/measureOperation.js';
import { GENEALOGY_QUERY } from '../../harness/queries.js';

const measure = (query: string, operationName?: string) => measureOperation(parse(query), operationName);

describe('measureOperation', () => {
  it('counts depth as Apollo Router does: a root field is 1, leaves count', () => {
    expect(measure('{ a }')?.depth).toBe(1);
    expect(measure('{ a { b { c } } }')?.depth).toBe(3);
    expect(measure('{ a { b } c { d { e { f } } } }')?.depth).toBe(4);
  });

  it('counts through inline fragments and named fragments, which add no level', () => {
    const q = 'query { a { ...F ... on T { x { y } } } } fragment F on T { b { c { d } } }';
    expect(measure(q)).toEqual({ depth: 4, aliases: 0, rootFields: 1 });
  });

  it('counts aliases once per spread of the fragment that holds them', () => {
    const q = '{ a { ...F } b { ...F } x: c } fragment F on T { p: a q: b }';
    expect(measure(q)?.aliases).toBe(5);
  });

  it('counts root fields through fragments at the root, not nested fields', () => {
    expect(measure('{ a b c { d e f } }')?.rootFields).toBe(3);
    expect(measure('{ a ...R ... on Query { d } } fragment R on Query { b c }')?.rootFields).toBe(4);
  });

  it('measures a gateway fetch from inside _entities', () => {
    const fetch = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { components { component { firmId lotId } } } } }';
    expect(measure(fetch)?.depth).toBe(3);
    expect(measure(fetch)?.rootFields).toBe(1);
    // A field of that name below the root is an ordinary level.
    expect(measure('{ a { _entities { b } } }')?.depth).toBe(3);
  });

  it('picks the named operation, and none when it is ambiguous or absent', () => {
    const q = 'query A { a { b } } query B { a { b { c } } }';
    expect(measure(q, 'B')?.depth).toBe(3);
    expect(measure(q)).toBeUndefined();
    expect(measure(q, 'C')).toBeUndefined();
  });

  it('measures each fragment once: 30 levels of fragments spread twice each stay linear', () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on T { a${i}: x { ...F${i + 1} } b${i}: y { ...F${i + 1} } }`).join('\n');
    const q = `{ root { ...F0 } } ${fragments} fragment F30 on T { leaf }`;
    const started = performance.now();
    const m = measure(q);
    expect(performance.now() - started).toBeLessThan(200);
    expect(m?.depth).toBe(32);
    expect(m?.aliases).toBe(2 ** 31 - 2); // what the expanded operation would hold
  });

  it('survives a fragment cycle (a validation error) without looping', () => {
    expect(measure('{ a { ...F } } fragment F on T { b { ...F } }')?.depth).toBe(2);
  });

  it("measures the demo's genealogy query: depth 13, no aliases, one root field", () => {
    expect(measure(GENEALOGY_QUERY)).toEqual({ depth: 13, aliases: 0, rootFields: 1 });
  });
});
