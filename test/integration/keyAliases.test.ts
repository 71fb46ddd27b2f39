import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

/**
 * A client's own aliases that collide with key fields (issue 8): through the real gateway,
 * the answer holds what the client asked for, not the key values Apollo's query planner
 * puts under those names. Each query is checked against the same query with harmless alias
 * names (`firmId:` → `x_firmId:`), which the planner gets right, and by hand.
 */

/** The same query with every alias `name:` written `x_name:` (no field of the schema starts with `x_`). */
function harmless(query: string): string {
  return query.replace(/\b([_A-Za-z][_0-9A-Za-z]*)\s*:\s*(?=[_A-Za-z])/g, (m, alias: string, offset: number) => {
    const before = query.slice(0, offset);
    // only aliases in selection sets, not arguments: an argument sits inside parentheses
    return before.lastIndexOf('(') > before.lastIndexOf(')') ? m : `x_${alias}: `;
  });
}

/** Renames `x_name` keys back to `name`, at every level of an answer. */
function unprefixed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unprefixed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.startsWith('x_') ? k.slice(2) : k, unprefixed(v)]));
}

const SHAPES: [string, string][] = [
  ['the issue: lots and their components’ lots', '{ firm(id: "structura") { lots(first: 2) { firmId: lotId lotId: firmId components { component { lot { firmId: lotId } } } } } }'],
  ['Firm’s key aliased, with a firm-served field next to it', '{ firm(id: "structura") { id: name lots(first: 1) { lotId } } }'],
  ['firms with their key aliased', '{ firms { id: name lots(first: 1) { firmId: status lotId } } }'],
  [
    'LotRef and the Lot reached through LotRef.lot, with a field of the owner',
    '{ firm(id: "structura") { lots(first: 2) { components { component { firmId: lotId lotId: firmId lot { firmId: lotId lotId: firmId status part { partId: name firmId: name } } } } } } }',
  ],
  ['PartRef and Part across firms', '{ firm(id: "skyframe") { purchaseOrders(first: 2) { lines { part { firmId: partId partId: firmId part { firmId: name } } } } } }'],
  ['named and inline fragments', 'query Q { firm(id: "structura") { ...F } } fragment F on Firm { id: name lots(first: 1) { ... on Lot { firmId: lotId status components { component { lot { ...L } } } } } } fragment L on Lot { lotId: status firmId: quantity }'],
  ['__typename as an alias', '{ firm(id: "structura") { lots(first: 1) { components { component { lot { __typename: status lotId } } } } } }'],
];

describe(`client aliases that collide with key fields, through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let token: string;
  const ask = (query: string): Promise<GraphQLResult> => postGraphQL(cluster.gatewayUrl, query, { token });

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 3 } });
    token = cluster.token('skyframe');
  });
  afterAll(async () => cluster?.stop());

  it('the harmless rewrite touches only aliases', () => {
    expect(harmless('{ firm(id: "structura") { id: name lots(first: 2) { lotId } } }')).toBe('{ firm(id: "structura") { x_id: name lots(first: 2) { lotId } } }');
  });

  it.each(SHAPES)('%s: the answer holds what the client asked for', async (_shape, query) => {
    const [aliased, reference] = await Promise.all([ask(query), ask(harmless(query))]);
    expect(reference.errors).toBeUndefined();
    expect(aliased.errors).toBeUndefined();
    expect(JSON.stringify(reference.data)).toMatch(/x_/);
    expect(aliased.data).toEqual(unprefixed(reference.data));
  });

  it('by hand: a lot id under firmId, the owner under lotId, a name under id', async () => {
    const lots = await ask(SHAPES[0]?.[1] ?? '');
    const first = at(lots.data, 'firm.lots.0') as Record<string, unknown>;
    expect(first.firmId).toMatch(/^structura-L\d+$/);
    expect(first.lotId).toBe('structura');
    expect(at(first, 'components.0.component.lot.firmId')).toMatch(/^[a-z]+-L\d+$/);
    const firm = await ask(SHAPES[1]?.[1] ?? '');
    expect(at(firm.data, 'firm.id')).toBe('Structura Aerostructures');
    const refs = await ask(SHAPES[3]?.[1] ?? '');
    const component = at(refs.data, 'firm.lots.0.components.0.component') as Record<string, unknown>;
    expect(component.firmId).toMatch(/-L\d+$/);
    expect(at(component, 'lot.firmId')).toBe(component.firmId);
    expect(at(component, 'lot.lotId')).toBe(component.lotId);
    expect(at(component, 'lot.part.firmId')).toBe(at(component, 'lot.part.partId'));
  });

  it('error paths name the client’s aliases', async () => {
    // A supplier's unit cost is refused to skyframe (cluster terms): the error's path runs through the alias.
    const query = '{ firm(id: "structura") { lots(first: 1) { lotId: components { component { lot { part { unitCost } } } } } } }';
    const [aliased, reference] = await Promise.all([ask(query), ask(harmless(query))]);
    const paths = (r: GraphQLResult) => (r.errors ?? []).map((e) => e.path);
    expect(paths(reference).length).toBeGreaterThan(0);
    expect(paths(reference)[0]).toContain('x_lotId');
    expect(paths(aliased)).toEqual(paths(reference).map((p) => p?.map((s) => (s === 'x_lotId' ? 'lotId' : s))));
    expect(aliased.data).toEqual(unprefixed(reference.data));
  });
});
