import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;
interface Key {
  firmId: string;
  lotId: string;
}

const DOWN = /* GraphQL */ `
  query Down {
    firm(id: "skyframe") {
      lots(first: 100) {
        firmId lotId
        components { component { firmId lotId lot {
          components { component { firmId lotId lot {
            components { component { firmId lotId } }
          } } }
        } } }
      }
    }
  }
`;

const UP = /* GraphQL */ `
  query Up($id: ID!, $lots: [LotRefInput!]!) {
    firm(id: $id) { id lotsConsuming(lots: $lots) { quantityUsed lot { firmId lotId status } component { firmId lotId } } }
  }
`;

const CARRYING = /* GraphQL */ `
  query Carrying($id: ID!, $lots: [LotRefInput!]!) {
    firm(id: $id) { shipmentsCarrying(lots: $lots) { shipmentId customerId order { firmId orderId } lots { lot { lotId } } } }
  }
`;

const key = (k: Key): Key => ({ firmId: k.firmId, lotId: k.lotId });
const comps = (lot: unknown): Json[] =>
  (((lot as Json | null)?.components ?? []) as ({ component?: Json } | null)[]).flatMap((c) => (c?.component ? [c.component] : []));

describe(`where-used: Firm.lotsConsuming and Firm.shipmentsCarrying through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let token: string;
  /** A tier-3 lot and the chain above it, as the downward genealogy tells it. */
  let chain: { t3: Key; t2: Key; t1: Key; lead: Key };

  beforeAll(async () => {
    cluster = await startTestCluster();
    token = cluster.token('skyframe', { roles: ['planner'] });
    const down = await postGraphQL(cluster.gatewayUrl, DOWN, { token });
    const leads = at(down.data, 'firm.lots') as Json[];
    for (const lead of leads)
      for (const t1 of comps(lead))
        for (const t2 of comps(t1.lot))
          for (const t3 of comps(t2.lot)) {
            chain ??= { lead: lead as unknown as Key, t1: t1 as unknown as Key, t2: t2 as unknown as Key, t3: t3 as unknown as Key };
          }
    expect(chain).toBeDefined();
  });
  afterAll(async () => cluster?.stop());

  it('is answered by the consuming firm: its own lots that consumed the given lot', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, UP, { token, variables: { id: chain.t2.firmId, lots: [key(chain.t3)] } });
    expect(r.errors ?? []).toEqual([]);
    const uses = at(r.data, 'firm.lotsConsuming') as Json[];
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) {
      expect(at(u, 'lot.firmId')).toBe(chain.t2.firmId);
      expect(u.component).toEqual(key(chain.t3));
      expect(u.quantityUsed).toEqual(expect.any(Number));
    }
    expect(uses.map((u) => at(u, 'lot.lotId'))).toContain(chain.t2.lotId);
    // One tier further: the lead's lot consumed the tier-1 lot.
    const lead = await postGraphQL(cluster.gatewayUrl, UP, { token, variables: { id: chain.lead.firmId, lots: [key(chain.t1)] } });
    expect((at(lead.data, 'firm.lotsConsuming') as Json[]).map((u) => at(u, 'lot.lotId'))).toContain(chain.lead.lotId);
  });

  it('asks a firm about a lot nobody consumed and gets an empty list', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, UP, { token, variables: { id: 'skyframe', lots: [{ firmId: 'alumill', lotId: 'alumill-NOPE' }] } });
    expect(r.errors ?? []).toEqual([]);
    expect(at(r.data, 'firm.lotsConsuming')).toEqual([]);
  });

  it('records the step in the consuming firm\u2019s access log as a read of Lot.components', async () => {
    const firmId = chain.t2.firmId;
    const admin = cluster.token(firmId, { roles: ['admin'] });
    const LOG = `query Log($firm: ID!) { firm(id: $firm) { accessLog(callerFirm: "skyframe", type: "Lot", first: 5) { seq operationName reads { type fields rows } } } }`;
    const r = await postGraphQL(cluster.gatewayUrl, UP, { token, variables: { id: firmId, lots: [key(chain.t3)] } });
    expect(r.errors ?? []).toEqual([]);
    const log = await postGraphQL(cluster.gatewayUrl, LOG, { token: admin, variables: { firm: firmId } });
    expect(log.errors ?? []).toEqual([]);
    const last = (at(log.data, 'firm.accessLog') as Json[])[0];
    expect(last?.operationName).toMatch(/^Up__/);
    const read = (last?.reads as Json[]).find((x) => x.type === 'Lot');
    expect(read?.fields).toContain('components');
    expect(read?.rows).toBeGreaterThan(0);
  });

  it('gives the supplier\u2019s shipments that carried its lot, with the orders they served', async () => {
    const supplier = cluster.token(chain.t1.firmId, { roles: ['planner'] });
    const r = await postGraphQL(cluster.gatewayUrl, CARRYING, { token: supplier, variables: { id: chain.t1.firmId, lots: [key(chain.t1)] } });
    expect(r.errors ?? []).toEqual([]);
    const shipments = at(r.data, 'firm.shipmentsCarrying') as Json[];
    expect(shipments.length).toBeGreaterThan(0);
    for (const s of shipments) expect((s.lots as Json[]).map((l) => at(l, 'lot.lotId'))).toContain(chain.t1.lotId);
  });

  it('refuses another firm\u2019s lot in shipmentsCarrying (OWNER_MISMATCH)', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, CARRYING, { token, variables: { id: 'skyframe', lots: [key(chain.t3)] } });
    expect(r.errors?.[0]?.extensions?.code).toBe('OWNER_MISMATCH');
  });
});
