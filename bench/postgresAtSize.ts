/**
 * PostgreSQL at size (issue 4, benchmark 4): one firm's database with 1 million rows.
 * The demo cluster on PostgreSQL (one fresh database per firm, created and dropped here),
 * where avionix's database holds its generated seed plus a bulk history filled set-based
 * (lib/bulkFillFirm.ts: parts, BOMs, lots with components of its suppliers' real lots and
 * of its own earlier lots, runs, inspections, anomalies, shipments, orders, confirmations,
 * stock), then VACUUM (ANALYZE). Avionix runs its real subgraph under a benchmark policy
 * whose customer rules filter rows (lots out of quarantine, catalogue parts, recent
 * inspections): row filters compiled into SQL.
 *
 * Measured over HTTP straight at avionix's firm subgraph, with a user token and the
 * gateway's credential, as avionix's own planner (self: sees all) and as its customer
 * skyframe's planner (rows filtered), keys drawn at random over the whole table with a
 * seeded PRNG at every iteration: a lot by key (`_entities`), a page of lots (`first: 20`,
 * and of one part), the inspections of a lot, a part by key, and one genealogy step (the
 * `_entities` fetch the gateway sends per firm and step: 20 Lot representations with part,
 * components and inspections). Through the gateway: a lot's genealogy two levels down (random
 * lot) and the demo's `GENEALOGY_QUERY` (first 20). Per request: p50/p95/mean, SQL statements
 * (`dataspace_sql_statements_total` deltas, read outside the timed request), errors. The
 * same at a small size (10,000 rows), both clusters up at once in this process and their
 * requests alternating: statements per request must not grow with rows (exit 1). Every statement avionix issued
 * is captured (drizzle logger) and EXPLAINed (custom plan with ANALYZE, and the generic plan
 * postgres.js's prepared statements may switch to): a sequential scan of a table with more
 * than 10,000 rows fails the run. The issue's goal, p50 < 20 ms, is reported, not checked.
 *
 * Paging (issue 9): a tool's read of the big firm's whole lots history page by page through
 * `lotsConnection(first: 1000, after:)` (as the firm itself), and one filtered case (the
 * customer's RELEASED lots: its row filter and a filter), PAGING_PASSES times each at both
 * sizes: every row read once, the time per page at the start, middle and end of the history,
 * the statements per page (constant, or exit 1), and the page statement of the first, middle
 * and last page EXPLAINed (custom and generic plan; at the big size on an index, or exit 1).
 *
 *   DATABASE_URL=postgres://… node bin/run.mjs bench/postgresAtSize.ts [rows] [iterations]
 *   (default 1,000,000 rows and 200 iterations per request; ~4 min on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { startCluster, type RunningCluster } from '../local/startCluster.js';
import { demoPolicyFile, demoTermsFile } from '../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../demo/topology.js';
import { generateCluster } from '../seed/generateCluster.js';
import { insertFirmSeed } from '../seed/insertSeed.js';
import { createRandom, type Random } from '../seed/random.js';
import type { FirmSeed } from '../seed/clusterSeed.js';
import { openFirmDatabase } from '../subgraphs/firm/db/openFirmDatabase.js';
import { createTestDatabase, type TestDatabase } from '../test/harness/createTestDatabase.js';
import { readMetric } from '../test/harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';
import { bulkFillFirm, lotsForRows, type BulkFillResult, DATA_TABLES } from './lib/bulkFillFirm.js';
import { pageThroughLots, type PageRun } from './lib/pageThroughLots.js';
import { sqlStatementsTotal } from './lib/clusterMetrics.js';
import { explainStatements, tapStatements, type CapturedStatement, type StatementPlan } from './lib/explainStatements.js';
import { writeResult } from './lib/results.js';
import { round, roundSummary, summarize, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';

/** The firm whose database is filled: tier 1, two suppliers (circuitra, precimach), one customer (skyframe). */
const BIG = 'avionix';
const CUSTOMER = 'skyframe';
const SMALL_ROWS = 10_000;
const GOAL_P50_MS = 20;
const WARMUP = 20;
/** A sequential scan of a table with more rows than this is a finding. */
const BIG_TABLE_ROWS = 10_000;
/** Page size of the paging reads (the largest a connection gives), and how often each read runs. */
const PAGE_SIZE = 1000;
const PAGING_PASSES = 3;
/** Pages summarized at the start, middle and end of a read. */
const PAGES_AT = 5;

/**
 * The big firm's policy for this benchmark: its own users see everything; its customers
 * trace lots that left quarantine, see catalogue parts (not prototypes) without unit cost,
 * and (planners, for traceability) the inspections of the last two years.
 */
export function benchPolicy(firmId: string): string {
  return `# Generated for bench/postgresAtSize.ts: ${firmId}'s policy, with row filters for customers.
version: 2
firm: ${firmId}
rules:
  - id: own-users-see-everything
    description: Our own users see all of our data.
    who: { relationship: [self] }
    types: "*"
    fields: "*"

  - id: customers-trace-released-lots
    description: Customers trace our lots once out of quarantine; quarantined and scrapped lots stay internal.
    who: { relationship: [customer] }
    types: [Lot]
    fields: "*"
    rows:
      status: { in: [RELEASED, SHIPPED, CONSUMED] }

  - id: customers-see-catalogue-parts
    description: Part master data of catalogue parts (not prototypes); never the unit cost.
    who: { relationship: [customer] }
    types: [Part]
    fields: [partNumber, name, category, uom, bom]
    rows:
      category: { ne: prototype }

  - id: customer-planners-see-recent-inspections
    description: Customer planners and quality engineers tracing lots see the inspection results of the last two years.
    who: { relationship: [customer], roles: [planner, quality] }
    types: [QualityInspection]
    fields: "*"
    purposes: [quality-investigation, traceability]
    rows:
      inspectedAt: { gte: "2025-01-01T00:00:00.000Z" }

  - id: customers-track-their-shipments
    description: A customer follows the shipments we send to it.
    who: { relationship: [customer] }
    types: [Shipment]
    fields: "*"
    rows:
      customerId: { eq: $caller.firm }
`;
}

// --- the requests ------------------------------------------------------------------------

const ENTITIES = (selection: string, extraVars = ''): string =>
  `query($representations:[_Any!]!${extraVars}){_entities(representations:$representations){${selection}}}`;

/** One genealogy step as the gateway sends it to a firm (GENEALOGY_QUERY's Lot fetches, merged). */
export const GENEALOGY_STEP = ENTITIES(
  '...on Lot{status producedAt part{partNumber name unitCost}components{quantityUsed component{__typename firmId lotId}}inspections{characteristic value result}}',
);

/** A lot's genealogy two levels down through the gateway (random lot of the big firm). */
export const LOT_GENEALOGY_QUERY = /* GraphQL */ `
  query LotGenealogy($lotId: ID!) {
    firm(id: "${BIG}") {
      lot(lotId: $lotId) {
        firmId lotId status quantity producedAt
        part { partNumber name }
        inspections { characteristic value result }
        components { quantityUsed component { firmId lotId lot {
          firmId lotId status producedAt part { partNumber name }
          inspections { characteristic value result }
          components { quantityUsed component { firmId lotId lot { firmId lotId status part { name } } } }
        } } }
      }
    }
  }
`;

type Caller = 'self' | 'customer';

interface Keys {
  lots: string[];
  parts: string[];
}

interface BenchRequest {
  query: string;
  variables: Record<string, unknown>;
  /** Entities asked for (representations), to count the ones answered. */
  asked: number;
}

interface CaseDef {
  name: string;
  via: 'firm' | 'gateway';
  callers: Caller[];
  /** The request for one iteration, keys drawn from `random`. */
  request(keys: Keys, random: Random): BenchRequest;
  /** Entities answered (non-null) in the data. */
  answered(data: unknown): number;
}

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random.next() * items.length)] as T;
const lotRep = (lotId: string) => ({ __typename: 'Lot', firmId: BIG, lotId });
const entities = (data: unknown): unknown[] => ((data as { _entities?: unknown[] } | null)?._entities ?? []) as unknown[];
const nonNull = (list: unknown[]): number => list.filter((x) => x !== null && x !== undefined).length;

const CASES: CaseDef[] = [
  {
    name: 'lot by key',
    via: 'firm',
    callers: ['self', 'customer'],
    request: (k, r) => ({
      query: ENTITIES('...on Lot{firmId lotId partId quantity uom producedAt status}'),
      variables: { representations: [lotRep(pick(k.lots, r))] },
      asked: 1,
    }),
    answered: (d) => nonNull(entities(d)),
  },
  {
    name: 'page of lots (first 20)',
    via: 'firm',
    callers: ['self', 'customer'],
    request: () => ({
      query: ENTITIES('...on Firm{lots(first:$first){firmId lotId status quantity producedAt}}', ',$first:Int'),
      variables: { representations: [{ __typename: 'Firm', id: BIG }], first: 20 },
      asked: 20,
    }),
    answered: (d) => ((entities(d)[0] as { lots?: unknown[] } | null)?.lots ?? []).length,
  },
  {
    name: 'page of lots of a part (first 20)',
    via: 'firm',
    callers: ['self', 'customer'],
    request: (k, r) => ({
      query: ENTITIES('...on Firm{lots(first:$first,partId:$partId){firmId lotId status quantity producedAt}}', ',$first:Int,$partId:ID'),
      variables: { representations: [{ __typename: 'Firm', id: BIG }], first: 20, partId: pick(k.parts, r) },
      asked: 20,
    }),
    answered: (d) => ((entities(d)[0] as { lots?: unknown[] } | null)?.lots ?? []).length,
  },
  {
    name: 'inspections of a lot',
    via: 'firm',
    callers: ['self', 'customer'],
    request: (k, r) => ({
      query: ENTITIES('...on Lot{inspections{inspectionId characteristic value result inspectedAt}}'),
      variables: { representations: [lotRep(pick(k.lots, r))] },
      asked: 1,
    }),
    answered: (d) => entities(d).filter((x) => ((x as { inspections?: unknown[] } | null)?.inspections?.length ?? 0) > 0).length,
  },
  {
    name: 'part by key',
    via: 'firm',
    callers: ['self', 'customer'],
    request: (k, r) => ({
      query: ENTITIES('...on Part{firmId partId partNumber name category uom}'),
      variables: { representations: [{ __typename: 'Part', firmId: BIG, partId: pick(k.parts, r) }] },
      asked: 1,
    }),
    answered: (d) => nonNull(entities(d)),
  },
  {
    name: 'genealogy step (20 lots)',
    via: 'firm',
    callers: ['self', 'customer'],
    request: (k, r) => ({
      query: GENEALOGY_STEP,
      variables: { representations: Array.from({ length: 20 }, () => lotRep(pick(k.lots, r))) },
      asked: 20,
    }),
    answered: (d) => nonNull(entities(d)),
  },
  {
    name: 'lot genealogy, 2 levels (gateway)',
    via: 'gateway',
    callers: ['self', 'customer'],
    request: (k, r) => ({ query: LOT_GENEALOGY_QUERY, variables: { lotId: pick(k.lots, r) }, asked: 1 }),
    answered: (d) => ((d as { firm?: { lot?: unknown } } | null)?.firm?.lot ? 1 : 0),
  },
  {
    name: 'GENEALOGY_QUERY first 20 (gateway)',
    via: 'gateway',
    callers: ['customer'],
    request: () => ({ query: GENEALOGY_QUERY, variables: { first: 20 }, asked: 20 }),
    answered: (d) => ((d as { firm?: { lots?: unknown[] } } | null)?.firm?.lots ?? []).length,
  },
];

// --- one size ----------------------------------------------------------------------------

export interface CaseResult {
  name: string;
  via: 'firm' | 'gateway';
  caller: Caller;
  latency: Summary;
  /** SQL statements per request: at the big firm (direct) or all firms (gateway). */
  statements: { min: number; max: number; mean: number };
  /** Of them, at the big firm (gateway requests). */
  bigFirmStatements: { min: number; max: number };
  /** Entities asked for and answered (non-null), over all iterations. */
  asked: number;
  answered: number;
  errors: Record<string, number>;
  errorExamples: Record<string, string>;
  /** Responses that were not HTTP 200 with data. */
  failures: number;
  /** The statements the big firm issued for one such request (captured by the drizzle logger). */
  captured: number;
  /** Whether the captured statements equal the metric delta of that request. */
  capturedMatchesMetric: boolean;
}

export interface SizeResult {
  targetRows: number;
  bulkLots: number;
  fill: BulkFillResult;
  seedSeconds: number;
  startupSeconds: number;
  lots: number;
  parts: number;
  cases: CaseResult[];
  plans: (StatementPlan & { cases: string[] })[];
  paging: PagingResult[];
}

/** Where in a read a page is. */
type PagePosition = 'start' | 'middle' | 'end';

/** A page-by-page read through lotsConnection, PAGING_PASSES times. */
export interface PagingResult {
  name: string;
  caller: Caller;
  filters: Record<string, string>;
  first: number;
  /** Rows the read must return (counted in SQL), and what each pass returned. */
  expectedRows: number;
  rowsPerPass: number[];
  pages: number;
  /** Time per page (ms) over the passes: the first, middle and last PAGES_AT pages, and all. */
  perPage: Record<PagePosition | 'all', Summary>;
  /** Total time of a pass (s). */
  passSeconds: number[];
  statementsPerPage: { min: number; max: number };
  /** The page statement (the lots select) of the first pass at the start, middle and end, EXPLAINed. */
  plans: (StatementPlan & { position: PagePosition; page: number })[];
}

interface Answer {
  status: number;
  data?: unknown;
  errors?: { message?: string; extensions?: { code?: unknown } }[];
}

async function post(url: string, headersFor: (body: string) => Record<string, string>, req: BenchRequest): Promise<{ ms: number; answer: Answer }> {
  const body = JSON.stringify({ query: req.query, variables: req.variables });
  const headers = headersFor(body);
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  const ms = performance.now() - t0;
  let parsed: Omit<Answer, 'status'> = {};
  try {
    parsed = JSON.parse(text) as Omit<Answer, 'status'>;
  } catch {
    parsed = { errors: [{ extensions: { code: 'NON_JSON' } }] };
  }
  return { ms, answer: { status: res.status, ...parsed } };
}

/** Creates the cluster's databases: the big firm's seeded and bulk-filled, the others empty (startCluster seeds them). */
async function prepareDatabases(targetRows: number, seed: ReturnType<typeof generateCluster>) {
  const made = new Map<string, TestDatabase>();
  const drop = async () => {
    for (const d of made.values()) await d.drop().catch((e: unknown) => console.error(`could not drop a database: ${String(e)}`));
    made.clear();
  };
  activeDrops.add(drop);
  try {
    return await fillDatabases(made, targetRows, seed, async () => {
      await drop();
      activeDrops.delete(drop);
    });
  } catch (error) {
    await drop();
    activeDrops.delete(drop);
    throw error;
  }
}

async function fillDatabases(made: Map<string, TestDatabase>, targetRows: number, seed: ReturnType<typeof generateCluster>, drop: () => Promise<void>) {
  for (const m of DEMO_TOPOLOGY.members) made.set(m.id, await createTestDatabase('postgres'));
  const big = made.get(BIG);
  if (!big?.url) throw new Error('no database for the big firm');
  const t0 = performance.now();
  const firm = await openFirmDatabase({ databaseUrl: big.url });
  try {
    await insertFirmSeed(firm.db, seed.firms[BIG] as FirmSeed);
  } finally {
    await firm.close();
  }
  const seedSeconds = round((performance.now() - t0) / 1000, 1);
  const firmSeeds = (ids: string[]) => ids.map((id) => seed.firms[id] as FirmSeed);
  const suppliers = DEMO_TOPOLOGY.relationships.filter((r) => r.customer === BIG).map((r) => r.supplier);
  const customers = DEMO_TOPOLOGY.relationships.filter((r) => r.supplier === BIG).map((r) => r.customer);
  const seededRows = Object.values(seed.firms[BIG] as FirmSeed).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0);
  const bulkLots = lotsForRows(targetRows - seededRows);
  console.log(`  ${BIG}: seed ${seededRows} rows in ${seedSeconds} s; bulk fill ${bulkLots.toLocaleString('en')} lots...`);
  const fill = await bulkFillFirm({ url: big.url, firmId: BIG, lots: bulkLots, suppliers: firmSeeds(suppliers), customers: firmSeeds(customers) });
  console.log(`  ${fill.totalRows.toLocaleString('en')} rows: insert ${fill.insertSeconds} s, VACUUM ANALYZE ${fill.analyzeSeconds} s`);
  return {
    bigUrl: big.url,
    urlFor: (id: string) => {
      const url = made.get(id)?.url;
      if (!url) throw new Error(`no database for ${id}`);
      return url;
    },
    seedSeconds,
    bulkLots,
    fill,
    drop,
  };
}

/** Databases to drop if the process is interrupted. */
const activeDrops = new Set<() => Promise<void>>();

interface Run {
  def: CaseDef;
  caller: Caller;
  url: string;
  /** The request's headers (user token, and the gateway credential for a direct request), computed before the clock starts. */
  headers: (body: string) => Record<string, string>;
  random: Random;
  samples: number[];
  statements: number[];
  bigStatements: number[];
  asked: number;
  answered: number;
  errors: Record<string, number>;
  /** The first message of each error code, to tell what the policies refused. */
  errorExamples: Record<string, string>;
  failures: number;
  captured: CapturedStatement[];
  capturedMatchesMetric: boolean;
}

/** One size: its databases, its running cluster, the keys to draw from and the requests to run. */
interface Rig {
  targetRows: number;
  dbs: Awaited<ReturnType<typeof prepareDatabases>>;
  cluster: RunningCluster;
  bigUrl: string;
  startupSeconds: number;
  keys: Keys;
  runs: Run[];
  statementsNow(via: 'firm' | 'gateway'): Promise<number>;
  bigStatementsNow(): Promise<number>;
  /** The headers of a direct request to the big firm as this caller (as the gateway sends it). */
  firmHeaders(caller: Caller): (body: string) => Record<string, string>;
  bigFirmUrl: string;
}

/** Fills the databases of one size and starts its cluster. */
async function setUpSize(targetRows: number, policyFileFor: (id: string) => string): Promise<Rig> {
  console.log(`\n== ${targetRows.toLocaleString('en')} rows ==`);
  const seed = generateCluster(DEMO_TOPOLOGY, { seed: 42, lotsPerFirm: 40 });
  const dbs = await prepareDatabases(targetRows, seed);
  let cluster: RunningCluster | undefined;
  try {
    const t0 = performance.now();
    cluster = await startCluster({
      topology: DEMO_TOPOLOGY,
      policyFileFor,
      termsFile: demoTermsFile(),
      seed: { seed: 42, lotsPerFirm: 40 },
      port: 0,
      log: () => {},
      limits: BENCH_LIMITS,
      databaseUrlFor: dbs.urlFor,
    });
    const startupSeconds = round((performance.now() - t0) / 1000, 1);
    const c = cluster;
    const bigServer = c.firms.get(BIG)?.server;
    if (!bigServer) throw new Error(`${BIG} is not running`);
    const sql = postgres(dbs.bigUrl, { max: 1, onnotice: () => undefined });
    const keys: Keys = await (async () => {
      try {
        const lots = (await sql<{ lot_id: string }[]>`select lot_id from lots`).map((r) => r.lot_id);
        const parts = (await sql<{ part_id: string }[]>`select part_id from parts`).map((r) => r.part_id);
        return { lots, parts };
      } finally {
        await sql.end({ timeout: 5 });
      }
    })();
    console.log(`  cluster up in ${startupSeconds} s (${BIG} not re-seeded: ${keys.lots.length.toLocaleString('en')} lots)`);

    const tokens: Record<Caller, string> = {
      self: c.token(BIG, { roles: ['planner'], purpose: 'traceability' }),
      customer: c.token(CUSTOMER, { roles: ['planner'], purpose: 'traceability' }),
    };
    // As the gateway does (gateway/subgraphHeaders.ts): a credential per request, for this firm and this body.
    const headersFor = (caller: Caller, via: 'firm' | 'gateway') => (body: string): Record<string, string> =>
      via === 'gateway'
        ? { authorization: `Bearer ${tokens[caller]}` }
        : { authorization: `Bearer ${tokens[caller]}`, 'x-dataspace-gateway': c.gatewayCredential(tokens[caller], { kind: 'firm', firmId: BIG }, body) };
    const runs: Run[] = CASES.flatMap((def, i) =>
      def.callers.map((caller, j) => ({
        def,
        caller,
        url: def.via === 'gateway' ? c.gatewayUrl : bigServer.endpoints.firm,
        headers: headersFor(caller, def.via),
        random: createRandom(1000 + 10 * i + j),
        samples: [],
        statements: [],
        bigStatements: [],
        asked: 0,
        answered: 0,
        errors: {},
        errorExamples: {},
        failures: 0,
        captured: [],
        capturedMatchesMetric: false,
      })),
    );
    const bigStatementsNow = (): Promise<number> => readMetric(bigServer.url, 'dataspace_sql_statements_total');
    return {
      targetRows,
      dbs,
      cluster: c,
      bigUrl: dbs.bigUrl,
      startupSeconds,
      keys,
      runs,
      statementsNow: (via) => (via === 'gateway' ? sqlStatementsTotal(c) : bigStatementsNow()),
      bigStatementsNow,
      firmHeaders: (caller) => headersFor(caller, 'firm'),
      bigFirmUrl: bigServer.endpoints.firm,
    };
  } catch (error) {
    await cluster?.stop().catch(() => undefined);
    await dbs.drop();
    throw error;
  }
}

async function tearDown(rig: Rig): Promise<void> {
  await rig.cluster.stop().catch((e: unknown) => console.error(`cluster stop: ${String(e)}`));
  await rig.dbs.drop();
}

/** Warm-up (plans, prepared statements, caches), then one request per case with the big firm's statements captured. */
async function warmUpAndCapture(rig: Rig): Promise<void> {
  for (let i = 0; i < WARMUP; i++) for (const r of rig.runs) await post(r.url, r.headers, r.def.request(rig.keys, r.random));
  const big = rig.cluster.firms.get(BIG);
  if (!big) throw new Error(`no ${BIG}`);
  const tap = tapStatements(big.database.db);
  try {
    for (const r of rig.runs) {
      const req = r.def.request(rig.keys, r.random);
      const before = await rig.bigStatementsNow();
      r.captured = await tap.during(async () => void (await post(r.url, r.headers, req)));
      r.capturedMatchesMetric = (await rig.bigStatementsNow()) - before === r.captured.length;
    }
  } finally {
    tap.restore();
  }
}

/** One measured request: a fresh random key, its time, its statements (counters read before and after, outside the time). */
async function runOnce(rig: Rig, r: Run): Promise<void> {
  const req = r.def.request(rig.keys, r.random);
  const gateway = r.def.via === 'gateway';
  const before = await rig.statementsNow(r.def.via);
  const bigBefore = gateway ? await rig.bigStatementsNow() : before;
  const { ms, answer } = await post(r.url, r.headers, req);
  const after = await rig.statementsNow(r.def.via);
  r.bigStatements.push((gateway ? await rig.bigStatementsNow() : after) - bigBefore);
  r.statements.push(after - before);
  r.samples.push(ms);
  r.asked += req.asked;
  if (answer.status !== 200 || !answer.data) r.failures += 1;
  else r.answered += r.def.answered(answer.data);
  for (const e of answer.errors ?? []) {
    const code = String(e.extensions?.code ?? 'UNKNOWN');
    r.errors[code] = (r.errors[code] ?? 0) + 1;
    r.errorExamples[code] ??= String(e.message ?? '');
  }
}

// --- paging (issue 9) ----------------------------------------------------------------------

interface PagingCase {
  name: string;
  caller: Caller;
  filters: Record<string, string>;
  /** The rows the read must return, counted in SQL. */
  expected: string;
}

const PAGING_CASES: PagingCase[] = [
  { name: 'whole lots history', caller: 'self', filters: {}, expected: 'select count(*)::int as n from lots' },
  // The customer's row filter (status in RELEASED, SHIPPED, CONSUMED) and a filter on status.
  { name: 'RELEASED lots, as the customer', caller: 'customer', filters: { status: 'RELEASED' }, expected: "select count(*)::int as n from lots where status = 'RELEASED'" },
];

/** The indexes of the first, middle and last PAGES_AT pages of `n`. */
function pagesAt(n: number): Record<PagePosition, number[]> {
  const range = (from: number) => Array.from({ length: Math.min(PAGES_AT, n) }, (_, i) => Math.max(0, Math.min(n - 1, from + i)));
  return { start: range(0), middle: range(Math.floor(n / 2) - Math.floor(PAGES_AT / 2)), end: range(n - PAGES_AT) };
}

/** Every paging case at every size, PAGING_PASSES times, the sizes alternating; then the page statements EXPLAINed. */
async function measurePaging(rigs: readonly Rig[]): Promise<Map<Rig, PagingResult[]>> {
  const out = new Map<Rig, PagingResult[]>(rigs.map((r) => [r, []]));
  for (const c of PAGING_CASES) {
    const runs = new Map<Rig, PageRun[][]>(rigs.map((r) => [r, []]));
    for (let pass = 0; pass < PAGING_PASSES; pass++) {
      for (const rig of rigs) {
        const big = rig.cluster.firms.get(BIG);
        if (!big) throw new Error(`no ${BIG}`);
        const tap = tapStatements(big.database.db);
        try {
          const t0 = performance.now();
          const pages = await pageThroughLots({
            url: rig.bigFirmUrl,
            firmId: BIG,
            headersFor: rig.firmHeaders(c.caller),
            filters: c.filters,
            first: PAGE_SIZE,
            statementsNow: rig.bigStatementsNow,
            capture: (action) => tap.during(action),
          });
          runs.get(rig)?.push(pages);
          console.log(`  ${c.name} @ ${rig.targetRows.toLocaleString('en')} rows, pass ${pass + 1}: ${pages.length} pages in ${round((performance.now() - t0) / 1000, 1)} s`);
        } finally {
          tap.restore();
        }
      }
    }
    for (const rig of rigs) out.get(rig)?.push(await pagingResult(rig, c, runs.get(rig) ?? []));
  }
  return out;
}

async function pagingResult(rig: Rig, c: PagingCase, passes: PageRun[][]): Promise<PagingResult> {
  const sql = postgres(rig.bigUrl, { max: 1, onnotice: () => undefined });
  const expectedRows = await sql.unsafe<{ n: number }[]>(c.expected).then((r) => r[0]?.n ?? -1).finally(() => sql.end({ timeout: 5 }));
  const first = passes[0] ?? [];
  const at = pagesAt(first.length);
  const msAt = (indexes: number[]) => passes.flatMap((pages) => indexes.map((i) => pages[i]?.ms ?? Number.NaN));
  const statements = passes.flatMap((pages) => pages.map((p) => p.statements));
  const plans: PagingResult['plans'] = [];
  const explained: Record<PagePosition, number> = { start: 0, middle: Math.floor((first.length - 1) / 2), end: first.length - 1 };
  for (const position of ['start', 'middle', 'end'] as const) {
    const page = explained[position];
    const select = (first[page]?.captured ?? []).filter((st) => /\bfrom "lots"/.test(st.sql));
    for (const plan of await explainStatements(rig.bigUrl, select, BIG_TABLE_ROWS)) plans.push({ ...plan, position, page: page + 1 });
  }
  return {
    name: c.name,
    caller: c.caller,
    filters: c.filters,
    first: PAGE_SIZE,
    expectedRows,
    rowsPerPass: passes.map((pages) => pages.reduce((n, p) => n + p.rows, 0)),
    pages: first.length,
    perPage: {
      start: roundSummary(summarize(msAt(at.start))),
      middle: roundSummary(summarize(msAt(at.middle))),
      end: roundSummary(summarize(msAt(at.end))),
      all: roundSummary(summarize(passes.flatMap((pages) => pages.map((p) => p.ms)))),
    },
    passSeconds: passes.map((pages) => round(pages.reduce((t, p) => t + p.ms, 0) / 1000, 2)),
    statementsPerPage: { min: Math.min(...statements), max: Math.max(...statements) },
    plans,
  };
}

async function finish(rig: Rig, paging: PagingResult[]): Promise<SizeResult> {
  const cases: CaseResult[] = rig.runs.map((r) => ({
    name: r.def.name,
    via: r.def.via,
    caller: r.caller,
    latency: roundSummary(summarize(r.samples)),
    statements: {
      min: Math.min(...r.statements),
      max: Math.max(...r.statements),
      mean: round(r.statements.reduce((a, b) => a + b, 0) / Math.max(1, r.statements.length)),
    },
    bigFirmStatements: { min: Math.min(...r.bigStatements), max: Math.max(...r.bigStatements) },
    asked: r.asked,
    answered: r.answered,
    errors: r.errors,
    errorExamples: r.errorExamples,
    failures: r.failures,
    captured: r.captured.length,
    capturedMatchesMetric: r.capturedMatchesMetric,
  }));
  console.log(`  EXPLAIN of the statements captured at ${rig.targetRows.toLocaleString('en')} rows...`);
  const casesOf = new Map<string, Set<string>>();
  for (const r of rig.runs) {
    for (const s of r.captured) {
      const set = casesOf.get(s.sql) ?? new Set<string>();
      set.add(`${r.def.name} [${r.caller}]`);
      casesOf.set(s.sql, set);
    }
  }
  const plans = (await explainStatements(rig.bigUrl, rig.runs.flatMap((r) => r.captured), BIG_TABLE_ROWS)).map((p) => ({
    ...p,
    cases: [...(casesOf.get(p.sql) ?? [])],
  }));
  return {
    targetRows: rig.targetRows,
    bulkLots: rig.dbs.bulkLots,
    fill: rig.dbs.fill,
    seedSeconds: rig.dbs.seedSeconds,
    startupSeconds: rig.startupSeconds,
    lots: rig.keys.lots.length,
    parts: rig.keys.parts.length,
    cases,
    plans,
    paging,
  };
}

// --- report ------------------------------------------------------------------------------

const ms = (x: number): string => x.toFixed(1);
const errorsText = (e: Record<string, number>): string => Object.entries(e).map(([k, v]) => `${v} ${k}`).join(', ') || '-';
const range = (s: { min: number; max: number }): string => (s.min === s.max ? String(s.max) : `${s.min}–${s.max}`);

/** A statement in one line: its verb, tables and WHERE, shortened. */
function shortSql(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replace(/"/g, '');
  const from = /\bfrom ([a-z_]+)/i.exec(flat)?.[1] ?? /\binto ([a-z_]+)/i.exec(flat)?.[1] ?? '?';
  const where = /\bwhere (.*?)( order by| limit| returning|$)/i.exec(flat)?.[1] ?? '';
  const verb = /^\s*with\b/i.test(flat) ? 'with…insert' : (flat.split(' ')[0] ?? '').toLowerCase();
  const compact = where.replace(/[a-z_]+\.([a-z_]+)/gi, '$1').replace(/\(\$\d+(, \$\d+)+\)/g, '($…)');
  return `${verb} ${from}${compact ? ` where ${compact}` : ''}`.slice(0, 110);
}

const SCAN_NAMES: Record<string, string> = { 'Seq Scan': 'Seq', 'Index Scan': 'Index', 'Index Only Scan': 'IndexOnly', 'Bitmap Index Scan': 'Bitmap' };

/** A plan's scans in short: `Index lots_pkey`, `Bitmap quality_inspections_lot_id_idx`, `Seq parts`. */
function scansText(p: { scans: { relation: string; nodeType: string; index?: string }[] }): string {
  return (
    p.scans
      .filter((s) => s.nodeType !== 'Bitmap Heap Scan')
      .map((s) => `${SCAN_NAMES[s.nodeType] ?? s.nodeType} ${s.index ?? s.relation}`)
      .join('; ') || '-'
  );
}

function reportPaging(sizes: SizeResult[]): void {
  const rows = sizes.flatMap((s) =>
    s.paging.map((p) => [
      p.name, s.targetRows.toLocaleString('en'), p.pages, `${p.rowsPerPass.join('/')} of ${p.expectedRows}`,
      ms(p.perPage.start.p50), ms(p.perPage.middle.p50), ms(p.perPage.end.p50), ms(p.perPage.all.mean), ms(p.perPage.all.p95),
      p.passSeconds.join(' / '), range(p.statementsPerPage),
    ]),
  );
  printTable(
    ['read', 'rows in db', 'pages', 'rows read per pass', 'p50 start', 'p50 middle', 'p50 end', 'mean', 'p95', 'pass s', 'SQL/page'],
    rows,
    `Paging: lotsConnection(first: ${PAGE_SIZE}) page by page to the end, ${PAGING_PASSES} passes; ms per page (HTTP round trip at the firm), the first, middle and last ${PAGES_AT} pages of each pass`,
  );
  printTable(
    ['read', 'rows in db', 'page', 'custom plan', 'exec ms', 'pages hit/read', 'generic plan', `seq scan on a table > ${BIG_TABLE_ROWS.toLocaleString('en')} rows`],
    sizes.flatMap((s) =>
      s.paging.flatMap((p) =>
        p.plans.map((x) => [
          p.name, s.targetRows.toLocaleString('en'), `${x.position} (${x.page})`, scansText(x.custom), x.custom.executionMs ?? '-',
          x.custom.sharedHit !== undefined ? `${x.custom.sharedHit}/${x.custom.sharedRead ?? 0}` : '-',
          x.generic ? scansText(x.generic) : '-',
          [...x.custom.seqScansOnBigTables, ...(x.generic?.seqScansOnBigTables ?? [])].map((y) => `${y.relation} (${y.rows})`).join(', ') || 'none',
        ]),
      ),
    ),
    'EXPLAIN of the page statement (the lots select) at the start, middle and end of each read',
  );
  for (const s of sizes) for (const p of s.paging) console.log(`  ${p.name} @ ${s.targetRows.toLocaleString('en')}: ${shortSql(p.plans[0]?.sql ?? '')}`);
}

function report(sizes: SizeResult[], iterations: number): Record<string, boolean> {
  const [small, big] = sizes as [SizeResult, SizeResult];
  printTable(
    ['table', ...sizes.map((s) => `rows @ ${s.targetRows.toLocaleString('en')}`), `insert s @ ${big.targetRows.toLocaleString('en')}`],
    [
      ...DATA_TABLES.map((t) => [t, ...sizes.map((s) => s.fill.rowsPerTable[t] ?? 0), big.fill.insertSecondsPerTable[t] ?? 0]),
      ['total', ...sizes.map((s) => s.fill.totalRows), big.fill.insertSeconds],
    ],
    `Rows in ${BIG}'s database (generator seed + set-based bulk fill), and load time`,
  );
  for (const s of sizes) {
    console.log(
      `  ${s.targetRows.toLocaleString('en')}: ${s.bulkLots.toLocaleString('en')} bulk lots; seed ${s.seedSeconds} s, bulk insert ${s.fill.insertSeconds} s, VACUUM (ANALYZE) ${s.fill.analyzeSeconds} s; cluster start ${s.startupSeconds} s`,
    );
  }

  const key = (c: CaseResult) => `${c.name}|${c.caller}`;
  const smallOf = new Map(small.cases.map((c) => [key(c), c]));
  printTable(
    ['request', 'via', 'caller', 'small p50', 'p95', 'mean', 'big p50', 'p95', 'mean', `p50<${GOAL_P50_MS}ms`, 'SQL small', 'SQL big', 'answered/asked (big)', 'errors (big)'],
    big.cases.map((c) => {
      const s = smallOf.get(key(c));
      return [
        c.name, c.via, c.caller,
        ms(s?.latency.p50 ?? NaN), ms(s?.latency.p95 ?? NaN), ms(s?.latency.mean ?? NaN),
        ms(c.latency.p50), ms(c.latency.p95), ms(c.latency.mean),
        c.via === 'firm' ? c.latency.p50 < GOAL_P50_MS : 'n/a',
        s ? range(s.statements) : '?', range(c.statements),
        `${c.answered}/${c.asked}`, errorsText(c.errors),
      ];
    }),
    `Latency ms over ${iterations} iterations each (small = ${small.targetRows.toLocaleString('en')} rows, big = ${big.targetRows.toLocaleString('en')} rows), SQL statements per request (min–max; gateway: all firms)`,
  );

  console.log('\nerrors in the answers (first message of each code, big size):');
  for (const c of big.cases) {
    for (const [code, message] of Object.entries(c.errorExamples)) console.log(`  ${c.name} [${c.caller}]: ${c.errors[code]} ${code}, e.g. "${message.slice(0, 160)}"`);
  }

  for (const s of sizes) {
    printTable(
      ['statement', 'requests', 'custom plan', 'exec ms', 'pages hit/read', 'generic plan', 'index used', `seq scan on a table > ${BIG_TABLE_ROWS.toLocaleString('en')} rows`],
      s.plans.map((p) => [
        shortSql(p.sql),
        p.cases.length,
        scansText(p.custom),
        p.custom.executionMs ?? '-',
        p.custom.sharedHit !== undefined ? `${p.custom.sharedHit}/${p.custom.sharedRead ?? 0}` : '-',
        p.generic ? scansText(p.generic) : '(write: not planned generic)',
        `${p.custom.usesIndex ? 'yes' : 'no'}/${p.generic ? (p.generic.usesIndex ? 'yes' : 'no') : '-'}`,
        [...p.custom.seqScansOnBigTables, ...(p.generic?.seqScansOnBigTables ?? [])].map((x) => `${x.relation} (${x.rows})`).join(', ') || 'none',
      ]),
      `EXPLAIN of every statement ${BIG} issued for these requests, ${s.targetRows.toLocaleString('en')} rows`,
    );
  }

  reportPaging(sizes);

  const direct = (s: SizeResult) => s.cases.filter((c) => c.via === 'firm');
  // The random-lot walk through the gateway reaches 1 to 3 owners per level depending on the lot: reported, not compared.
  const compared = (c: CaseResult) => c.via === 'firm' || c.name.startsWith('GENEALOGY_QUERY');
  const grows = big.cases.filter((c) => compared(c) && c.statements.max > (smallOf.get(key(c))?.statements.max ?? Number.POSITIVE_INFINITY));
  /** Requests by key: every key asked for exists, so self gets every entity. */
  const byKey = (c: CaseResult) => ['lot by key', 'part by key', 'genealogy step (20 lots)'].includes(c.name);
  const lotsByKey = (s: SizeResult, caller: Caller) => s.cases.filter((c) => c.caller === caller && c.via === 'firm' && byKey(c) && c.name !== 'part by key');
  const checks = {
    rowsAtLeastTarget: sizes.every((s) => s.fill.totalRows >= s.targetRows),
    allAnswered: sizes.every((s) => s.cases.every((c) => c.failures === 0)),
    selfSeesEveryRowWithoutErrors: sizes.every((s) =>
      direct(s).filter((c) => c.caller === 'self').every((c) => Object.keys(c.errors).length === 0 && (!byKey(c) || c.answered === c.asked)),
    ),
    customerRowsFiltered: sizes.every((s) => {
      const cases = lotsByKey(s, 'customer');
      const answered = cases.reduce((n, c) => n + c.answered, 0);
      const asked = cases.reduce((n, c) => n + c.asked, 0);
      return answered > 0 && answered < asked;
    }),
    sqlStatementsPerRequestDoNotGrow: grows.length === 0,
    capturedStatementsMatchMetric: sizes.every((s) => s.cases.every((c) => c.capturedMatchesMetric)),
    noSeqScanOnBigTable: sizes.every((s) => s.plans.every((p) => p.custom.seqScansOnBigTables.length === 0 && (p.generic?.seqScansOnBigTables.length ?? 0) === 0)),
    pagingReadsEveryRowOnce: sizes.every((s) => s.paging.length === PAGING_CASES.length && s.paging.every((p) => p.rowsPerPass.every((n) => n === p.expectedRows))),
    pagingStatementsPerPageConstant: big.paging.every((p) => {
      const at = small.paging.find((q) => q.name === p.name)?.statementsPerPage;
      return p.statementsPerPage.min === p.statementsPerPage.max && at !== undefined && at.min === at.max && at.max === p.statementsPerPage.max;
    }),
    // At every size no page reads a big table sequentially; at the big size every page statement is on an index.
    pagingPageStatementsOnAnIndex:
      sizes.every((s) => s.paging.every((p) => p.plans.length === 3 && p.plans.every((x) => x.custom.seqScansOnBigTables.length === 0 && (x.generic?.seqScansOnBigTables.length ?? 0) === 0))) &&
      big.paging.every((p) => p.plans.every((x) => x.custom.usesIndex && x.generic?.usesIndex === true)),
  };
  if (grows.length) console.log(`\nstatements grew: ${grows.map((c) => `${c.name} [${c.caller}]`).join(', ')}`);
  const goal = big.cases.filter((c) => c.via === 'firm');
  console.log(
    `\ngoal p50 < ${GOAL_P50_MS} ms at ${big.targetRows.toLocaleString('en')} rows (direct requests): ${goal.filter((c) => c.latency.p50 < GOAL_P50_MS).length}/${goal.length} met`,
  );
  printTable(['check', 'ok'], Object.entries(checks), 'Checks');
  return checks;
}

export async function postgresAtSize(rows = 1_000_000, iterations = 200): Promise<{ checks: Record<string, boolean> }> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-policy-'));
  const bigPolicy = join(dir, `${BIG}.yaml`);
  writeFileSync(bigPolicy, benchPolicy(BIG));
  const policyFileFor = (id: string): string => (id === BIG ? bigPolicy : demoPolicyFile(id));
  console.log(`postgresAtSize: ${BIG}'s database at ${SMALL_ROWS.toLocaleString('en')} and ${rows.toLocaleString('en')} rows, ${iterations} iterations per request`);
  // Both sizes run at once (two clusters in this process), their requests alternating, so
  // that both see the same machine state.
  const rigs: Rig[] = [];
  let sizes: SizeResult[] = [];
  try {
    for (const target of [Math.min(SMALL_ROWS, rows), rows]) rigs.push(await setUpSize(target, policyFileFor));
    console.log(`\nwarm-up (${WARMUP} per request and size), statement capture...`);
    for (const rig of rigs) await warmUpAndCapture(rig);
    console.log(`measuring: ${iterations} iterations, every request in turn at each size`);
    const perRig = rigs[0]?.runs.length ?? 0;
    for (let i = 0; i < iterations; i++) {
      for (let j = 0; j < perRig; j++) for (const rig of rigs) await runOnce(rig, rig.runs[j] as Run);
      if ((i + 1) % 50 === 0) console.log(`  ${i + 1}/${iterations}`);
    }
    console.log(`paging: lotsConnection(first: ${PAGE_SIZE}) through each firm's whole history, ${PAGING_PASSES} passes per case and size`);
    const paging = await measurePaging(rigs);
    for (const rig of rigs) sizes.push(await finish(rig, paging.get(rig) ?? []));
  } finally {
    for (const rig of rigs) await tearDown(rig);
  }
  sizes = sizes.sort((a, b) => a.targetRows - b.targetRows);
  const checks = report(sizes, iterations);
  writeResult('postgresAtSize', started, {
    firm: BIG,
    customer: CUSTOMER,
    iterations,
    goalP50Ms: GOAL_P50_MS,
    bigTableRows: BIG_TABLE_ROWS,
    policy: benchPolicy(BIG),
    sizes,
    checks,
  });
  return { checks };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!process.env.DATABASE_URL) {
    console.error('postgresAtSize needs a PostgreSQL server where databases may be created: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
    process.exit(2);
  }
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: dropping the benchmark's databases...`);
    void Promise.all([...activeDrops].map((d) => d())).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const [rows, iterations] = process.argv.slice(2);
  const { checks } = await postgresAtSize(rows ? Number(rows) : undefined, iterations ? Number(iterations) : undefined);
  process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
}
