import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

const ORDERS = '{ firm(id: "skyframe") { purchaseOrders(first: 3) { orderId lines { unitPrice } } } }';

describe(`the analytics role through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
  });
  afterAll(async () => cluster?.stop());

  it("the lead's own tool reads none of the lead's order prices, which its planner reads", async () => {
    const planner = await postGraphQL(cluster.gatewayUrl, ORDERS, { token: cluster.token('skyframe', { roles: ['planner'] }) });
    expect(planner.errors ?? []).toEqual([]);
    expect(at(planner.data, 'firm.purchaseOrders.0.lines.0.unitPrice')).toEqual(expect.any(Number));

    const tool = await postGraphQL(cluster.gatewayUrl, ORDERS, { token: cluster.token('skyframe', { roles: ['analytics'], purpose: 'benchmarking' }) });
    expect(tool.status).toBe(200);
    expect(tool.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(tool.data ?? {})).not.toMatch(/unitPrice":\d/);
  });

  it('every supplier answers a tool aggregates of its inspections, shipments and inventory, and no row; the lead, which grants none, refuses', async () => {
    const tool = cluster.token('skyframe', { roles: ['analytics'], purpose: 'benchmarking' });
    const query = `{ firms { id
      quality: aggregate(type: "QualityInspection", groupBy: ["result"], measures: [{ fn: COUNT }]) { minGroupSize groups { key { field value } count } rules }
      shipments: aggregate(type: "Shipment", groupBy: ["status"], measures: [{ fn: COUNT }]) { minGroupSize groups { count } rules }
      stock: aggregate(type: "InventoryPosition", groupBy: ["site"], measures: [{ fn: SUM, field: "onHand" }]) { minGroupSize groups { count values } rules }
    } }`;
    const r = await postGraphQL(cluster.gatewayUrl, query, { token: tool });
    // The lead's (version 1) policy offers tools nothing: its three aggregates are refused, the rest answered.
    expect((r.errors ?? []).map((e) => `${String(e.extensions?.firmId)}:${String(e.extensions?.code)}:${String(e.path?.[2])}`).sort()).toEqual(['skyframe:FORBIDDEN:quality', 'skyframe:FORBIDDEN:shipments', 'skyframe:FORBIDDEN:stock']);
    const firms = (at(r.data, 'firms') as { id: string }[]).filter((f) => f.id !== 'skyframe') as { id: string; quality: { minGroupSize: number; rules: string[]; groups: { count: number }[] }; shipments: { rules: string[] }; stock: { minGroupSize: number; rules: string[] } }[];
    expect(firms.map((f) => f.id).sort()).toEqual([...cluster.firms.keys()].filter((id) => id !== 'skyframe').sort());
    for (const f of firms) {
      expect(f.quality.rules).toEqual(['tools-benchmark-quality']);
      expect(f.quality.minGroupSize).toBe(5);
      expect(f.quality.groups.every((g) => g.count >= 5)).toBe(true);
      expect(f.shipments.rules).toEqual(['tools-benchmark-shipments']);
      expect(f.stock).toMatchObject({ minGroupSize: 3, rules: ['tools-benchmark-inventory'] });
    }
    // The same tool reads no row of those types.
    const rows = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "alumill") { shipments(first: 1) { shipmentId } } }', { token: tool });
    expect(rows.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a token that mixes the analytics role with a user role', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token: cluster.token('skyframe', { roles: ['analytics', 'planner'] }) });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('TOKEN_INVALID');
    expect(r.errors?.[0]?.message).toMatch(/analytics is a tool's and goes alone/);
  });
});
