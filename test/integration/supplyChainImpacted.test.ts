import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ClusterTopology } from '../../cluster/directory.js';
import { demoPolicyFile } from '../../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import { tables } from '../../subgraphs/firm/db/tables.js';
import { at, postGraphQL } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

const ASK = /* GraphQL */ `
  query Ask($firm: ID!, $lots: [LotRefInput!]!, $target: ChainTargetInput!) {
    firm(id: $firm) { supplyChainImpacted(lots: $lots, target: $target) { answer hops } }
  }
`;
/** A lot in an end item's chain, as the downward genealogy shows it to the lead. */
interface Found {
  firmId: string;
  lotId: string;
  partId: string | null;
  status: string | null;
  hops: number;
}

/**
 * Precimach (tier 2) without the demo's rules for the lead: the lead may not read its lots at
 * all, yet the chain through it can be asked about (its customers, as firms, may ask).
 */
function policiesWithoutLeadAtPrecimach(dir: string): (firmId: string) => string {
  const doc = parse(readFileSync(demoPolicyFile('precimach'), 'utf8')) as { rules: { who: { firms?: string[] } }[] };
  doc.rules = doc.rules.filter((r) => !r.who.firms?.includes('skyframe'));
  const file = join(dir, 'precimach.yaml');
  writeFileSync(file, stringify(doc));
  const outsider = join(dir, 'outsider.yaml');
  writeFileSync(outsider, 'version: 2\nfirm: outsider\nrules:\n  - id: own-users-see-everything\n    who: { relationship: [self] }\n    types: "*"\n    fields: "*"\n');
  return (firmId) => (firmId === 'precimach' ? file : firmId === 'outsider' ? outsider : demoPolicyFile(firmId));
}

/** The demo cluster and a firm outside every chain: a member that trades with nobody. */
const TOPOLOGY: ClusterTopology = {
  ...DEMO_TOPOLOGY,
  members: [...DEMO_TOPOLOGY.members, { id: 'outsider', name: 'Outsider Castings', role: 'partner', tier: 3, sector: 'castings' }],
};

describe(`supplyChainImpacted: "is X in my chain?" without opening the chain (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let dir: string;
  let quality: string;
  /** The chain of each lead lot, from the downward genealogy read on the demo policies. */
  const chainOf = new Map<string, Found[]>();
  let endItem: string;
  let millLot: string;
  const nearest = (lot: string, hit: (f: Found) => boolean): number | undefined => {
    const hops = (chainOf.get(lot) ?? []).filter(hit).map((f) => f.hops);
    return hops.length > 0 ? Math.min(...hops) : undefined;
  };

  const ask = async (lotId: string, target: Json, token = quality, firm = 'skyframe') => {
    const r = await postGraphQL(cluster.gatewayUrl, ASK, { token, variables: { firm, lots: [{ firmId: firm, lotId }], target } });
    return { r, answer: at(r.data, 'firm.supplyChainImpacted') as Json | null };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ess-'));
    cluster = await startTestCluster({ seed: { seed: 42, lotsPerFirm: 40 }, topology: TOPOLOGY, policyFileFor: policiesWithoutLeadAtPrecimach(dir) });
    quality = cluster.token('skyframe', { roles: ['quality'] });
    // The oracle: the genealogy as every firm's own database holds it.
    const components = new Map<string, { firmId: string; lotId: string }[]>();
    const partOf = new Map<string, string>();
    const statusOf = new Map<string, string>();
    for (const [firmId, firm] of cluster.firms) {
      for (const l of await firm.database.db.select().from(tables.lots)) {
        partOf.set(`${firmId}/${l.lotId}`, l.partId);
        statusOf.set(`${firmId}/${l.lotId}`, l.status);
      }
      for (const c of await firm.database.db.select().from(tables.lotComponents)) {
        const key = `${firmId}/${c.lotId}`;
        components.set(key, [...(components.get(key) ?? []), { firmId: c.componentFirmId, lotId: c.componentLotId }]);
      }
    }
    const walk = (key: string, hops: number, into: Found[]): void => {
      for (const c of components.get(key) ?? []) {
        into.push({ ...c, partId: partOf.get(`${c.firmId}/${c.lotId}`) ?? null, status: statusOf.get(`${c.firmId}/${c.lotId}`) ?? null, hops });
        walk(`${c.firmId}/${c.lotId}`, hops + 1, into);
      }
    };
    for (const l of await (cluster.firms.get('skyframe')?.database.db.select().from(tables.lots) ?? [])) {
      const found: Found[] = [];
      walk(`skyframe/${l.lotId}`, 1, found);
      chainOf.set(l.lotId, found);
    }
    endItem = [...chainOf].find(([, f]) => f.some((x) => x.firmId === 'alumill'))?.[0] ?? '';
    millLot = chainOf.get(endItem)?.find((x) => x.firmId === 'alumill')?.lotId ?? '';
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers YES with the hops of the nearest hit for a tier-3 supplier', async () => {
    expect(nearest(endItem, (f) => f.firmId === 'alumill')).toBe(3);
    const { r, answer } = await ask(endItem, { firmId: 'alumill' });
    expect(r.errors ?? []).toEqual([]);
    expect(answer).toEqual({ answer: 'YES', hops: 3 });
    expect((await ask(endItem, { firmId: 'alumill', lotIds: [millLot] })).answer).toEqual({ answer: 'YES', hops: 3 });
    const tier1 = chainOf.get(endItem)?.find((f) => f.hops === 1)?.firmId ?? '';
    expect((await ask(endItem, { firmId: tier1 })).answer).toEqual({ answer: 'YES', hops: 1 });
    expect((await ask(endItem, { firmId: 'skyframe' })).answer).toEqual({ answer: 'YES', hops: 0 });
  });

  it('answers NO for a firm outside the chain and for a lot that is not in it', async () => {
    // Every demo firm is in every end item's chain; the outsider trades with nobody.
    expect(nearest(endItem, (f) => f.firmId === 'outsider')).toBeUndefined();
    expect((await ask(endItem, { firmId: 'outsider' })).answer).toEqual({ answer: 'NO', hops: null });
    const without = [...chainOf].find(([, f]) => f.some((x) => x.firmId === 'alumill') && !f.some((x) => x.lotId === millLot))?.[0];
    expect(without).toBeDefined();
    expect((await ask(String(without), { firmId: 'alumill', lotIds: [millLot] })).answer).toEqual({ answer: 'NO', hops: null });
  });

  it('narrows to a part or a status: a batch that is not quarantined is not a hit', async () => {
    const part = chainOf.get(endItem)?.find((f) => f.firmId === 'precimach' && f.partId)?.partId ?? '';
    expect((await ask(endItem, { firmId: 'precimach', partId: part })).answer).toEqual({ answer: 'YES', hops: nearest(endItem, (f) => f.partId === part) });
    expect((await ask(endItem, { firmId: 'precimach', partId: 'precimach-NO-SUCH-PART' })).answer?.answer).toBe('NO');
    const mill = (chainOf.get(endItem) ?? []).filter((f) => f.firmId === 'alumill');
    const present = mill[0]?.status ?? '';
    const absent = ['RELEASED', 'QUARANTINED', 'CONSUMED', 'SHIPPED', 'SCRAPPED'].find((st) => !mill.some((f) => f.status === st));
    expect(absent).toBeDefined();
    expect((await ask(endItem, { firmId: 'alumill', lotStatus: present })).answer).toEqual({ answer: 'YES', hops: 3 });
    expect((await ask(endItem, { firmId: 'alumill', lotStatus: absent })).answer?.answer).toBe('NO');
  });

  it('the lead learns the answer, not the chain: its token cannot read the tier-2 lots it just asked about', async () => {
    const tier2 = chainOf.get(endItem)?.find((f) => f.firmId === 'precimach')?.lotId ?? '';
    const read = await postGraphQL(cluster.gatewayUrl, `query { firm(id: "precimach") { lot(lotId: "${tier2}") { lotId components { component { lotId } } } } }`, { token: quality });
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(at(read.data, 'firm.lot')).toBeNull();
    // Nor may it ask precimach directly: only precimach's customers, as firms, may.
    const direct = await ask(tier2, { firmId: 'alumill' }, quality, 'precimach');
    expect(direct.r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('logs every answer at the answering firm, as given to the asking firm', async () => {
    await ask(endItem, { firmId: 'alumill' });
    const LOG = `query { firm(id: "precimach") { accessLog(callerFirm: "avionix", first: 5) { callerSubject roles purpose operationName reads { type fields rules } } } }`;
    const log = await postGraphQL(cluster.gatewayUrl, LOG, { token: cluster.token('precimach', { roles: ['admin'] }) });
    expect(log.errors ?? []).toEqual([]);
    const entry = (at(log.data, 'firm.accessLog') as Json[])[0];
    expect(entry).toMatchObject({ callerSubject: 'firm:avionix', roles: ['firm'], purpose: 'traceability' });
    expect(String(entry?.operationName)).toMatch(/^SupplyChainImpactedStep/);
    expect(entry?.reads).toEqual([expect.objectContaining({ type: 'Lot', fields: ['membership:YES'] })]);
  });

  it('answers UNKNOWN when a tier-2 firm is down', async () => {
    const precimach = cluster.firms.get('precimach');
    await precimach?.stop();
    try {
      expect((await ask(endItem, { firmId: 'alumill' })).answer).toEqual({ answer: 'UNKNOWN', hops: null });
      // A hit above the dead firm is still a YES: YES beats UNKNOWN.
      const tier1 = chainOf.get(endItem)?.find((f) => f.hops === 1)?.firmId ?? '';
      expect((await ask(endItem, { firmId: tier1 })).answer).toEqual({ answer: 'YES', hops: 1 });
    } finally {
      await precimach?.start();
    }
  });

  it('refuses bad questions with stable codes', async () => {
    const code = async (variables: Json) => (await postGraphQL(cluster.gatewayUrl, ASK, { token: quality, variables: { firm: 'skyframe', lots: [{ firmId: 'skyframe', lotId: 'skyframe-L0001' }], target: { firmId: 'alumill' }, ...variables } })).errors?.[0]?.extensions?.code;
    expect(await code({ lots: [{ firmId: 'avionix', lotId: 'avionix-L0003' }] })).toBe('OWNER_MISMATCH');
    expect(await code({ lots: [] })).toBe('BAD_USER_INPUT');
    expect(await code({ target: { firmId: '' } })).toBe('BAD_USER_INPUT');
    expect(await code({ target: { firmId: 'alumill', lotIds: [] } })).toBe('BAD_USER_INPUT');
  });
});
