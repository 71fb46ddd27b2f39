import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL, readMetric } from '../harness/graphqlClient.js';
import { seedDemoInvestigation } from '../../demo/demoInvestigation.js';
import { EXAMPLE_QUERIES } from '../../demo/exampleQueries.js';
import { RECALL_QUERY } from '../harness/queries.js';
import { startRecordingProxy } from '../harness/recordingProxy.js';
import { routeFirmThrough } from '../harness/routeFirmThrough.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

/** The demo's seeded chain (seed 42, 40 lots per firm) that the issue traced by hand. */
const SUSPECT = { firmId: 'alumill', lotId: 'alumill-L0005' };

const lotIds = (r: Json): string[] => (r.lots as Json[]).map((l) => String(at(l, 'lot.lotId')));
const tombstones = (r: Json): string[] => (r.tombstones as Json[]).map((t) => `${t.firmId}:${t.step}:${t.reasonCode}`);

describe(`recallImpact through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let quality: string;

  const recall = async (variables: Json, token = quality, firm = 'skyframe') => {
    const r = await postGraphQL(cluster.gatewayUrl, RECALL_QUERY, { token, variables: { firm, lot: SUSPECT, ...variables } });
    return { r, impact: at(r.data, 'firm.recallImpact') as Json };
  };

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { seed: 42, lotsPerFirm: 40 } });
    quality = cluster.token('skyframe', { roles: ['quality'] });
  });
  afterAll(async () => cluster?.stop());

  it('reaches the two end items from the tier-3 lot in one request, each affected lot once', async () => {
    const { r, impact } = await recall({});
    expect(r.errors ?? []).toEqual([]);
    const ids = lotIds(impact);
    expect(ids[0]).toBe('alumill-L0005');
    for (const id of ['precimach-L0008', 'avionix-L0003', 'avionix-L0004', 'skyframe-L0001', 'skyframe-L0014']) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    const ends = (impact.endItems as Json[]).map((l) => l.lotId);
    expect(ends).toEqual(expect.arrayContaining(['skyframe-L0001', 'skyframe-L0014']));
    expect(ends.every((id) => String(id).startsWith('skyframe-'))).toBe(true);
    const hops = new Map((impact.lots as Json[]).map((l) => [at(l, 'lot.lotId'), l.hops]));
    expect([hops.get('precimach-L0008'), hops.get('avionix-L0003'), hops.get('skyframe-L0001')]).toEqual([1, 2, 3]);
    expect((impact.counts as Json[]).find((c) => c.firmId === 'skyframe')).toMatchObject({ firmTier: 0 });
  });

  it('agrees with the downward genealogy read by the same user: every lead lot that contains the suspect', async () => {
    const DOWN = `query { firm(id: "skyframe") { lots(first: 1000) { lotId components { component { firmId lotId lot { components { component { firmId lotId lot { components { component { firmId lotId } } } } } } } } } } }`;
    const down = await postGraphQL(cluster.gatewayUrl, DOWN, { token: quality });
    const contains = (lot: unknown): boolean => {
      for (const c of ((lot as Json | null)?.components ?? []) as Json[]) {
        const comp = c.component as Json | undefined;
        if (comp?.firmId === SUSPECT.firmId && comp.lotId === SUSPECT.lotId) return true;
        if (contains(comp?.lot)) return true;
      }
      return false;
    };
    const expected = (at(down.data, 'firm.lots') as Json[]).filter(contains).map((l) => l.lotId).sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const { impact } = await recall({});
    expect((impact.endItems as Json[]).map((l) => l.lotId).sort()).toEqual(expected);
  });

  it('reports what the owners refused as tombstones: the lead may not see the mill\u2019s shipments', async () => {
    const { impact } = await recall({});
    // alumill's and precimach's shipments go to their own customers only (their policies).
    expect(tombstones(impact)).toEqual(expect.arrayContaining(['alumill:SHIPMENTS:FORBIDDEN']));
    expect(impact.complete).toBe(false);
    // Avionix's shipments to skyframe are the lead's own deliveries: they and their orders are there.
    const toLead = (impact.shipments as Json[]).filter((s) => s.firmId === 'avionix');
    expect(toLead.length).toBeGreaterThan(0);
    for (const s of toLead) expect(s.customerId).toBe('skyframe');
    expect((impact.orders as Json[]).some((o) => o.firmId === 'skyframe')).toBe(true);
  });

  it('costs one gateway request per step: firm requests independent of the lots', async () => {
    const before = cluster.gateway.router.stats.requests;
    const sqlTotal = async () => {
      let n = 0;
      for (const f of cluster.firms.values()) n += await readMetric(f.server?.url ?? '', 'dataspace_sql_statements_total');
      return n;
    };
    await recall({});
    const sql0 = await sqlTotal();
    const r0 = cluster.gateway.router.stats.requests;
    const { impact } = await recall({});
    const requests = cluster.gateway.router.stats.requests - r0;
    const statements = (await sqlTotal()) - sql0;
    expect(before).toBeLessThan(r0);
    // The recall itself at skyframe + per step the owners asked: 4 steps over ≤ 2 + 2 + 2 + 1 owners.
    expect(impact.steps).toBe(4);
    expect(requests).toBeLessThanOrEqual(1 + 2 + 3 + 3 + 2);
    expect(statements).toBeGreaterThan(0);
  });

  it('walks downward from an end item with the same machinery', async () => {
    const { r, impact } = await recall({ lot: { firmId: 'skyframe', lotId: 'skyframe-L0001' }, direction: 'DOWNWARD' });
    expect(r.errors ?? []).toEqual([]);
    const ids = lotIds(impact);
    expect(ids).toEqual(expect.arrayContaining(['skyframe-L0001', 'avionix-L0003', 'precimach-L0008', 'alumill-L0005']));
    const mill = (impact.lots as Json[]).find((l) => at(l, 'lot.lotId') === 'alumill-L0005');
    expect(mill?.hops).toBe(3);
  });

  it('stops at the depth limit and says so', async () => {
    const { impact } = await recall({ depth: 1 });
    expect(impact.truncated).toBe(true);
    expect(impact.complete).toBe(false);
    expect(Math.max(...(impact.lots as Json[]).map((l) => Number(l.hops)))).toBe(1);
  });

  it('turns a firm that is down into a tombstone naming it, its tier and the lots left unknown', async () => {
    const avionix = cluster.firms.get('avionix');
    await avionix?.stop();
    try {
      const { r, impact } = await recall({});
      expect(r.status).toBe(200);
      const dead = (impact.tombstones as Json[]).filter((t) => t.firmId === 'avionix' && t.step === 'LOTS');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ firmTier: 1, hops: 1 });
      expect(['FIRM_UNAVAILABLE', 'FIRM_CIRCUIT_OPEN']).toContain(dead[0]?.reasonCode);
      expect((dead[0]?.lots as Json[]).map((l) => l.lotId)).toContain('precimach-L0008');
      expect(lotIds(impact)).toContain('precimach-L0008');
      expect(lotIds(impact).some((id) => id.startsWith('skyframe-'))).toBe(false);
      expect(impact.complete).toBe(false);
    } finally {
      await avionix?.start();
    }
  });

  it('is run by the caller\u2019s own firm only, and refuses bad arguments with stable codes', async () => {
    const other = cluster.token('avionix', { roles: ['quality'] });
    const { r } = await recall({}, other, 'skyframe');
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await recall({ depth: 0 })).r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await recall({ depth: 21 })).r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await recall({ lot: { firmId: 'nobody', lotId: 'x' } })).r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads every step with the caller\u2019s token: the consuming firm logs the lead\u2019s read', async () => {
    const admin = cluster.token('precimach', { roles: ['admin'] });
    await recall({});
    const LOG = `query { firm(id: "precimach") { accessLog(callerFirm: "skyframe", first: 10) { callerSubject operationName reads { type fields } } } }`;
    const log = await postGraphQL(cluster.gatewayUrl, LOG, { token: admin });
    const entries = at(log.data, 'firm.accessLog') as Json[];
    const steps = entries.filter((e) => String(e.operationName).startsWith('RecallImpactStep'));
    // Step 1 asked precimach which of its lots consumed the mill's lot (a read of Lot.components).
    const reads = steps.flatMap((e) => e.reads as Json[]);
    expect(reads.some((x) => x.type === 'Lot' && (x.fields as string[]).includes('components'))).toBe(true);
    expect(steps.every((e) => e.callerSubject === at(entries[0], 'callerSubject'))).toBe(true);
  });

  it('puts the demo\u2019s running investigation in place, and the demo\u2019s examples answer as printed', async () => {
    const lead = await seedDemoInvestigation(cluster);
    expect(lead).toBeDefined();
    expect(await seedDemoInvestigation(cluster)).toBeUndefined();
    const byTitle = (start: string) => EXAMPLE_QUERIES.find((q) => q.title.startsWith(start))?.query ?? '';
    const recallAnswer = await postGraphQL(cluster.gatewayUrl, byTitle('Recall impact'), { token: quality });
    expect(recallAnswer.errors ?? []).toEqual([]);
    expect((at(recallAnswer.data, 'firm.recallImpact.endItems') as Json[]).map((e) => e.lotId)).toEqual(['skyframe-L0001', 'skyframe-L0014']);
    const chain = await postGraphQL(cluster.gatewayUrl, byTitle('Is the mill'), { token: quality });
    expect(at(chain.data, 'firm.supplyChainImpacted')).toEqual({ answer: 'YES', hops: 3 });
    const investigation = await postGraphQL(cluster.gatewayUrl, byTitle('The running investigation'), { token: quality });
    expect(investigation.errors ?? []).toEqual([]);
    const [n] = at(investigation.data, 'firm.qualityNotifications') as Json[];
    expect(n).toMatchObject({ notificationId: lead, receiverId: 'avionix', status: 'ACKNOWLEDGED' });
    expect(n?.progress).toEqual([
      { hops: 1, status: 'RECEIVED' },
      { hops: 1, status: 'ACKNOWLEDGED' },
      { hops: 2, status: 'RECEIVED' },
    ]);
    const spc = await postGraphQL(cluster.gatewayUrl, byTitle('Chart the drifting'), { token: cluster.token('circuitra', { roles: ['quality'] }) });
    expect(spc.errors ?? []).toEqual([]);
    const anomalies = at(spc.data, 'detectSensorAnomalies.anomalies') as Json[];
    expect(anomalies.length).toBeGreaterThan(0);
    expect(anomalies.every((a) => String(a.rule).startsWith('EWMA'))).toBe(true);
    expect(anomalies.some((a) => (a.lots as Json[]).length > 0)).toBe(true);
  });

  it('keeps a slow firm to its own step: a REQUEST_TIMEOUT tombstone, and the recall still answers', async () => {
    const server = cluster.firms.get('avionix')?.server;
    if (!server) throw new Error('avionix not running');
    const proxy = await startRecordingProxy(server.url, { delayMs: 8_000 });
    const restore = await routeFirmThrough(cluster, 'avionix', proxy.url, []);
    try {
      const { r, impact } = await recall({});
      expect(r.status).toBe(200);
      expect(r.errors ?? []).toEqual([]);
      const slow = (impact.tombstones as Json[]).filter((t) => t.firmId === 'avionix');
      expect(slow.length).toBeGreaterThan(0);
      for (const t of slow) expect(['REQUEST_TIMEOUT', 'FIRM_TIMEOUT', 'FIRM_CIRCUIT_OPEN']).toContain(t.reasonCode);
      // The firms that answered in time are in the answer: the mill's lot and its consumer.
      expect(lotIds(impact)).toEqual(expect.arrayContaining(['alumill-L0005', 'precimach-L0008']));
      expect(impact.complete).toBe(false);
    } finally {
      await restore();
      await proxy.close();
    }
  });
});
