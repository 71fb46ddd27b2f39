import fc from 'fast-check';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../limits/estimateCost.js';
import { readSupergraph } from '../../../schema/supergraph.js';
import { ALL_LOTS_QUERY, GENEALOGY_QUERY } from '../../harness/queries.js';

const schema = buildSchema(`
  scalar _Any
  type Query {
    firms: [Firm!]!
    firm(id: ID!): Firm
    matrix: [[Firm]]
    names: [String]
    _entities(representations: [_Any!]!): [Entity]!
  }
  type Mutation { touch(id: ID!): Firm }
  union Entity = Firm | Lot
  type Firm { id: ID! name: String lots(first: Int = 100, last: Int, limit: Int): [Lot] tags: [String] }
  type Lot { lotId: ID! part: Part components: [Lot] }
  type Part { name: String }
`);

const cost = (query: string, variables?: Record<string, unknown>, assumedListSize?: number) =>
  estimateCost({ schema, document: parse(query), variables }, assumedListSize === undefined ? {} : { assumedListSize });

describe('estimateCost', () => {
  it('costs objects 1 and leaves 0', () => {
    expect(cost('{ firm(id: "a") { id name } }')).toBe(1);
    expect(cost('{ firm(id: "a") { id tags } }')).toBe(1);
    expect(cost('{ names }')).toBe(0);
    expect(cost('{ __typename }')).toBe(0);
  });

  it('multiplies a list by its slicing argument: literal, variable, variable default, schema default', () => {
    expect(cost('{ firm(id: "a") { lots(first: 5) { lotId } } }')).toBe(1 + 5);
    expect(cost('query($n: Int) { firm(id: "a") { lots(first: $n) { lotId } } }', { n: 7 })).toBe(1 + 7);
    expect(cost('query($n: Int = 3) { firm(id: "a") { lots(first: $n) { lotId } } }')).toBe(1 + 3);
    expect(cost('{ firm(id: "a") { lots { lotId } } }')).toBe(1 + 100);
    expect(cost('{ firm(id: "a") { lots(last: 2, limit: 4) { lotId } } }')).toBe(1 + 100); // first keeps its default 100
    expect(cost('{ firm(id: "a") { lots(first: 2, limit: 4) { lotId } } }')).toBe(1 + 4); // the largest
  });

  it('assumes the configured size for lists without a slicing argument; nested lists multiply', () => {
    expect(cost('{ firms { id } }')).toBe(10);
    expect(cost('{ firms { id } }', {}, 3)).toBe(3);
    expect(cost('{ firms { lots(first: 5) { components { part { name } } } } }')).toBe(10 * (1 + 5 * (1 + 10 * 2)));
    expect(cost('{ matrix { id } }')).toBe(100);
  });

  it('sizes _entities by its representations', () => {
    const q = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { part { name } } } }';
    expect(cost(q, { r: [{}, {}, {}] })).toBe(3 * (1 + 1));
    expect(cost(q, { r: Array.from({ length: 50 }, () => ({})) })).toBe(50 * 2);
  });

  it('sums the branches of an abstract field (an upper bound)', () => {
    const q = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { part { name } } ... on Firm { lots(first: 2) { lotId } } } }';
    expect(cost(q, { r: [{}] })).toBe(1 + 1 + 2);
  });

  it('costs a fragment once however often it is spread', () => {
    expect(cost('{ firms { ...L } firm(id: "a") { ...L } } fragment L on Firm { lots(first: 2) { lotId } }')).toBe(10 * (1 + 2) + (1 + 2));
  });

  it('costs mutation root fields 10', () => {
    expect(cost('mutation { touch(id: "a") { id } }')).toBe(10);
  });

  it('treats variables that do not coerce as absent: lists fall back to the schema default', () => {
    expect(cost('query($n: Int) { firm(id: "a") { lots(first: $n) { lotId } } }', { n: 'many' })).toBe(1 + 100);
  });

  it('is 0 without a matching operation', () => {
    expect(cost('query A { firms { id } } query B { firms { id } }')).toBe(0);
  });

  it('grows linearly with `first` and never goes negative (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 10_000 }), fc.integer({ min: 0, max: 50 }), (first, assumed) => {
        const c = cost('query($n: Int) { firms { lots(first: $n) { part { name } } } }', { n: first }, assumed);
        expect(c).toBe(assumed * (1 + Math.max(0, first) * 2));
      }),
      { numRuns: 200 },
    );
  });
});

describe("the demo's queries on the gateway's schema", () => {
  const api = buildSchema(readSupergraph(), { assumeValidSDL: true });
  const genealogy = (first?: number) => estimateCost({ schema: api, document: parse(GENEALOGY_QUERY), variables: first === undefined ? {} : { first } });

  it('genealogy: 14,442 per top lot (three unsliced `components` lists multiply) + 1', () => {
    expect(genealogy(1)).toBe(14_443);
    expect(genealogy(30)).toBe(433_261);
    expect(genealogy()).toBe(1_444_201); // `first` defaults to 100 in the schema
  });

  it('all lots: firms (assumed 10) × lots', () => {
    expect(estimateCost({ schema: api, document: parse(ALL_LOTS_QUERY), variables: { first: 40 } })).toBe(12_410);
  });
});
