import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../limits/estimateCost.js';
import { GATEWAY_LIMITS } from '../../../limits/limitsConfig.js';
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

  it('assumes a per-field size (listSizes, Type.field) where no slicing argument says; else assumedListSize', () => {
    const sized = (query: string, listSizes: ReadonlyMap<string, number> | Record<string, number>, assumedListSize?: number) =>
      estimateCost({ schema, document: parse(query) }, { listSizes, ...(assumedListSize === undefined ? {} : { assumedListSize }) });
    expect(sized('{ firms { id } }', { 'Query.firms': 3 })).toBe(3);
    expect(sized('{ firms { id } }', new Map([['Query.firms', 30]]))).toBe(30);
    expect(sized('{ firms { id } }', { 'Lot.components': 3 })).toBe(10); // another field: the global size
    expect(sized('{ firms { id } }', { 'Lot.components': 3 }, 7)).toBe(7);
    expect(sized('{ firms { id } }', { 'Query.firms': 0 })).toBe(0);
    // keyed by the type the field is selected on, here through the union's inline fragment
    const q = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { components { lotId } } } }';
    expect(estimateCost({ schema, document: parse(q), variables: { r: [{}, {}] } }, { listSizes: { 'Lot.components': 4 } })).toBe(2 * (1 + 4));
    // the per-field size also sizes the inner lists of a list of lists
    expect(sized('{ matrix { id } }', { 'Query.matrix': 3 })).toBe(9);
  });

  it('lets a slicing argument win over the per-field size', () => {
    expect(estimateCost({ schema, document: parse('{ firm(id: "a") { lots(first: 5) { lotId } } }') }, { listSizes: { 'Firm.lots': 2 } })).toBe(1 + 5);
    // `first` has a schema default (100): the default is a slicing argument too
    expect(estimateCost({ schema, document: parse('{ firm(id: "a") { lots { lotId } } }') }, { listSizes: { 'Firm.lots': 2 } })).toBe(1 + 100);
    expect(estimateCost({ schema, document: parse('query($n: Int) { firm(id: "a") { lots(first: $n) { lotId } } }'), variables: { n: 7 } }, { listSizes: { 'Firm.lots': 2 } })).toBe(1 + 7);
  });

  it('multiplies nested lists by their own per-field sizes', () => {
    const listSizes = { 'Query.firms': 3, 'Lot.components': 2 };
    // firms 3 × (1 + lots 5 × (1 + components 2 × (1 + part 1)))
    expect(estimateCost({ schema, document: parse('{ firms { lots(first: 5) { components { part { name } } } } }') }, { listSizes })).toBe(3 * (1 + 5 * (1 + 2 * 2)));
    // components 2 × (1 + components 2 × (1 + components 2 × 1)); tags: scalars cost 0
    expect(estimateCost({ schema, document: parse('{ firm(id: "a") { tags lots(first: 1) { components { components { components { lotId } } } } } }') }, { listSizes })).toBe(1 + 1 * (1 + 2 * (1 + 2 * (1 + 2))));
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
  const defaults = { assumedListSize: GATEWAY_LIMITS.assumedListSize, listSizes: GATEWAY_LIMITS.listSizes };
  const cost = (query: string, first: number | undefined, options: Parameters<typeof estimateCost>[1] = defaults) =>
    estimateCost({ schema: api, document: parse(query), variables: first === undefined ? {} : { first } }, options);
  /** The largest `first` whose estimate is within `max` (the cost grows with `first`). */
  const largestFirst = (query: string, max: number) => {
    let [low, high] = [0, 100_000];
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (cost(query, mid) <= max) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  // bench/scale.ts's 4-tier walk, read as text: an import would load the cluster and the whole bench.
  const LEAD_GENEALOGY_QUERY = /LEAD_GENEALOGY_QUERY = \/\* GraphQL \*\/ `([^`]+)`/.exec(readFileSync(new URL('../../../bench/scale.ts', import.meta.url), 'utf8'))?.[1] ?? '';

  it('genealogy with the default list sizes: 658 per top lot (components 4 per tier, inspections 5) + 1', () => {
    // top lot 1 + part 1 + 4 × (4 + 4 × (4 + 4 × (4 + inspections 5)))
    expect(cost(GENEALOGY_QUERY, 1)).toBe(659);
    expect(cost(GENEALOGY_QUERY, 2)).toBe(1_317);
    expect(cost(GENEALOGY_QUERY, 30)).toBe(19_741);
    expect(cost(GENEALOGY_QUERY, undefined)).toBe(65_801); // `first` defaults to 100 in the schema: accepted now
    expect(largestFirst(GENEALOGY_QUERY, GATEWAY_LIMITS.maxCost)).toBe(1_519);
  });

  it('genealogy with every list assumed 10 (no listSizes): 14,442 per top lot + 1', () => {
    expect(cost(GENEALOGY_QUERY, 1, {})).toBe(14_443);
    expect(cost(GENEALOGY_QUERY, 30, {})).toBe(433_261);
    expect(cost(GENEALOGY_QUERY, undefined, {})).toBe(1_444_201);
  });

  it("a lead planner's 4-tier walk (bench/scale.ts): 2,642 per top lot + 1; fits maxCost up to first 378 (6 with lists of 10)", () => {
    expect(LEAD_GENEALOGY_QUERY).toContain('query LeadGenealogy');
    expect(cost(LEAD_GENEALOGY_QUERY, 1)).toBe(2_643);
    expect(cost(LEAD_GENEALOGY_QUERY, 200)).toBe(528_401);
    expect(largestFirst(LEAD_GENEALOGY_QUERY, GATEWAY_LIMITS.maxCost)).toBe(378);
    expect(cost(LEAD_GENEALOGY_QUERY, 379)).toBeGreaterThan(GATEWAY_LIMITS.maxCost);
    expect(cost(LEAD_GENEALOGY_QUERY, 1, {})).toBe(144_443);
    expect(cost(LEAD_GENEALOGY_QUERY, 7, {})).toBeGreaterThan(GATEWAY_LIMITS.maxCost);
  });

  it('all lots: firms (assumed 10) × lots × components 4', () => {
    expect(cost(ALL_LOTS_QUERY, 40)).toBe(5_210); // 10 × (1 + 40 × (1 + 4 × 3))
    expect(cost(ALL_LOTS_QUERY, 40, {})).toBe(12_410);
  });
});

describe('estimateCost: connections (Apollo @listSize sizedFields: edges, nodes)', () => {
  const connections = buildSchema(`
    type Query { firm(id: ID!): Firm }
    type Firm {
      id: ID!
      lots(first: Int = 100): [Lot]
      lotsConnection(first: Int = 100, after: String): LotConnection
      pager(first: Int = 7): Pager
      summary: LotConnection
    }
    type Lot { lotId: ID! part: Part components: [Lot] lotsConnection(first: Int = 100, after: String): LotConnection }
    type Part { name: String }
    type LotConnection { nodes: [Lot] edges: [LotEdge] pageInfo: PageInfo! }
    type LotEdge { cursor: String! node: Lot }
    type PageInfo { hasNextPage: Boolean! endCursor: String }
    type Pager { items: [Lot] nodes: [Lot] }
  `);
  const cost = (query: string, variables?: Record<string, unknown>, options: Parameters<typeof estimateCost>[1] = {}) =>
    estimateCost({ schema: connections, document: parse(query), variables }, options);
  const firm = (selection: string) => `query($n: Int) { firm(id: "a") { ${selection} } }`;

  it("sizes nodes and edges by the connection's first; the connection and its pageInfo cost 1 each", () => {
    expect(cost(firm('lotsConnection(first: 5) { nodes { lotId } }'))).toBe(1 + 1 + 5);
    expect(cost(firm('lotsConnection(first: 5) { edges { cursor node { lotId } } }'))).toBe(1 + 1 + 5 * (1 + 1));
    expect(cost(firm('lotsConnection(first: 5) { nodes { lotId } edges { node { lotId } } pageInfo { endCursor } }'))).toBe(1 + 1 + 5 + 5 * 2 + 1);
    expect(cost(firm('lotsConnection(first: $n) { nodes { lotId } }'), { n: 40 })).toBe(1 + 1 + 40);
    expect(cost(firm('lotsConnection { nodes { lotId } }'))).toBe(1 + 1 + 100); // the schema default
    expect(cost(firm('lotsConnection(first: 0) { nodes { lotId } pageInfo { hasNextPage } }'))).toBe(1 + 1 + 0 + 1);
    // the same as the list, plus the connection's own 1
    expect(cost(firm('lotsConnection(first: 9) { nodes { part { name } } }'))).toBe(cost(firm('lots(first: 9) { part { name } }')) + 1);
  });

  it("multiplies what is nested in a page's rows by the page size, other lists by their own sizes", () => {
    // nodes 5 × (lot 1 + components assumed 10 × 1)
    expect(cost(firm('lotsConnection(first: 5) { nodes { components { lotId } } }'))).toBe(1 + 1 + 5 * (1 + 10));
    expect(cost(firm('lotsConnection(first: 5) { nodes { components { lotId } } }'), {}, { listSizes: { 'Lot.components': 4 } })).toBe(1 + 1 + 5 * (1 + 4));
    // a connection inside a page's rows: its own first
    expect(cost(firm('lotsConnection(first: 5) { nodes { lotsConnection(first: 3) { nodes { lotId } } } }'))).toBe(1 + 1 + 5 * (1 + 1 + 3));
  });

  it('lets the slicing argument win over a listSizes entry for nodes or edges', () => {
    expect(cost(firm('lotsConnection(first: 5) { nodes { lotId } }'), {}, { listSizes: { 'LotConnection.nodes': 2 } })).toBe(1 + 1 + 5);
    // a connection field without a slicing argument: its lists keep their assumed sizes
    expect(cost(firm('summary { nodes { lotId } }'))).toBe(1 + 1 + 10);
    expect(cost(firm('summary { nodes { lotId } }'), {}, { listSizes: { 'LotConnection.nodes': 2 } })).toBe(1 + 1 + 2);
  });

  it('sizes only the configured sizedFields', () => {
    expect(cost(firm('pager(first: 3) { items { lotId } nodes { lotId } }'))).toBe(1 + 1 + 10 + 3);
    expect(cost(firm('pager(first: 3) { items { lotId } nodes { lotId } }'), {}, { sizedFields: ['items'] })).toBe(1 + 1 + 3 + 10);
  });

  it('costs a fragment on a connection by the first of each place it is spread', () => {
    const q = 'query { firm(id: "a") { a: lotsConnection(first: 2) { ...Page } b: lotsConnection(first: 3) { ...Page } } } fragment Page on LotConnection { nodes { lotId } }';
    expect(cost(q)).toBe(1 + (1 + 2) + (1 + 3));
    const inline = firm('lotsConnection(first: 4) { ... on LotConnection { edges { node { lotId } } } }');
    expect(cost(inline)).toBe(1 + 1 + 4 * 2);
  });
});

describe("the firms' connections on the gateway's schema", () => {
  const api = buildSchema(readSupergraph(), { assumeValidSDL: true });
  const options = { assumedListSize: GATEWAY_LIMITS.assumedListSize, listSizes: GATEWAY_LIMITS.listSizes };
  const cost = (query: string, first: number) => estimateCost({ schema: api, document: parse(query), variables: { first } }, options);

  it('costs the demo genealogy as a connection what it costs as a list, + 1 for the connection, + 1 for pageInfo', () => {
    const asConnection = GENEALOGY_QUERY.replace('lots(first: $first) {', 'lotsConnection(first: $first) { pageInfo { endCursor } nodes {').replace(/\}\s*\}\s*\}\s*$/, '} } } }');
    expect(asConnection).toContain('lotsConnection');
    for (const first of [1, 20, 1000]) expect(cost(asConnection, first)).toBe(cost(GENEALOGY_QUERY, first) + 2);
  });

  it("sizes every Firm connection and Part.lotsConnection by first, Part.lotsConnection's nodes inside a page of parts", () => {
    for (const field of ['parts', 'lots', 'purchaseOrders', 'orderConfirmations', 'shipments', 'inventory', 'productionRuns', 'qualityInspections', 'sensorAnomalies', 'accessLog', 'writeLog']) {
      const q = `query($first: Int) { firm(id: "a") { ${field}Connection(first: $first) { nodes { __typename } edges { cursor } } } }`;
      expect(cost(q, 50), field).toBe(1 + 1 + 50 + 50);
    }
    const nested = 'query($first: Int) { firm(id: "a") { partsConnection(first: $first) { nodes { lotsConnection(first: 10) { nodes { lotId } } } } } }';
    expect(cost(nested, 30)).toBe(1 + 1 + 30 * (1 + 1 + 10));
  });
});
