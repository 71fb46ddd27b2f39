import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlStatementsTotal } from '../../bench/lib/clusterMetrics.js';
import { writeGenericPolicies } from '../../bench/lib/genericPolicies.js';
import { recallRequestBound, type RecallShape } from '../../bench/lib/recallBound.js';
import { generateTopology } from '../../seed/generateTopology.js';
import { tables } from '../../subgraphs/firm/db/tables.js';
import { at, postGraphQL } from '../harness/graphqlClient.js';
import { RECALL_QUERY } from '../harness/queries.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

/**
 * What a firm does for one traversal request at most: the step's one statement per field
 * (shipments, and lots consuming or components), the access log's write, and the policy's
 * membership or agreement lookups, once the firm has cached the caller's agreements. A
 * constant: the statements cannot grow with the lots (bench/recall.ts measures the same 99
 * statements for the downward recall's 31 requests with 60 lots per firm as this test with
 * 12, on PGlite; PostgreSQL, whose pool runs the firms' requests concurrently, measured 128).
 */
const STATEMENTS_PER_FIRM_REQUEST = 5;

const TOPOLOGY = generateTopology({ firms: 30, tiers: 5 });

describe(`recallImpact on a generated 30-firm, 5-tier cluster (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let token: string;

  /** One recall, with the firm requests and SQL statements it cost the cluster. */
  const measure = async (lot: { firmId: string; lotId: string }, direction: 'UPWARD' | 'DOWNWARD') => {
    const requestsBefore = cluster.gateway.router.stats.requests;
    const sqlBefore = await sqlStatementsTotal(cluster);
    const r = await postGraphQL(cluster.gatewayUrl, RECALL_QUERY, { token, variables: { firm: 'lead', lot, direction, depth: 10 } });
    const sql = (await sqlStatementsTotal(cluster)) - sqlBefore;
    const requests = cluster.gateway.router.stats.requests - requestsBefore;
    expect(r.errors ?? []).toEqual([]);
    const impact = at(r.data, 'firm.recallImpact') as Json & RecallShape;
    return { impact, requests, sql, bound: recallRequestBound(impact, TOPOLOGY, direction === 'UPWARD') };
  };

  beforeAll(async () => {
    const ids = TOPOLOGY.members.map((m) => m.id);
    cluster = await startTestCluster({ topology: TOPOLOGY, policyFileFor: writeGenericPolicies(ids, 'lead'), seed: { seed: 42, lotsPerFirm: 12 } });
    token = cluster.token('lead', { roles: ['quality'] });
  });
  afterAll(async () => cluster?.stop());

  it('walks UPWARD from a tier-4 lot to the lead in at most 1 + Σ owners per step requests, constant SQL per request', async () => {
    const firmId = TOPOLOGY.members.find((m) => m.tier === 4)?.id ?? '';
    await measure({ firmId: 'lead', lotId: 'lead-L0002' }, 'DOWNWARD'); // the firms' first reads fill their caches (agreements, peers)
    const firm = cluster.firms.get(firmId);
    const lots = (await firm?.database.db.select({ lotId: tables.lots.lotId }).from(tables.lots)) ?? [];
    // The first of the firm's lots whose recall reaches the lead (not every raw lot was consumed).
    let reached: Awaited<ReturnType<typeof measure>> | undefined;
    for (const { lotId } of lots) {
      const m = await measure({ firmId, lotId }, 'UPWARD');
      expect(m.requests).toBeLessThanOrEqual(m.bound);
      expect(m.sql).toBeLessThanOrEqual(STATEMENTS_PER_FIRM_REQUEST * m.requests);
      if ((m.impact.endItems as Json[]).some((l) => l.firmId === 'lead')) {
        reached = m;
        break;
      }
    }
    expect(reached, `no lot of ${firmId} reaches the lead`).toBeDefined();
    if (!reached) return;
    expect(reached.impact.complete).toBe(true);
    const tiers = new Set(reached.impact.lots.map((l) => TOPOLOGY.members.find((m) => m.id === l.lot.firmId)?.tier));
    expect(tiers).toContain(0);
    expect(tiers.size).toBeGreaterThanOrEqual(3);
  });

  it('walks DOWNWARD from a lead lot to tier 4: requests within the bound, SQL constant per request while the lots are many', async () => {
    await measure({ firmId: 'lead', lotId: 'lead-L0002' }, 'DOWNWARD'); // the firms' first reads fill their caches (agreements, peers)
    const m = await measure({ firmId: 'lead', lotId: 'lead-L0001' }, 'DOWNWARD');
    expect(m.impact.complete).toBe(true);
    const lots = m.impact.lots;
    expect(new Set(lots.map((l) => `${l.lot.firmId}/${String((l.lot as Json).lotId)}`)).size).toBe(lots.length);
    expect(Math.max(...lots.map((l) => l.hops))).toBe(4);
    expect(m.requests).toBeLessThanOrEqual(m.bound);
    expect(m.sql).toBeLessThanOrEqual(STATEMENTS_PER_FIRM_REQUEST * m.requests);
    // More lots in the answer than statements per request × firms per step could fetch one by one.
    expect(lots.length).toBeGreaterThan(m.requests);
  });
});
