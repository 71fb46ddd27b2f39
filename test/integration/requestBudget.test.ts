import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL, readMetric } from '../harness/graphqlClient.js';
import { ALL_LOTS_QUERY, GENEALOGY_QUERY } from '../harness/queries.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

interface Cost {
  subgraphRequests: number;
  sqlStatements: number;
  rows: number;
}

describe(`requests and SQL statements per query do not grow with rows (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;

  async function sqlTotal(): Promise<number> {
    let total = 0;
    for (const f of cluster.firms.values()) total += await readMetric(f.server?.url ?? '', 'dataspace_sql_statements_total');
    return total;
  }

  async function measure(query: string, first: number, rowsAt: (data: unknown) => number): Promise<Cost> {
    const token = cluster.token('skyframe');
    const requestsBefore = cluster.gateway.router.stats.requests;
    const sqlBefore = await sqlTotal();
    const r = await postGraphQL(cluster.gatewayUrl, query, { token, variables: { first } });
    expect(r.status).toBe(200);
    expect((r.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN')).toEqual([]);
    return {
      subgraphRequests: cluster.gateway.router.stats.requests - requestsBefore,
      sqlStatements: (await sqlTotal()) - sqlBefore,
      rows: rowsAt(r.data),
    };
  }

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 40 } });
    // Warm up once: each firm's first access-log append reads the chain head (a locked
    // transaction); every later append is one statement. Measure the steady state.
    await postGraphQL(cluster.gatewayUrl, ALL_LOTS_QUERY, { token: cluster.token('skyframe'), variables: { first: 1 } });
    await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token: cluster.token('skyframe'), variables: { first: 1 } });
  });
  afterAll(async () => cluster?.stop());

  it('genealogy of 10× more finished lots costs the same requests and statements', async () => {
    const countLots = (data: unknown) => JSON.stringify(data).split('"lotId"').length - 1;
    const small = await measure(GENEALOGY_QUERY, 3, countLots);
    const large = await measure(GENEALOGY_QUERY, 30, countLots);
    expect(large.rows).toBeGreaterThanOrEqual(small.rows * 5);
    expect(large.subgraphRequests).toBe(small.subgraphRequests);
    expect(large.sqlStatements).toBe(small.sqlStatements);
    // One request per owner and firm step (the key-only links hops are answered by the
    // gateway): skyframe, then {structura, avionix}, {precimach, circuitra}, {alumill, cuprum}.
    expect(small.subgraphRequests).toBe(1 + 2 + 2 + 2);
  });

  it("every member's lots with their components: one request per owner and step", async () => {
    const countLots = (data: unknown) => (at(data, 'firms') as { lots: unknown[] | null }[]).reduce((n, f) => n + (f.lots?.length ?? 0), 0);
    const small = await measure(ALL_LOTS_QUERY, 4, countLots);
    const large = await measure(ALL_LOTS_QUERY, 40, countLots);
    expect(large.rows).toBeGreaterThan(small.rows);
    expect(large.subgraphRequests).toBe(small.subgraphRequests);
    expect(large.sqlStatements).toBe(small.sqlStatements);
  });
});
