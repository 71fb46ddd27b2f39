import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingReferenceReason } from '../../subgraphs/firm/data/rowTracker.js';
import { tableSpec, TABLE_SPECS } from '../../subgraphs/firm/data/tableSpecs.js';
import { validateRow } from '../../subgraphs/firm/data/validateRow.js';
import type { FirmDb } from '../../subgraphs/firm/db/firmDb.js';
import { readStoredHead, verifyStoredLog } from '../../subgraphs/firm/hashChain/storedChain.js';
import { WRITE_LOG_CHAIN } from '../../subgraphs/firm/writeLog/writeLogChain.js';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

const WRITE = `mutation Write($firmId: ID!, $upsert: RowsInput, $delete: RowKeysInput) {
  writeRows(firmId: $firmId, upsert: $upsert, delete: $delete) { seq changes { table upserted deleted keys truncated } }
}`;
const RECEIPT = `mutation Receipt($firmId: ID!, $input: ReceiptInput!) {
  recordReceipt(firmId: $firmId, input: $input) {
    seq supplierId shipmentId status
    components { lotId lineNo componentFirmId componentLotId quantityUsed verified reason }
    changes { table upserted deleted keys }
  }
}`;
const WRITE_LOG = `query WriteLog($firmId: ID!, $first: Int) {
  firm(id: $firmId) {
    writeLog(first: $first) { seq at actorFirm actorSubject roles operation detail changes { table upserted deleted keys truncated } prevHash hash }
    writeLogVerification { ok entries firstBrokenSeq reason headHash }
  }
}`;

/** One row of every table of skyframe's: a new part, its BOM line, run, lot, component, order, line, ... */
const EVERY_TABLE: Json = {
  parts: [{ partId: 'skyframe-P90', partNumber: 'SKY-AF-9090', name: 'Test section', category: 'airframe section', uom: 'pcs', unitCost: 1000 }],
  bomLines: [{ partId: 'skyframe-P90', lineNo: 1, componentFirmId: 'structura', componentPartId: 'structura-P01', quantityPer: 2, uom: 'pcs' }],
  productionRuns: [
    { runId: 'skyframe-R90', partId: 'skyframe-P90', line: 'FAL-1', plannedQuantity: 1, doneQuantity: 1, status: 'DONE', plannedStart: '2026-11-01T06:00:00Z', plannedEnd: '2026-11-02T06:00:00Z', lotId: 'skyframe-L90' },
  ],
  lots: [{ lotId: 'skyframe-L90', partId: 'skyframe-P90', quantity: 1, uom: 'pcs', producedAt: '2026-11-02T06:00:00Z', status: 'RELEASED', runId: 'skyframe-R90' }],
  lotComponents: [{ lotId: 'skyframe-L90', lineNo: 1, componentFirmId: 'structura', componentLotId: 'structura-L0002', quantityUsed: 2 }],
  purchaseOrders: [{ orderId: 'skyframe-PO90', supplierId: 'structura', placedAt: '2026-10-01T08:00:00Z', status: 'OPEN' }],
  purchaseOrderLines: [{ orderId: 'skyframe-PO90', lineNo: 1, partFirmId: 'structura', partId: 'structura-P01', quantity: 4, unitPrice: 48000, requestedDate: '2026-12-15' }],
  orderConfirmations: [{ confirmationId: 'skyframe-OC90', buyerId: 'avionix', orderId: 'avionix-PO01', lineNo: 1, confirmedQuantity: 1, promisedDate: '2026-12-20', status: 'ACCEPTED' }],
  shipments: [{ shipmentId: 'skyframe-SH90', customerId: 'avionix', shippedAt: '2026-11-03T08:00:00Z', eta: '2026-11-05T08:00:00Z', status: 'IN_TRANSIT', carrier: 'AirFreight' }],
  shipmentLots: [{ shipmentId: 'skyframe-SH90', lotId: 'skyframe-L90', quantity: 1 }],
  inventoryPositions: [{ positionId: 'skyframe-IP90', partId: 'skyframe-P90', site: 'Toulouse', onHand: 3, allocated: 1, blocked: 0, updatedAt: '2026-11-04T08:00:00Z' }],
  qualityInspections: [
    { inspectionId: 'skyframe-QI90', lotId: 'skyframe-L90', characteristic: 'gap', value: 0.4, lowerLimit: 0, upperLimit: 1, unit: 'mm', result: 'PASS', inspectedAt: '2026-11-02T07:00:00Z' },
  ],
  sensorAnomalies: [{ anomalyId: 'skyframe-SA90', machineId: 'FAL-1-ROBOT-2', metric: 'torque', value: 9, threshold: 8, detectedAt: '2026-11-01T09:00:00Z', severity: 'LOW', runId: 'skyframe-R90' }],
  sensorReadings: [{ readingId: 'skyframe-SR90', machineId: 'FAL-1-ROBOT-2', metric: 'torque', at: '2026-11-01T09:00:00Z', value: 9, unit: 'N·m', runId: 'skyframe-R90' }],
};

/** The key (as delete takes it) of each row above. */
function keysOf(rows: Json): Json {
  return Object.fromEntries(
    Object.entries(rows).map(([table, list]) => [table, (list as Json[]).map((row) => Object.fromEntries(tableSpec(table as never).key.map((k) => [k, row[k]])))]),
  );
}

const READ_BACK = `{ firm(id: "skyframe") {
  part(partId: "skyframe-P90") { name bom { lineNo component { firmId partId } } inventory { positionId onHand } }
  lot(lotId: "skyframe-L90") { status quantity components { component { firmId lotId } quantityUsed verified shipmentId } inspections { inspectionId result }
    productionRun { runId status anomalies { anomalyId severity } } }
  shipment(shipmentId: "skyframe-SH90") { customerId status lots { quantity lot { lotId } } }
  purchaseOrders(status: OPEN) { orderId lines { lineNo part { firmId partId } } }
  orderConfirmations { confirmationId status }
} }`;

let cluster: TestCluster;
const tokens = {
  skyframeErp: '',
  skyframeAdmin: '',
  skyframePlanner: '',
  structuraAdmin: '',
  structuraPlanner: '',
  structuraErp: '',
  precimachErp: '',
  precimachPlanner: '',
};

function gql(as: keyof typeof tokens, query: string, variables?: Json): Promise<GraphQLResult> {
  return postGraphQL(cluster.gatewayUrl, query, { token: tokens[as], ...(variables ? { variables } : {}) });
}

function codes(r: GraphQLResult): unknown[] {
  return (r.errors ?? []).map((e) => e.extensions?.['code']);
}

const dbOf = (firmId: string): FirmDb => {
  const firm = cluster.firms.get(firmId);
  if (!firm) throw new Error(`no firm ${firmId}`);
  return firm.database.db;
};

async function count(firmId: string, table: string): Promise<number> {
  const rows = (await dbOf(firmId).execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown;
  const list = Array.isArray(rows) ? rows : ((rows as { rows: { n: number }[] }).rows ?? []);
  return Number((list[0] as { n: number } | undefined)?.n ?? 0);
}

async function writeHead(firmId = 'skyframe'): Promise<number> {
  return (await readStoredHead(dbOf(firmId), WRITE_LOG_CHAIN))?.seq ?? -1;
}

beforeAll(async () => {
  cluster = await startTestCluster({ directoryRefreshMs: 0 });
  tokens.skyframeErp = cluster.token('skyframe', { roles: ['integration'], subject: 'erp@skyframe' });
  tokens.skyframeAdmin = cluster.token('skyframe', { roles: ['admin'] });
  tokens.skyframePlanner = cluster.token('skyframe', { roles: ['planner'], purpose: 'traceability' });
  tokens.structuraAdmin = cluster.token('structura', { roles: ['admin'] });
  tokens.structuraPlanner = cluster.token('structura', { roles: ['planner'], purpose: 'planning' });
  tokens.structuraErp = cluster.token('structura', { roles: ['integration'], subject: 'erp@structura' });
  tokens.precimachErp = cluster.token('precimach', { roles: ['integration'], subject: 'mes@precimach' });
  tokens.precimachPlanner = cluster.token('precimach', { roles: ['planner'] });
}, 120_000);
afterAll(async () => cluster?.stop());

describe(`the write API through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const seqs: number[] = [];

  it('an integration user upserts a row of every table in one write; the answer says what changed and the rows read back', async () => {
    const accessLogBefore = await count('skyframe', 'access_log');
    const r = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: EVERY_TABLE });
    expect(r.errors).toBeUndefined();
    const result = at(r.data, 'writeRows') as { seq: number; changes: Json[] };
    expect(result.seq).toBe((await writeHead()));
    seqs.push(result.seq);
    expect(result.changes.map((c) => c.table).sort()).toEqual(TABLE_SPECS.map((s) => s.table).sort());
    for (const change of result.changes) {
      const spec = tableSpec(change.table as never);
      const row = (EVERY_TABLE[spec.table] as Json[])[0] as Json;
      expect(change).toEqual({ table: spec.table, upserted: 1, deleted: 0, keys: [spec.key.map((k) => String(row[k])).join('/')], truncated: false });
    }
    // A write is not a read: no access log entry at the owner.
    expect(await count('skyframe', 'access_log')).toBe(accessLogBefore);

    const back = await gql('skyframePlanner', READ_BACK);
    expect(back.errors).toBeUndefined();
    expect(at(back.data, 'firm.part')).toEqual({ name: 'Test section', bom: [{ lineNo: 1, component: { firmId: 'structura', partId: 'structura-P01' } }], inventory: [{ positionId: 'skyframe-IP90', onHand: 3 }] });
    expect(at(back.data, 'firm.lot')).toEqual({
      status: 'RELEASED',
      quantity: 1,
      components: [{ component: { firmId: 'structura', lotId: 'structura-L0002' }, quantityUsed: 2, verified: null, shipmentId: null }],
      inspections: [{ inspectionId: 'skyframe-QI90', result: 'PASS' }],
      productionRun: { runId: 'skyframe-R90', status: 'DONE', anomalies: [{ anomalyId: 'skyframe-SA90', severity: 'LOW' }] },
    });
    expect(at(back.data, 'firm.shipment')).toEqual({ customerId: 'avionix', status: 'IN_TRANSIT', lots: [{ quantity: 1, lot: { lotId: 'skyframe-L90' } }] });
    expect(at(back.data, 'firm.purchaseOrders')).toContainEqual({ orderId: 'skyframe-PO90', lines: [{ lineNo: 1, part: { firmId: 'structura', partId: 'structura-P01' } }] });
    expect(at(back.data, 'firm.orderConfirmations')).toEqual([{ confirmationId: 'skyframe-OC90', status: 'ACCEPTED' }]);
  });

  it('writing the same rows again changes nothing, and is still recorded; a changed value is counted', async () => {
    const again = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: EVERY_TABLE });
    expect(again.errors).toBeUndefined();
    expect(at(again.data, 'writeRows.changes')).toEqual([]);
    seqs.push(Number(at(again.data, 'writeRows.seq')));
    const changed = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { lots: [{ ...((EVERY_TABLE.lots as Json[])[0] as Json), status: 'QUARANTINED' }] } });
    expect(at(changed.data, 'writeRows.changes')).toEqual([{ table: 'lots', upserted: 1, deleted: 0, keys: ['skyframe-L90'], truncated: false }]);
    seqs.push(Number(at(changed.data, 'writeRows.seq')));
    expect(seqs).toEqual([seqs[0], (seqs[0] ?? 0) + 1, (seqs[0] ?? 0) + 2]);
  });

  it("another firm's token is FORBIDDEN, even an admin, an integration user, or a planner whose firm's policy grants reads; so is the owner's planner and admin", async () => {
    // structura's planner reads skyframe's purchase orders placed with it (skyframe's policy):
    const reads = await gql('structuraPlanner', '{ firm(id: "skyframe") { purchaseOrders { orderId } } }');
    expect(reads.errors).toBeUndefined();
    expect((at(reads.data, 'firm.purchaseOrders') as Json[]).length).toBeGreaterThan(0);
    const head = await writeHead();
    const part = { partId: 'skyframe-P91', partNumber: 'X', name: 'Forged', category: 'c', uom: 'pcs', unitCost: 1 };
    for (const as of ['structuraAdmin', 'structuraPlanner', 'structuraErp', 'skyframePlanner', 'skyframeAdmin'] as const) {
      const r = await gql(as, WRITE, { firmId: 'skyframe', upsert: { parts: [part] } });
      expect(at(r.data, 'writeRows')).toBeNull();
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect(r.errors?.[0]?.extensions).toMatchObject({ firmId: 'skyframe', role: 'integration' });
      expect(r.errors?.[0]?.message).toBe("Only firm skyframe's own users with the integration role may write its data.");
      const receipt = await gql(as, RECEIPT, { firmId: 'skyframe', input: { supplierId: 'structura', shipmentId: 'structura-SH0001', components: [] } });
      expect(codes(receipt)).toEqual(['FORBIDDEN']);
    }
    expect(await writeHead()).toBe(head);
    expect(await count('skyframe', `parts where part_id = 'skyframe-P91'`)).toBe(0);
    // The write log is the owner's admins' only: not the integration user's, not another firm's admin's.
    for (const as of ['skyframeErp', 'structuraAdmin'] as const) expect(codes(await gql(as, WRITE_LOG, { firmId: 'skyframe' }))).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('bad input is refused whole, naming the input path with the core reason; nothing is written', async () => {
    const head = await writeHead();
    const good = { partId: 'skyframe-P92', partNumber: 'SKY-92', name: 'Good', category: 'c', uom: 'pcs', unitCost: 1 };
    const lot = (EVERY_TABLE.lots as Json[])[0] as Json;
    const bad = { ...lot, lotId: 'skyframe-L92', status: 'on hold' };
    const r = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { parts: [good], lots: [{ ...lot, lotId: 'skyframe-L91' }, bad] } });
    expect(at(r.data, 'writeRows')).toBeNull();
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    const core = validateRow(tableSpec('lots'), bad, { firmId: 'skyframe' });
    const reason = core.ok ? '' : core.problems[0]?.reason;
    expect(reason).toMatch(/unknown enum value 'on hold'/);
    expect(r.errors?.[0]?.extensions).toMatchObject({ firmId: 'skyframe', key: 'upsert.lots[1].status', problem: 'UNKNOWN_ENUM_VALUE', problems: [{ key: 'upsert.lots[1].status', code: 'UNKNOWN_ENUM_VALUE', reason }] });
    expect(r.errors?.[0]?.message).toBe(`upsert.lots[1].status: ${reason}; nothing was written.`);

    const missing = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { parts: [good], lots: [{ ...lot, lotId: 'skyframe-L93', partId: 'skyframe-P99', runId: null }] } });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ key: 'upsert.lots[0].partId', problem: 'MISSING_REFERENCE' });
    expect(missing.errors?.[0]?.message).toContain(missingReferenceReason('partId', tableSpec('parts'), 'skyframe-P99'));

    const foreign = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { parts: [{ ...good, firmId: 'structura' }] } });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ key: 'upsert.parts[0].firmId', problem: 'NOT_OWN_FIRM' });
    const twice = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { parts: [good, good] } });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ key: 'upsert.parts[1].partId', problem: 'DUPLICATE_KEY' });
    const wrongKey = await gql('skyframeErp', WRITE, { firmId: 'skyframe', delete: { bomLines: [{ partId: 'skyframe-P90' }] } });
    expect(wrongKey.errors?.[0]?.extensions).toMatchObject({ key: 'delete.bomLines[0].lineNo', problem: 'MISSING_VALUE' });
    const tooMany = await gql('skyframeErp', WRITE, { firmId: 'skyframe', delete: { parts: Array.from({ length: 1001 }, (_, i) => ({ partId: `x${i}` })) } });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ key: 'delete', problem: 'TOO_MANY_ROWS' });
    // A value of the wrong JSON type is GraphQL's to refuse, at the gateway, naming the path too.
    const typed = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { parts: [{ ...good, unitCost: 'cheap' }] } });
    expect(codes(typed)).toEqual(['BAD_USER_INPUT']);
    expect(typed.errors?.[0]?.message).toContain('upsert.parts[0].unitCost');
    const nothing = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { parts: [] } });
    expect(nothing.errors?.[0]?.extensions).toMatchObject({ problem: 'NOTHING_TO_WRITE' });
    // What only the whole database knows: the part is still used by lots (a foreign key, at commit).
    const used = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { parts: [good] }, delete: { parts: [{ partId: 'skyframe-P01' }] } });
    expect(used.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', key: 'delete', problem: 'CONSTRAINT_VIOLATED' });
    expect(used.errors?.[0]?.message).toMatch(/still referenced/);

    expect(await writeHead()).toBe(head);
    expect(await count('skyframe', `parts where part_id in ('skyframe-P01', 'skyframe-P92')`)).toBe(1);
    expect(await count('skyframe', `lots where lot_id in ('skyframe-L91', 'skyframe-L92', 'skyframe-L93')`)).toBe(0);
    // Another firm's id in firmId is routed to that firm, which refuses a caller not its own.
    const misrouted = await gql('skyframeErp', WRITE, { firmId: 'structura', upsert: { parts: [good] } });
    expect(codes(misrouted)).toEqual(['FORBIDDEN']);
    expect(misrouted.errors?.[0]?.extensions).toMatchObject({ firmId: 'structura' });
  });

  it('deletes rows of every table by key, in one write', async () => {
    const r = await gql('skyframeErp', WRITE, { firmId: 'skyframe', delete: keysOf(EVERY_TABLE) });
    expect(r.errors).toBeUndefined();
    const changes = at(r.data, 'writeRows.changes') as Json[];
    expect(changes.map((c) => c.table).sort()).toEqual(TABLE_SPECS.map((s) => s.table).sort());
    for (const c of changes) expect(c).toMatchObject({ upserted: 0, deleted: 1 });
    seqs.push(Number(at(r.data, 'writeRows.seq')));
    const back = await gql('skyframePlanner', '{ firm(id: "skyframe") { lot(lotId: "skyframe-L90") { lotId } part(partId: "skyframe-P90") { partId } } }');
    expect(codes(back)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    // Deleting again is no error: nothing matched, nothing is counted.
    const again = await gql('skyframeErp', WRITE, { firmId: 'skyframe', delete: { parts: [{ partId: 'skyframe-P90' }] } });
    expect(at(again.data, 'writeRows.changes')).toEqual([]);
    seqs.push(Number(at(again.data, 'writeRows.seq')));
  });

  it('the write log records each write (who, when, what changed) and its chain verifies, online and offline', async () => {
    const r = await gql('skyframeAdmin', WRITE_LOG, { firmId: 'skyframe', first: 10 });
    expect(r.errors).toBeUndefined();
    const entries = at(r.data, 'firm.writeLog') as Json[];
    expect(entries.map((e) => e.seq)).toEqual([...seqs].reverse());
    for (const e of entries) expect(e).toMatchObject({ actorFirm: 'skyframe', actorSubject: 'erp@skyframe', roles: ['integration'], operation: 'writeRows' });
    expect(at(entries.at(-1), 'changes')).toHaveLength(TABLE_SPECS.length);
    expect(at(entries[0], 'changes')).toEqual([]);
    expect(at(entries[1], 'changes')).toEqual(expect.arrayContaining([{ table: 'lots', upserted: 0, deleted: 1, keys: ['skyframe-L90'], truncated: false }]));
    expect(entries[0]?.prevHash).toBe(entries[1]?.hash);
    const verification = at(r.data, 'firm.writeLogVerification') as Json;
    expect(verification).toEqual({ ok: true, entries: seqs.length, firstBrokenSeq: null, reason: null, headHash: entries[0]?.hash });
    expect(await verifyStoredLog(dbOf('skyframe'), WRITE_LOG_CHAIN)).toMatchObject({ ok: true, entries: seqs.length });
  });
});

describe(`receipts of a supplier's shipment, checked through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  const lot = { lotId: 'skyframe-L95', partId: 'skyframe-P01', quantity: 1, uom: 'pcs', producedAt: '2026-11-20T06:00:00Z', status: 'RELEASED' };

  beforeAll(async () => {
    const r = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { lots: [lot] } });
    expect(r.errors).toBeUndefined();
  });

  it("verified: structura's policy shows skyframe its shipment, addressed to skyframe and carrying the lot", async () => {
    const readsBefore = await count('structura', `access_log where caller_subject = 'erp@skyframe'`);
    const r = await gql('skyframeErp', RECEIPT, {
      firmId: 'skyframe',
      input: { supplierId: 'structura', shipmentId: 'structura-SH0002', components: [
        { lotId: 'skyframe-L95', lineNo: 1, componentLotId: 'structura-L0002', quantityUsed: 1 },
        { lotId: 'skyframe-L95', lineNo: 2, componentLotId: 'structura-L0003', quantityUsed: 1 },
      ] },
    });
    expect(r.errors).toBeUndefined();
    expect(at(r.data, 'recordReceipt')).toMatchObject({
      supplierId: 'structura',
      shipmentId: 'structura-SH0002',
      status: 'VERIFIED',
      components: [
        { lotId: 'skyframe-L95', lineNo: 1, componentFirmId: 'structura', componentLotId: 'structura-L0002', quantityUsed: 1, verified: true, reason: null },
        { lotId: 'skyframe-L95', lineNo: 2, componentFirmId: 'structura', componentLotId: 'structura-L0003', quantityUsed: 1, verified: true, reason: null },
      ],
      changes: [
        { table: 'lotComponents', upserted: 2, deleted: 0, keys: ['skyframe-L95/1', 'skyframe-L95/2'] },
        { table: 'lotComponentReceipts', upserted: 2, deleted: 0, keys: ['skyframe-L95/1', 'skyframe-L95/2'] },
      ],
    });
    expect(Number(at(r.data, 'recordReceipt.seq'))).toBe(await writeHead());
    // The check was a read of structura's data by skyframe's integration user, under structura's policy, in structura's log.
    expect(await count('structura', `access_log where caller_subject = 'erp@skyframe'`)).toBe(readsBefore + 1);
  });

  it("unverified: alumill's policy hides its shipments' lots from precimach's integration user; stored and flagged, in the answer and later reads", async () => {
    const mine = { lotId: 'precimach-L95', partId: 'precimach-P01', quantity: 10, uom: 'pcs', producedAt: '2026-11-20T06:00:00Z', status: 'RELEASED' };
    expect((await gql('precimachErp', WRITE, { firmId: 'precimach', upsert: { lots: [mine] } })).errors).toBeUndefined();
    const r = await gql('precimachErp', RECEIPT, {
      firmId: 'precimach',
      input: { supplierId: 'alumill', shipmentId: 'alumill-SH0001', components: [{ lotId: 'precimach-L95', lineNo: 1, componentLotId: 'alumill-L0001', quantityUsed: 40.5 }] },
    });
    expect(r.errors).toBeUndefined();
    expect(at(r.data, 'recordReceipt.status')).toBe('UNVERIFIED');
    expect(at(r.data, 'recordReceipt.components.0')).toMatchObject({ componentFirmId: 'alumill', componentLotId: 'alumill-L0001', verified: false });
    expect(String(at(r.data, 'recordReceipt.components.0.reason'))).toMatch(/^the supplier's policy hides the shipment's lots: .*FORBIDDEN/);
    const later = await gql('precimachPlanner', '{ firm(id: "precimach") { lot(lotId: "precimach-L95") { components { component { firmId lotId } verified shipmentId } } } }');
    expect(later.errors).toBeUndefined();
    expect(at(later.data, 'firm.lot.components')).toEqual([{ component: { firmId: 'alumill', lotId: 'alumill-L0001' }, verified: false, shipmentId: 'alumill-SH0001' }]);
  });

  it("unverified: precimach's policy does not show skyframe (no direct customer of it) its shipments at all", async () => {
    const r = await gql('skyframeErp', RECEIPT, {
      firmId: 'skyframe',
      input: { supplierId: 'precimach', shipmentId: 'precimach-SH0001', components: [{ lotId: 'skyframe-L95', lineNo: 5, componentLotId: 'precimach-L0001', quantityUsed: 1 }] },
    });
    expect(r.errors).toBeUndefined();
    expect(at(r.data, 'recordReceipt.status')).toBe('UNVERIFIED');
    expect(String(at(r.data, 'recordReceipt.components.0.reason'))).toMatch(/^firm precimach did not show shipment precimach-SH0001: .*\(FORBIDDEN\)$/);
  });

  it('refused: the shipment does not carry the lot; nothing is written', async () => {
    const head = await writeHead();
    const r = await gql('skyframeErp', RECEIPT, {
      firmId: 'skyframe',
      input: { supplierId: 'structura', shipmentId: 'structura-SH0001', components: [{ lotId: 'skyframe-L95', lineNo: 3, componentLotId: 'structura-L0002', quantityUsed: 1 }] },
    });
    expect(at(r.data, 'recordReceipt')).toBeNull();
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors?.[0]?.extensions).toMatchObject({ key: 'input.components[0].componentLotId', problem: 'LOT_NOT_IN_SHIPMENT' });
    expect(r.errors?.[0]?.message).toBe('input.components[0].componentLotId: shipment structura-SH0001 of firm structura does not carry lot structura-L0002 (it carries structura-L0001); nothing was written.');
    expect(await writeHead()).toBe(head);
    expect(await count('skyframe', `lot_components where lot_id = 'skyframe-L95' and line_no = 3`)).toBe(0);
    // The receipt's own lot must exist (checked as the import checks a lot component), and a supplier is another member.
    const noLot = await gql('skyframeErp', RECEIPT, { firmId: 'skyframe', input: { supplierId: 'structura', shipmentId: 'structura-SH0001', components: [{ lotId: 'skyframe-L99', lineNo: 1, componentLotId: 'structura-L0001', quantityUsed: 1 }] } });
    expect(noLot.errors?.[0]?.extensions).toMatchObject({ key: 'input.components[0].lotId', problem: 'MISSING_REFERENCE' });
    const self = await gql('skyframeErp', RECEIPT, { firmId: 'skyframe', input: { supplierId: 'skyframe', shipmentId: 'x', components: [{ lotId: 'skyframe-L95', lineNo: 1, componentLotId: 'skyframe-L0001', quantityUsed: 1 }] } });
    expect(self.errors?.[0]?.extensions).toMatchObject({ key: 'input.supplierId', problem: 'NOT_A_SUPPLIER' });
  });

  it("the genealogy through the gateway then reaches the supplier's lots, and their suppliers', from the firm's own lot", async () => {
    const r = await gql(
      'skyframePlanner',
      `{ firm(id: "skyframe") { lot(lotId: "skyframe-L95") { lotId components { verified shipmentId component { firmId lotId lot { firmId lotId status
          components { component { firmId lotId lot { firmId lotId status } } } } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const components = at(r.data, 'firm.lot.components') as Json[];
    expect(components.map((c) => [at(c, 'component.lot.lotId'), c.verified, c.shipmentId])).toEqual([
      ['structura-L0002', true, 'structura-SH0002'],
      ['structura-L0003', true, 'structura-SH0002'],
      ['precimach-L0001', false, 'precimach-SH0001'],
    ]);
    // structura-L0002 was made from precimach's lot, which skyframe traces too (precimach's policy).
    expect(at(components[0], 'component.lot.components.0.component.lot')).toEqual({ firmId: 'precimach', lotId: 'precimach-L0004', status: expect.any(String) });
  });

  it('a component rewritten by writeRows to point at another lot is no longer verified; the write log lists the receipts', async () => {
    const r = await gql('skyframeErp', WRITE, { firmId: 'skyframe', upsert: { lotComponents: [{ lotId: 'skyframe-L95', lineNo: 2, componentFirmId: 'structura', componentLotId: 'structura-L0004', quantityUsed: 1 }] } });
    expect(r.errors).toBeUndefined();
    const back = await gql('skyframePlanner', '{ firm(id: "skyframe") { lot(lotId: "skyframe-L95") { components { component { lotId } verified } } } }');
    expect(at(back.data, 'firm.lot.components')).toEqual([
      { component: { lotId: 'structura-L0002' }, verified: true },
      { component: { lotId: 'structura-L0004' }, verified: null },
      { component: { lotId: 'precimach-L0001' }, verified: false },
    ]);
    const log = await gql('skyframeAdmin', WRITE_LOG, { firmId: 'skyframe', first: 5 });
    const receipt = (at(log.data, 'firm.writeLog') as Json[]).find((e) => e.operation === 'recordReceipt' && String(e.detail).includes('structura-SH0002'));
    expect(receipt).toMatchObject({ actorSubject: 'erp@skyframe', detail: 'shipment structura-SH0002 of structura: 2 of 2 component(s) verified' });
    expect(at(log.data, 'firm.writeLogVerification.ok')).toBe(true);
  });

  it('unverified: the supplier is down; the receipt is stored and says so', async () => {
    const structura = cluster.firms.get('structura');
    await structura?.stop();
    try {
      const r = await gql('skyframeErp', RECEIPT, {
        firmId: 'skyframe',
        input: { supplierId: 'structura', shipmentId: 'structura-SH0003', components: [{ lotId: 'skyframe-L95', lineNo: 6, componentLotId: 'structura-L0004', quantityUsed: 1 }] },
      });
      expect(r.errors).toBeUndefined();
      expect(at(r.data, 'recordReceipt.status')).toBe('UNVERIFIED');
      expect(String(at(r.data, 'recordReceipt.components.0.reason'))).toMatch(/^firm structura did not show shipment structura-SH0003: .*\((FIRM_UNAVAILABLE|FIRM_CIRCUIT_OPEN)\)$/);
    } finally {
      await structura?.start();
    }
  });
});
