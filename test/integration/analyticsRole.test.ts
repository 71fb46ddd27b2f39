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

  it('refuses a token that mixes the analytics role with a user role', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token: cluster.token('skyframe', { roles: ['analytics', 'planner'] }) });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('TOKEN_INVALID');
    expect(r.errors?.[0]?.message).toMatch(/analytics is a tool's and goes alone/);
  });
});
