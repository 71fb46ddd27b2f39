import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
// The request-kind enum is not re-exported by the package index.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { OwnerRoutedDataSource } from '../../../gateway/ownerRoutedDataSource.js';
import { OwnerRouter } from '../../../routing/ownerRouter.js';
import type { OwnerFetchEvent } from '../../../routing/ownerRouter.js';
import { ownerOf } from '../../../routing/ownerOf.js';
import { readSupergraph, subgraphSdl } from '../../../schema/supergraph.js';
import { startFakeSubgraphFirm } from './fakeSubgraphFirm.js';
import type { FakeSubgraphFirm } from './fakeSubgraphFirm.js';

interface Ctx {
  token: string;
}

const FIRMS = [
  { id: 'airframe', name: 'Airframe SA', role: 'lead', tier: 0 },
  { id: 'structura', name: 'Structura', role: 'partner', tier: 1 },
  { id: 'precimach', name: 'Precimach', role: 'partner', tier: 2 },
];

const registry = buildSubgraphSchema({
  typeDefs: parse(subgraphSdl('registry')),
  resolvers: {
    Query: { firm: (_: unknown, { id }: { id: string }) => FIRMS.find((f) => f.id === id) ?? null },
    Firm: { __resolveReference: (ref: { id: string }) => FIRMS.find((f) => f.id === ref.id) ?? null },
  },
});

const GENEALOGY = `query Genealogy {
  firm(id: "airframe") {
    id name
    lots { firmId lotId quantity components { component { firmId lotId lot {
      firmId lotId quantity components { component { firmId lotId lot { firmId lotId quantity } } }
    } } } }
  }
}`;

const started: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function cluster(options: { downFirm?: string; timeoutMs?: number } = {}) {
  const firms = await Promise.all([
    startFakeSubgraphFirm('airframe', [
      { lotId: 'A1', quantity: 1, components: [{ firmId: 'structura', lotId: 'S1' }, { firmId: 'structura', lotId: 'S2' }, { firmId: 'precimach', lotId: 'P1' }] },
    ]),
    startFakeSubgraphFirm('structura', [
      { lotId: 'S1', quantity: 10, components: [{ firmId: 'precimach', lotId: 'P1' }] },
      { lotId: 'S2', quantity: 20, components: [{ firmId: 'precimach', lotId: 'P1' }, { firmId: 'precimach', lotId: 'P2' }] },
    ]),
    startFakeSubgraphFirm('precimach', [
      { lotId: 'P1', quantity: 100, components: [] },
      { lotId: 'P2', quantity: 200, components: [], denyQuantity: true },
    ]),
  ]);
  const byId = new Map<string, FakeSubgraphFirm>(firms.map((f) => [f.firmId, f]));
  started.push(...firms.map((f) => ({ stop: () => f.close() })));
  if (options.downFirm) await byId.get(options.downFirm)?.close();
  const events: OwnerFetchEvent[] = [];
  const router = new OwnerRouter({
    endpointOf: (firmId, subgraph) => {
      const firm = byId.get(firmId);
      return firm ? `${firm.base}/${subgraph}` : undefined;
    },
    timeoutMs: options.timeoutMs ?? 2000,
    onFetch: (event) => events.push(event),
  });
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(),
    buildService: ({ name }) =>
      name === 'firm' || name === 'links'
        ? new OwnerRoutedDataSource<Ctx>({ subgraph: name, router, headersFor: (ctx) => ({ authorization: ctx.token }) })
        : new LocalGraphQLDataSource(registry),
  });
  const server = new ApolloServer<Ctx>({ gateway });
  await server.start();
  started.push(server);
  const execute = async (query: string, variables?: Record<string, unknown>) => {
    const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) }, { contextValue: { token: 'Bearer user-token' } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  };
  const run = () => execute(GENEALOGY);
  return { firms, byId, router, events, run, execute };
}

describe('@apollo/gateway with OwnerRoutedDataSource', () => {
  it('walks a 3-firm lot genealogy, each firm receiving only its own representations', async () => {
    const { firms, router, events, run } = await cluster();
    const result = await run();

    const lots = (result.data?.['firm'] as { lots: Array<Record<string, unknown>> }).lots;
    expect(JSON.stringify(lots)).toContain('"lotId":"S2","quantity":20');
    const a1 = lots[0] as { components: Array<{ component: { lot: { lotId: string; components: Array<{ component: { lot: unknown } }> } } }> };
    expect(a1.components.map((c) => c.component.lot.lotId)).toEqual(['S1', 'S2', 'P1']);
    expect(a1.components[1]?.component.lot.components.map((c) => c.component.lot)).toEqual([
      { firmId: 'precimach', lotId: 'P1', quantity: 100 },
      { firmId: 'precimach', lotId: 'P2', quantity: null },
    ]);

    for (const firm of firms) {
      const all = [...firm.received.firm, ...firm.received.links];
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((rep) => ownerOf(rep) === firm.firmId)).toBe(true);
      expect(firm.authorizations.every((a) => a === 'Bearer user-token')).toBe(true);
    }
    // P1 is consumed by S1 and S2: the gateway asks for it twice in one fetch, precimach gets it once.
    const precimach = firms[2];
    const p1Lots = precimach?.received.firm.filter((r) => JSON.stringify(r).includes('"P1"'));
    expect(p1Lots).toHaveLength(2); // once at depth 1 (from A1), once at depth 2 (from S1 and S2)
    expect(router.stats.requests).toBe(events.length);

    // The policy denial travels to the client with the firm's code and its id.
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      message: 'quantity of lot P2 is not shared',
      path: ['firm', 'lots', 0, 'components', 1, 'component', 'lot', 'components', 1, 'component', 'lot', 'quantity'],
      extensions: { code: 'FORBIDDEN', firmId: 'precimach', serviceName: 'firm' },
    });
  });

  it('gives partial data and errors naming a firm that is down', async () => {
    const { run } = await cluster({ downFirm: 'precimach' });
    const result = await run();
    const lots = (result.data?.['firm'] as { lots: Array<{ components: Array<{ component: { lot: unknown } }> }> }).lots;
    expect(lots[0]?.components.map((c) => c.component.lot === null)).toEqual([false, false, true]);
    const codes = new Set(result.errors?.map((e) => `${String(e.extensions?.['code'])}/${String(e.extensions?.['firmId'])}`));
    expect([...codes]).toEqual(['FIRM_UNAVAILABLE/precimach']);
    expect(result.errors?.[0]?.message).toMatch(/^firm precimach is unavailable/);
    expect(result.errors?.[0]?.extensions?.['serviceName']).toBe('links');
  });

  it('answers health checks itself and refuses schema loading (the supergraph is static)', async () => {
    const router = new OwnerRouter({ endpointOf: () => undefined });
    const source = new OwnerRoutedDataSource<Ctx>({ subgraph: 'firm', router, headersFor: () => ({}) });
    const health = await source.process({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request: { query: '{ __typename }' }, context: {} });
    expect(health).toEqual({ data: { __typename: 'Query' } });
    const loading = await source.process({ kind: GraphQLDataSourceRequestKind.LOADING_SCHEMA, request: { query: '{ _service { sdl } }' }, context: {} });
    expect(loading.errors?.[0]?.extensions?.['code']).toBe('NOT_SUPPORTED');
    expect(router.stats.requests).toBe(0);
  });
});

describe('@apollo/gateway with OwnerRoutedDataSource: root fields routed by firmId', () => {
  const INPUT = { types: ['Shipment'], fields: ['*'], purpose: 'planning', days: 30 };
  const REQUEST = `mutation Ask($owner: ID!, $input: AccessRequestInput!) {
    requestAccess(firmId: $owner, input: $input) { requestId ownerId types purpose days state }
  }`;

  it('sends a mutation to the firm its firmId names (variable or literal), and to no other', async () => {
    const { firms, byId, execute } = await cluster();
    const result = await execute(REQUEST, { owner: 'structura', input: INPUT });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      requestAccess: { requestId: 'structura-AR0001', ownerId: 'structura', types: ['Shipment'], purpose: 'planning', days: 30, state: 'PENDING' },
    });
    const literal = await execute('mutation { done: revokeAgreement(firmId: "precimach", agreementId: "precimach-AG0001") { agreementId ownerId state } }');
    expect(literal.data).toEqual({ done: { agreementId: 'precimach-AG0001', ownerId: 'precimach', state: 'REVOKED' } });
    expect(byId.get('structura')?.operations.map((o) => o.query)).toEqual([expect.stringMatching(/requestAccess\(firmId: ?\$owner/)]);
    expect(byId.get('precimach')?.operations.map((o) => o.query)).toEqual([expect.stringMatching(/revokeAgreement\(firmId: ?"precimach"/)]);
    expect(firms.find((f) => f.firmId === 'airframe')?.operations).toEqual([]);
  });

  it('answers null with an error naming the firm when the owner is down', async () => {
    const { execute } = await cluster({ downFirm: 'structura' });
    const result = await execute(REQUEST, { owner: 'structura', input: INPUT });
    expect(result.data).toEqual({ requestAccess: null });
    expect(result.errors).toEqual([
      expect.objectContaining({ path: ['requestAccess'], extensions: expect.objectContaining({ code: 'FIRM_UNAVAILABLE', firmId: 'structura' }) }),
    ]);
  });

  it('answers UNKNOWN_FIRM for a firm that is no member, and refuses mutations naming two firms in one fetch', async () => {
    const { firms, execute } = await cluster();
    const unknown = await execute(REQUEST, { owner: 'ghost', input: INPUT });
    expect(unknown.data).toEqual({ requestAccess: null });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_FIRM', firmId: 'ghost' });

    const two = await execute(`mutation {
      a: revokeAgreement(firmId: "structura", agreementId: "1") { state }
      b: revokeAgreement(firmId: "precimach", agreementId: "2") { state }
    }`);
    expect(two.data ?? { a: null, b: null }).toEqual({ a: null, b: null });
    expect(two.errors?.[0]?.extensions?.['code']).toBe('NOT_ROUTABLE');
    expect(two.errors?.[0]?.message).toMatch(/a → structura; b → precimach/);
    expect(firms.every((f) => f.operations.length === 0)).toBe(true);
  });
});
