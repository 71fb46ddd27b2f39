import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, gatewayIssuer, memberIssuer, type Directory } from '../../cluster/directory.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import { signGatewayCredential } from '../../identity/gatewayCredential.js';
import { generateKeyPair, type KeyPairPem } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { parsePolicy } from '../../policies/parsePolicy.js';
import { dataModelFromSdl } from '../../schema/model.js';
import { subgraphSdl } from '../../schema/supergraph.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { openFirmDatabase, type FirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { startFirmSubgraph, type RunningFirmSubgraph } from '../../subgraphs/firm/startFirmSubgraph.js';
import { createTestDatabase, type TestDatabase } from '../harness/createTestDatabase.js';
import { postGraphQL } from '../harness/graphqlClient.js';

const CLUSTER = 'aero-cluster';
const OWNER = 'precimach';

// Two grants with different rows and fields: a customer sees its own shipments (all but the
// carrier), and any member sees the status of delivered shipments.
const POLICY = `
version: 1
firm: precimach
rules:
  - id: customers-see-their-shipments
    who: { relationship: [customer] }
    types: [Shipment]
    fields: "*"
    exceptFields: [carrier]
    rows: { customerId: { eq: $caller.firm } }
  - id: members-see-delivered-status
    who: { relationship: [member] }
    types: [Shipment]
    fields: [status, deliveredAt]
    rows: { status: DELIVERED }
  - id: customers-see-lots
    who: { relationship: [customer] }
    types: [Lot, ProductionRun, QualityInspection]
    fields: "*"
  - id: customers-see-parts
    who: { relationship: [customer] }
    types: [Part]
    fields: "*"
    exceptFields: [unitCost]
`;

type Shipment = { shipmentId: string; customerId: string | null; status: string | null; carrier: string | null; deliveredAt: string | null };

describe(`a firm subgraph on its own database (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let testDb: TestDatabase;
  let database: FirmDatabase;
  let server: RunningFirmSubgraph;
  let all: Shipment[];
  const keys = new Map<string, KeyPairPem>(DEMO_TOPOLOGY.members.map((m) => [m.id, generateKeyPair()]));
  const gatewayKeys = generateKeyPair();

  const directory: Directory = {
    clusterId: CLUSTER,
    audience: clusterAudience(CLUSTER),
    members: DEMO_TOPOLOGY.members.map((m) => ({
      ...m,
      endpoints: { firm: '', links: '' },
      issuer: memberIssuer(CLUSTER, m.id),
      publicKeys: [keys.get(m.id)?.publicKeyPem ?? ''],
      serviceKeys: [],
    })),
    gateways: [{ id: 'main', issuer: gatewayIssuer(CLUSTER, 'main'), publicKeys: [gatewayKeys.publicKeyPem] }],
    relationships: DEMO_TOPOLOGY.relationships,
  };

  async function query(firmId: string, q: string, variables?: Record<string, unknown>) {
    const token = signUserToken({
      privateKeyPem: keys.get(firmId)?.privateKeyPem ?? '',
      issuer: memberIssuer(CLUSTER, firmId),
      audience: clusterAudience(CLUSTER),
      firmId,
      subject: `planner@${firmId}`,
      roles: ['planner'],
    });
    const credential = signGatewayCredential({
      privateKeyPem: gatewayKeys.privateKeyPem,
      issuer: gatewayIssuer(CLUSTER, 'main'),
      audience: clusterAudience(CLUSTER),
      destination: { kind: 'firm', firmId: server.firmId },
      userToken: token,
      request: JSON.stringify({ query: q, variables }),
    });
    return postGraphQL(server.endpoints.firm, q, { token, variables, headers: { 'x-dataspace-gateway': credential } });
  }

  const SHIPMENTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Firm {
    shipments(first: 1000) { shipmentId customerId status carrier deliveredAt } } } }`;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
    const seed = generateCluster(DEMO_TOPOLOGY, { lotsPerFirm: 30 }).firms[OWNER];
    if (!seed) throw new Error('no seed');
    await insertFirmSeed(database.db, seed);
    const model = dataModelFromSdl(subgraphSdl('firm'));
    parsePolicy(POLICY, { file: 'test-policy.yaml', model, expectedFirm: OWNER });
    const policy = { firm: OWNER, format: 'yaml' as const, source: POLICY, version: 'test' };
    server = await startFirmSubgraph({ firmId: OWNER, database, policy, directory: { current: () => directory } });
    const own = await query(OWNER, SHIPMENTS, { r: [{ __typename: 'Firm', id: OWNER }] });
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN'); // no self rule in this policy: default deny
    all = seed.shipments.map((s) => ({
      shipmentId: s.shipmentId,
      customerId: s.customerId ?? null,
      status: s.status ?? null,
      carrier: s.carrier ?? null,
      deliveredAt: s.deliveredAt ? new Date(s.deliveredAt).toISOString() : null,
    }));
    expect(new Set(all.map((s) => s.customerId)).size).toBeGreaterThan(1);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    await testDb?.drop();
  });

  it('returns exactly the rows some grant covers, filtered in SQL', async () => {
    const r = await query('structura', SHIPMENTS, { r: [{ __typename: 'Firm', id: OWNER }] });
    const rows = (r.data?._entities as { shipments: Shipment[] }[])[0]?.shipments ?? [];
    const expected = all.filter((s) => s.customerId === 'structura' || s.status === 'DELIVERED').map((s) => s.shipmentId).sort();
    expect(rows.map((s) => s.shipmentId).sort()).toEqual(expected);
    expect(expected.length).toBeLessThan(all.length);
  });

  it('masks each field by the grants that cover its row', async () => {
    const r = await query('structura', SHIPMENTS, { r: [{ __typename: 'Firm', id: OWNER }] });
    const rows = (r.data?._entities as { shipments: Shipment[] }[])[0]?.shipments ?? [];
    for (const row of rows) {
      const truth = all.find((s) => s.shipmentId === row.shipmentId);
      expect(row.carrier).toBeNull(); // no grant gives the carrier
      expect(row.status).toBe(truth?.status);
      if (truth?.customerId === 'structura') expect(row.customerId).toBe('structura');
      else expect(row.customerId).toBeNull(); // only the status grant covers another customer's row
    }
    const errors = r.errors ?? [];
    expect(errors.every((e) => e.extensions?.code === 'FORBIDDEN' && e.extensions?.firmId === OWNER)).toBe(true);
    const others = rows.filter((s) => all.find((t) => t.shipmentId === s.shipmentId)?.customerId !== 'structura');
    expect(errors.filter((e) => e.extensions?.field === 'customerId')).toHaveLength(others.length);
    expect(errors.filter((e) => e.extensions?.field === 'carrier')).toHaveLength(rows.length);
  });

  it('gives a member that is no customer only the delivered status', async () => {
    const r = await query('cuprum', SHIPMENTS, { r: [{ __typename: 'Firm', id: OWNER }] });
    const rows = (r.data?._entities as { shipments: Shipment[] }[])[0]?.shipments ?? [];
    expect(rows.map((s) => s.shipmentId).sort()).toEqual(all.filter((s) => s.status === 'DELIVERED').map((s) => s.shipmentId).sort());
    expect(rows.every((s) => s.customerId === null && s.status === 'DELIVERED')).toBe(true);
  });

  it('makes the same SQL statements for 10× the rows', async () => {
    const q = `query($r: [_Any!]!, $first: Int) { _entities(representations: $r) { ... on Firm {
      lots(first: $first) { lotId part { name } components { quantityUsed component { lotId } } productionRun { status } inspections { result } } } } }`;
    const cost = async (first: number) => {
      const before = database.statements();
      const r = await query('structura', q, { r: [{ __typename: 'Firm', id: OWNER }], first });
      expect(r.errors).toBeUndefined();
      const lots = (r.data?._entities as { lots: unknown[] }[])[0]?.lots ?? [];
      return { statements: database.statements() - before, lots: lots.length };
    };
    const small = await cost(3);
    const large = await cost(30);
    expect(large.lots).toBeGreaterThanOrEqual(small.lots * 5);
    expect(large.statements).toBe(small.statements);
  });

  it("pages a part's lots in SQL: the first n of each part, by id, in one statement for several parts", async () => {
    const firstOf = async (first: number) => {
      const parts = await query('structura', '{ _entities(representations: [{ __typename: "Firm", id: "precimach" }]) { ... on Firm { parts(first: 1000) { partId } } } }', {});
      const partIds = ((parts.data?._entities as { parts: { partId: string }[] }[])[0]?.parts ?? []).map((p) => p.partId);
      const reps = partIds.map((partId) => ({ __typename: 'Part', firmId: OWNER, partId }));
      const before = database.statements();
      const r = await query('structura', 'query($r: [_Any!]!, $n: Int) { _entities(representations: $r) { ... on Part { partId lots(first: $n) { lotId } } } }', { r: reps, n: first });
      expect(r.errors).toBeUndefined();
      const byPart = new Map((r.data?._entities as { partId: string; lots: { lotId: string }[] }[]).map((p) => [p.partId, p.lots.map((l) => l.lotId)]));
      return { byPart, statements: database.statements() - before };
    };
    const all = await firstOf(1000);
    const page = await firstOf(2);
    const withMany = [...all.byPart.values()].filter((lots) => lots.length > 2);
    expect(withMany.length).toBeGreaterThan(0);
    for (const [partId, lots] of all.byPart) expect(page.byPart.get(partId)).toEqual([...lots].sort().slice(0, 2));
    expect(page.statements).toBe(all.statements);
  });
});
