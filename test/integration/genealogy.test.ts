import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL, readMetric, type GraphQLResult } from '../harness/graphqlClient.js';
import { postAsGateway } from '../harness/postAsGateway.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

function childLots(lot: Json | null | undefined): Json[] {
  const components = (lot?.components ?? []) as ({ component?: { lot?: Json | null } } | null)[];
  return components.flatMap((c) => (c?.component?.lot ? [c.component.lot] : []));
}

describe(`genealogy walk through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let result: GraphQLResult;

  beforeAll(async () => {
    cluster = await startTestCluster();
    result = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, {
      token: cluster.token('skyframe', { roles: ['planner'] }),
      variables: { first: 2 },
    });
  });
  afterAll(async () => cluster?.stop());

  it('walks a finished lot four tiers down across four firms', () => {
    expect(result.status).toBe(200);
    const lots = at(result.data, 'firm.lots') as Json[];
    expect(lots).toHaveLength(2);
    const firmsByTier: Set<unknown>[] = [new Set(), new Set(), new Set(), new Set()];
    for (const lot of lots) {
      firmsByTier[0]?.add(lot.firmId);
      for (const t1 of childLots(lot)) {
        firmsByTier[1]?.add(t1.firmId);
        for (const t2 of childLots(t1)) {
          firmsByTier[2]?.add(t2.firmId);
          for (const t3 of childLots(t2)) firmsByTier[3]?.add(t3.firmId);
        }
      }
    }
    expect([...(firmsByTier[0] ?? [])]).toEqual(['skyframe']);
    expect(firmsByTier[1]).toContain('structura');
    expect(firmsByTier[2]).toContain('precimach');
    expect(firmsByTier[3]).toContain('alumill');
    // Each lot was answered by its owner: its data is the owner's (ids carry the owner's prefix).
    const t3 = lots.flatMap(childLots).flatMap(childLots).flatMap(childLots);
    expect(t3.length).toBeGreaterThan(0);
    for (const lot of t3) {
      expect(String(lot.lotId).startsWith(`${String(lot.firmId)}-`)).toBe(true);
      expect(lot.status).toEqual(expect.any(String));
      expect(lot.producedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it("returns every field the owners grant, and nulls with FORBIDDEN errors for the rest", () => {
    const lots = at(result.data, 'firm.lots') as Json[];
    // The lead's own unit cost is visible to its own planner.
    expect(at(lots[0], 'part.unitCost')).toEqual(expect.any(Number));
    // A supplier's unit cost is not granted to its customer: null with an error naming it.
    const t1 = lots.flatMap(childLots);
    const structuraLot = t1.find((l) => l.firmId === 'structura');
    expect(structuraLot).toBeDefined();
    expect(at(structuraLot, 'part.name')).toEqual(expect.any(String));
    expect(at(structuraLot, 'part.unitCost')).toBeNull();
    const denied = (result.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');
    expect(denied.length).toBeGreaterThan(0);
    const unitCost = denied.find((e) => e.extensions?.firmId === 'structura' && e.extensions?.field === 'unitCost');
    expect(unitCost?.message).toMatch(/structura/);
    expect(unitCost?.path?.at(-1)).toBe('unitCost');
    // No error other than policy refusals: nothing failed, nothing was routed wrong.
    const other = (result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
    expect(other).toEqual([]);
  });

  it('sends no firm a representation it does not own', async () => {
    for (const firm of cluster.firms.values()) {
      expect(await readMetric(firm.server?.url ?? '', 'dataspace_owner_mismatch_total')).toBe(0);
    }
  });

  it('refuses, at the subgraph, a representation the firm does not own', async () => {
    const token = cluster.token('skyframe');
    const r = await postAsGateway(
      cluster,
      { firmId: 'structura' },
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { lotId status } } }',
      {
        token,
        variables: {
          r: [
            { __typename: 'Lot', firmId: 'precimach', lotId: 'precimach-L0001' },
            { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' },
          ],
        },
      },
    );
    expect(r.status).toBe(200);
    // The foreign representation is refused, and only it: the firm's own lot is answered.
    expect(at(r.data, '_entities.0')).toBeNull();
    expect(at(r.data, '_entities.1.lotId')).toBe('structura-L0001');
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.extensions?.code).toBe('OWNER_MISMATCH');
    expect(r.errors?.[0]?.path).toEqual(['_entities', 0]);
  });
});
