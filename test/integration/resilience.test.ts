import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL } from '../harness/graphqlClient.js';
import { startDelayProxy } from '../harness/delayProxy.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

function tier(lots: Json[]): Json[] {
  return lots.flatMap((l) =>
    ((l.components ?? []) as ({ component?: { lot?: Json | null } } | null)[]).flatMap((c) => (c?.component?.lot ? [c.component.lot] : [])),
  );
}

describe(`a firm that is down or slow (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ firmTimeoutMs: 800, directoryRefreshMs: 0, seed: { lotsPerFirm: 6 } });
  });
  afterAll(async () => cluster?.stop());

  it('gives partial data and errors naming a firm that is down', async () => {
    const precimach = cluster.firms.get('precimach');
    await precimach?.stop();
    try {
      const r = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token: cluster.token('skyframe'), variables: { first: 1 } });
      expect(r.status).toBe(200);
      const lots = at(r.data, 'firm.lots') as Json[];
      expect(lots).toHaveLength(1);
      const t1 = tier(lots);
      expect(t1.some((l) => l.firmId === 'structura')).toBe(true);
      const down = (r.errors ?? []).filter((e) => e.extensions?.code === 'FIRM_UNAVAILABLE');
      expect(down.length).toBeGreaterThan(0);
      expect(down.every((e) => e.extensions?.firmId === 'precimach')).toBe(true);
      expect(down[0]?.message).toMatch(/precimach/);
    } finally {
      await precimach?.start();
    }
    // Back on the same port: the next query is whole again.
    const again = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token: cluster.token('skyframe'), variables: { first: 1 } });
    expect((again.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN')).toEqual([]);
  });

  it('answers within the per-firm timeout when a firm is slow, with the others unaffected', async () => {
    const slow = cluster.firms.get('precimach');
    const endpoints = slow?.server?.endpoints;
    if (!endpoints) throw new Error('precimach not running');
    const proxy = await startDelayProxy(slow?.server?.url ?? '', 3_000);
    const original = cluster.directory.current();
    cluster.directory.set({
      ...original,
      members: original.members.map((m) =>
        m.id === 'precimach' ? { ...m, endpoints: { firm: `${proxy.url}/firm`, links: `${proxy.url}/links` } } : m,
      ),
    });
    await cluster.gatewayDirectory.refresh();
    try {
      const started = Date.now();
      const r = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token: cluster.token('skyframe'), variables: { first: 1 } });
      const elapsed = Date.now() - started;
      expect(r.status).toBe(200);
      // One links fetch and one firm fetch may each wait for precimach: at most two timeouts in sequence.
      expect(elapsed).toBeLessThan(2 * 800 + 1_000);
      const slowErrors = (r.errors ?? []).filter((e) => e.extensions?.code === 'FIRM_TIMEOUT');
      expect(slowErrors.length).toBeGreaterThan(0);
      expect(slowErrors.every((e) => e.extensions?.firmId === 'precimach')).toBe(true);
      const lots = at(r.data, 'firm.lots') as Json[];
      expect(tier(lots).some((l) => l.firmId === 'structura' && l.status)).toBe(true);
    } finally {
      cluster.directory.set(original);
      await cluster.gatewayDirectory.refresh();
      await proxy.close();
    }
  });
});
