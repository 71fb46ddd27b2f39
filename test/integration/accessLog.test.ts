import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { appendEntry, type NewAccessLogEntry } from '../../subgraphs/firm/accessLog/appendEntry.js';
import { sha256Hex } from '../../subgraphs/firm/accessLog/hashEntry.js';
import { readChain } from '../../subgraphs/firm/accessLog/readChain.js';
import { verifyStoredChain } from '../../subgraphs/firm/accessLog/verifyStoredChain.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { lots } from '../../subgraphs/firm/db/tables.js';
import { createTestDatabase, testDatabaseKinds } from '../harness/createTestDatabase.js';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { runDataspace } from '../harness/spawnDataspace.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

interface LogEntry {
  seq: number;
  at: string;
  callerFirm: string;
  callerSubject: string;
  roles: string[];
  purpose: string | null;
  operationName: string | null;
  operationHash: string;
  reads: { type: string; fields: string[]; rows: number; rules: string[] }[];
  deniedFields: string[];
  prevHash: string;
  hash: string;
}

const LOG_QUERY = /* GraphQL */ `
  query Log($firm: ID!, $caller: ID, $type: String, $from: DateTime, $to: DateTime, $first: Int) {
    firm(id: $firm) {
      accessLog(callerFirm: $caller, type: $type, from: $from, to: $to, first: $first) {
        seq at callerFirm callerSubject roles purpose operationName operationHash
        reads { type fields rows rules } deniedFields prevHash hash
      }
    }
  }
`;
const USAGE_QUERY = `query Usage($firm: ID!, $from: DateTime) { firm(id: $firm) { accessUsage(from: $from) { callerFirm type purpose reads rows } } }`;
const VERIFY_QUERY = `query Verify($firm: ID!) { firm(id: $firm) { accessLogVerification { ok entries firstBrokenSeq reason } } }`;

const sample = (n: number): NewAccessLogEntry => ({
  at: new Date(Date.UTC(2025, 5, 1, 0, 0, n % 60)),
  callerFirm: n % 2 ? 'skyframe' : 'avionix',
  callerSubject: `planner-${n}`,
  roles: ['planner'],
  purpose: n % 2 ? 'traceability' : null,
  operationName: `Op${n}`,
  operationHash: sha256Hex(`query Op${n} { x }`),
  reads: [{ type: 'Lot', fields: ['lotId', 'status'], rows: n, rules: ['customers-trace-lots'] }],
  deniedFields: n % 3 ? [] : ['Part.unitCost'],
});

describe.each(testDatabaseKinds())('access log store on %s', (kind) => {
  it('50 concurrent appends make one unforked chain that verifies, committed in groups', async () => {
    const testDb = await createTestDatabase(kind);
    const firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir, maxConnections: 10 });
    try {
      const before = firm.statements();
      const appended = await Promise.all(Array.from({ length: 50 }, (_, i) => appendEntry(firm.db, sample(i + 1))));
      // Group commit: the first append reads the head under a lock (select, insert, update;
      // drizzle counts the transaction's statements), the 49 that queued meanwhile go in ONE statement.
      expect(firm.statements() - before).toBeLessThanOrEqual(4);
      expect(appended.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(appended.map((e) => e.operationName)).toEqual(Array.from({ length: 50 }, (_, i) => `Op${i + 1}`));
      const chain: number[] = [];
      for await (const e of readChain(firm.db, { batch: 7 })) chain.push(e.seq);
      expect(chain).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const v = await verifyStoredChain(firm.db);
      expect(v).toMatchObject({ ok: true, entries: 50, head: { seq: 50 } });
      // Micro benchmark: the cost of one append (sequential, warm), printed with the results.
      const n = 200;
      const started = performance.now();
      for (let i = 0; i < n; i += 1) await appendEntry(firm.db, sample(i));
      const perAppend = (performance.now() - started) / n;
      console.log(`access log append on ${kind}: ${perAppend.toFixed(3)} ms per entry (${n} sequential appends)`);
      const bigStarted = performance.now();
      expect((await verifyStoredChain(firm.db)).ok).toBe(true);
      console.log(`access log verification on ${kind}: ${(performance.now() - bigStarted).toFixed(1)} ms for ${50 + n} entries`);
    } finally {
      await firm.close();
      await testDb.drop();
    }
  });
});

function childLots(lot: Json | null | undefined): Json[] {
  const components = (lot?.components ?? []) as ({ component?: { lot?: Json | null } } | null)[];
  return components.flatMap((c) => (c?.component?.lot ? [c.component.lot] : []));
}

/** Every lot object in a genealogy response, with its depth. */
function allLots(result: GraphQLResult): Json[] {
  const out: Json[] = [];
  const walk = (lot: Json): void => {
    out.push(lot);
    for (const c of childLots(lot)) walk(c);
  };
  for (const lot of (at(result.data, 'firm.lots') ?? []) as Json[]) walk(lot);
  return out;
}

describe(`access log through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  const admin = (firmId: string): string => cluster.token(firmId, { roles: ['admin'] });
  const log = async (firmId: string, variables: Json = {}): Promise<LogEntry[]> => {
    const r = await postGraphQL(cluster.gatewayUrl, LOG_QUERY, { token: admin(firmId), variables: { firm: firmId, first: 1000, ...variables } });
    expect(r.errors ?? []).toEqual([]);
    return at(r.data, 'firm.accessLog') as LogEntry[];
  };
  const lastSeq = async (firmId: string): Promise<number> => (await log(firmId, { first: 1 }))[0]?.seq ?? 0;
  const verify = async (firmId: string): Promise<Json> => {
    const r = await postGraphQL(cluster.gatewayUrl, VERIFY_QUERY, { token: admin(firmId), variables: { firm: firmId } });
    return at(r.data, 'firm.accessLogVerification') as Json;
  };
  const genealogy = (token: string): Promise<GraphQLResult> => postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token, variables: { first: 2 } });

  beforeAll(async () => {
    cluster = await startTestCluster();
  });
  afterAll(async () => cluster?.stop());

  it('logs, at every firm whose data a response carries, what it returned and refused', async () => {
    const firmIds = [...cluster.firms.keys()];
    const before = new Map<string, number>();
    for (const id of firmIds) before.set(id, await lastSeq(id));
    const started = new Date();
    const result = await genealogy(cluster.token('skyframe', { roles: ['planner'] }));
    expect(result.status).toBe(200);

    // What the response carries, per owner: distinct lots, and the owners of refused fields.
    const lotsByFirm = new Map<string, Map<string, Json>>();
    for (const lot of allLots(result)) {
      const firmId = String(lot.firmId);
      expect(String(lot.lotId).startsWith(`${firmId}-`)).toBe(true);
      if (!lotsByFirm.has(firmId)) lotsByFirm.set(firmId, new Map());
      lotsByFirm.get(firmId)?.set(String(lot.lotId), lot);
    }
    const deniedByFirm = new Map<string, Set<string>>();
    for (const e of result.errors ?? []) {
      expect(e.extensions?.code).toBe('FORBIDDEN');
      const firmId = String(e.extensions?.firmId);
      if (!deniedByFirm.has(firmId)) deniedByFirm.set(firmId, new Set());
      deniedByFirm.get(firmId)?.add(`${String(e.extensions?.type)}.${String(e.extensions?.field ?? '*')}`);
    }
    expect(lotsByFirm.size).toBeGreaterThanOrEqual(4);
    expect(deniedByFirm.get('structura')).toContain('Part.unitCost');

    for (const firmId of firmIds) {
      const entries = (await log(firmId)).filter((e) => e.seq > (before.get(firmId) ?? 0));
      const carried = lotsByFirm.get(firmId);
      if (!carried && !deniedByFirm.has(firmId)) {
        expect(entries, `${firmId} served nothing, so logged nothing`).toEqual([]);
        continue;
      }
      expect(entries.length, `${firmId} has an entry for the response`).toBeGreaterThan(0);
      for (const e of entries) {
        expect(e).toMatchObject({ callerFirm: 'skyframe', callerSubject: 'planner@skyframe', roles: ['planner'], purpose: null });
        expect(e.operationHash).toMatch(/^[0-9a-f]{64}$/);
        expect(e.operationName).toMatch(/^Genealogy__/);
        expect(new Date(e.at).getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
        for (const r of e.reads) expect(r.rules.length, `${firmId} ${r.type} names its rules`).toBeGreaterThan(0);
      }
      const rows = (type: string): number => entries.flatMap((e) => e.reads).filter((r) => r.type === type).reduce((s, r) => s + r.rows, 0);
      const fields = (type: string): Set<string> => new Set(entries.flatMap((e) => e.reads).filter((r) => r.type === type).flatMap((r) => r.fields));
      const denied = new Set(entries.flatMap((e) => e.deniedFields));
      // Every refusal the caller saw is in the owner's log, and only those.
      expect(denied).toEqual(deniedByFirm.get(firmId) ?? new Set());
      if (!carried) continue;
      // Rows: the distinct lots (and their parts and inspections) the response carries from this firm.
      const lotIds = [...carried.keys()];
      const { db } = cluster.firms.get(firmId)?.database ?? {};
      if (!db) throw new Error(`no database for ${firmId}`);
      const partRows = await db.execute(sql`select count(distinct ${lots.partId})::int as n from ${lots} where ${lots.lotId} in ${lotIds}`);
      const distinctParts = Number(((Array.isArray(partRows) ? partRows : (partRows as { rows: unknown[] }).rows)[0] as { n: number }).n);
      expect(entries.length, `${firmId}: one fetch per step in this walk`).toBe(1);
      expect(rows('Lot')).toBe(lotIds.length);
      expect(rows('Part')).toBe(distinctParts);
      const inspections = [...carried.values()].reduce((s, l) => s + ((l.inspections as unknown[] | undefined)?.length ?? 0), 0);
      expect(rows('QualityInspection')).toBe(inspections);
      // Fields: what the response carries of this firm's lots (key fields come from the referrer).
      const sampleLot = [...carried.values()][0] ?? {};
      const keyFromReferrer = (f: string): boolean => firmId !== 'skyframe' && (f === 'firmId' || f === 'lotId');
      const expectedLotFields = Object.keys(sampleLot).filter((f) => !keyFromReferrer(f) && !denied.has(`Lot.${f}`));
      expect([...fields('Lot')].sort()).toEqual(expectedLotFields.sort());
      expect(fields('Part').has('name')).toBe(true);
      expect(fields('Part').has('unitCost')).toBe(firmId === 'skyframe');
    }
  });

  it('answers the log, usage and verification to the owner\'s admins only', async () => {
    const fields = ['accessLog { seq }', 'accessUsage { reads }', 'accessLogVerification { ok }'];
    for (const field of fields) {
      for (const token of [cluster.token('structura', { roles: ['planner'] }), cluster.token('skyframe', { roles: ['admin'] })]) {
        const r = await postGraphQL(cluster.gatewayUrl, `{ firm(id: "structura") { ${field} } }`, { token });
        expect(r.errors?.map((e) => e.extensions?.code), field).toEqual(['FORBIDDEN']);
        expect(r.errors?.[0]?.extensions?.firmId).toBe('structura');
        expect(at(r.data, `firm.${field.split(' ')[0] ?? ''}`)).toBeNull();
      }
      const ok = await postGraphQL(cluster.gatewayUrl, `{ firm(id: "structura") { ${field} } }`, { token: admin('structura') });
      expect(ok.errors ?? []).toEqual([]);
    }
  });

  it('filters the log by caller, type and period, newest first', async () => {
    const all = await log('structura');
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
    expect((await log('structura', { caller: 'skyframe' })).every((e) => e.callerFirm === 'skyframe')).toBe(true);
    expect(await log('structura', { caller: 'nobody' })).toEqual([]);
    const parts = await log('structura', { type: 'Part' });
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((e) => e.reads.some((r) => r.type === 'Part') || e.deniedFields.some((d) => d.startsWith('Part.')))).toBe(true);
    expect(await log('structura', { type: 'SensorAnomaly' })).toEqual([]);
    expect(await log('structura', { from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect((await log('structura', { to: new Date(Date.now() + 60_000).toISOString() })).length).toBe(all.length);
    const r = await postGraphQL(cluster.gatewayUrl, LOG_QUERY, { token: admin('structura'), variables: { firm: 'structura', first: 1001 } });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gives usage figures per partner, type and purpose', async () => {
    const from = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const q = `{ firm(id: "precimach") { lots(first: 3) { lotId status } } }`;
    const structura = cluster.token('structura', { roles: ['planner'], purpose: 'traceability' });
    const avionix = cluster.token('avionix', { roles: ['quality'], purpose: 'quality-review' });
    for (const token of [structura, structura, avionix]) {
      const r = await postGraphQL(cluster.gatewayUrl, q, { token });
      expect(r.errors ?? []).toEqual([]);
      expect(at(r.data, 'firm.lots')).toHaveLength(3);
    }
    const r = await postGraphQL(cluster.gatewayUrl, USAGE_QUERY, { token: admin('precimach'), variables: { firm: 'precimach', from } });
    expect(r.errors ?? []).toEqual([]);
    expect(at(r.data, 'firm.accessUsage')).toEqual([
      { callerFirm: 'avionix', type: 'Lot', purpose: 'quality-review', reads: 1, rows: 3 },
      { callerFirm: 'structura', type: 'Lot', purpose: 'traceability', reads: 2, rows: 6 },
    ]);
  });

  it('detects an altered entry and a deleted last entry', async () => {
    const firmId = 'alumill';
    for (let i = 0; i < 3; i += 1) await genealogy(cluster.token('skyframe', { roles: ['planner'] }));
    const entries = await log(firmId);
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(await verify(firmId)).toEqual({ ok: true, entries: entries.length, firstBrokenSeq: null, reason: null });
    const db = cluster.firms.get(firmId)?.database.db;
    if (!db) throw new Error('no alumill database');

    const victim = entries[entries.length - 2]?.seq ?? 2;
    await db.execute(sql`update access_log set reads = '[]'::jsonb where seq = ${victim}`);
    expect(await verify(firmId)).toMatchObject({ ok: false, firstBrokenSeq: victim, reason: expect.stringMatching(/altered/) });
    // Restored content verifies again: the check is over content, not over a flag.
    const original = entries.find((e) => e.seq === victim)?.reads ?? [];
    await db.execute(sql`update access_log set reads = ${JSON.stringify(original)}::jsonb where seq = ${victim}`);
    expect((await verify(firmId)).ok).toBe(true);

    const last = entries[0]?.seq ?? 0;
    await db.execute(sql`delete from access_log where seq = ${last}`);
    expect(await verify(firmId)).toMatchObject({ ok: false, firstBrokenSeq: last, reason: expect.stringMatching(/missing/) });
  });

  it('returns no data of a firm whose access log cannot be written, and the others\' data still', async () => {
    const firmId = 'precimach';
    const db = cluster.firms.get(firmId)?.database.db;
    if (!db) throw new Error('no precimach database');
    const before = await lastSeq(firmId);
    await db.execute(sql`alter table access_log rename to access_log_away`);
    let result: GraphQLResult;
    try {
      result = await genealogy(cluster.token('skyframe', { roles: ['planner'] }));
    } finally {
      await db.execute(sql`alter table access_log_away rename to access_log`);
    }
    expect(result.status).toBe(200);
    const lotsSeen = allLots(result);
    expect(lotsSeen.some((l) => l.firmId === 'skyframe')).toBe(true);
    expect(lotsSeen.some((l) => l.firmId === 'structura')).toBe(true);
    // Its lots' keys come from the referrer (structura's components); nothing of precimach's own.
    const withheld = lotsSeen.filter((l) => l.firmId === firmId);
    expect(withheld.length).toBeGreaterThan(0);
    for (const lot of withheld) expect({ ...lot, firmId: null, lotId: null }).toEqual({ firmId: null, lotId: null, status: null, part: null, components: null });
    expect(lotsSeen.filter((l) => l.firmId === 'alumill')).toEqual([]);
    const unavailable = (result.errors ?? []).filter((e) => e.extensions?.code === 'ACCESS_LOG_UNAVAILABLE');
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((e) => e.extensions?.firmId === firmId)).toBe(true);
    // Nothing of the failed append remains; the chain is whole.
    expect(await lastSeq(firmId)).toBe(before);
    expect((await verify(firmId)).ok).toBe(true);
  });
});

describe('dataspace log verify and export (PGlite data folder)', () => {
  let dataRoot: string;
  const firmId = 'structura';

  beforeAll(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), 'ds-accesslog-cli-'));
    const firm = await openFirmDatabase({ dataDir: join(dataRoot, 'firms', firmId, 'pgdata') });
    const seed = generateCluster(DEMO_TOPOLOGY, { seed: 7, lotsPerFirm: 4 }).firms[firmId];
    if (seed) await insertFirmSeed(firm.db, seed);
    for (let i = 1; i <= 3; i += 1) await appendEntry(firm.db, sample(i));
    await firm.close();
  });
  afterAll(async () => rm(dataRoot, { recursive: true, force: true }));

  it('verifies the chain and exports a documented JSON document', async () => {
    const env = { DATASPACE_DATA_DIR: dataRoot };
    const ok = await runDataspace(['log', 'verify', '--firm', firmId], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 3 entries, head [0-9a-f]{64}\n$/);

    const file = join(dataRoot, 'export.json');
    const exported = await runDataspace(['export', '--firm', firmId, file], env);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const doc = JSON.parse(await readFile(file, 'utf8')) as Json;
    expect(Object.keys(doc)).toEqual(['format', 'formatVersion', 'firmId', 'exportedAt', 'database', 'policy', 'data', 'agreements', 'accessRequests', 'receipts', 'accessLog', 'writeLog', 'verification', 'writeLogVerification', 'counts']);
    expect(doc).toMatchObject({ format: 'cluster-dataspace-firm-export', formatVersion: 1, firmId, database: { driver: 'pglite' } });
    expect(at(doc, 'policy.content')).toMatch(/firm: structura/);
    expect(Object.keys(doc.data as Json)).toContain('lots');
    expect(at(doc, 'data.lots.table')).toBe('lots');
    expect((at(doc, 'data.lots.rows') as Json[]).length).toBeGreaterThan(0);
    expect(at(doc, 'data.lots.rows.0.producedAt')).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(at(doc, 'accessLog.head.seq')).toBe(3);
    expect((at(doc, 'accessLog.rows') as Json[]).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(doc.verification).toEqual({ ok: true, entries: 3, firstBrokenSeq: null, reason: null });
    expect(at(doc, 'writeLog.table')).toBe('write_log');
    expect(doc.writeLogVerification).toMatchObject({ ok: true });
    expect(ok.stdout).toContain(String(at(doc, 'accessLog.head.hash')));
  });

  it('reports a broken chain (exit 1), a missing firm (exit 2) and a database in use (exit 1)', async () => {
    const env = { DATASPACE_DATA_DIR: dataRoot };
    const dataDir = join(dataRoot, 'firms', firmId, 'pgdata');
    const firm = await openFirmDatabase({ dataDir });
    await firm.db.execute(sql`update access_log set caller_firm = 'nobody' where seq = 2`);
    const busy = await runDataspace(['log', 'verify', '--firm', firmId], env);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/open in another process/);
    await firm.close();

    const broken = await runDataspace(['log', 'verify', '--firm', firmId], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^broken at entry 2: entry 2 was altered/);

    const missing = await runDataspace(['log', 'verify', '--firm', 'nosuchfirm'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--firm: no database of firm nosuchfirm/);
    const noFile = await runDataspace(['export', '--firm', firmId], env);
    expect(noFile.code).toBe(2);
  });
});
