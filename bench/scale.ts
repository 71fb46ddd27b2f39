/**
 * Scale: a generated cluster of 30 firms in 5 tiers with more than 10,000 lots, all in this
 * one process (30 firm subgraphs on 30 in-memory PGlite databases, registry, gateway), or
 * on PostgreSQL with one database per firm when DATABASE_URL is set (created and dropped
 * here). Every firm runs a generic version-2 policy (bench/lib/genericPolicies.ts) under
 * the demo cluster terms. As a lead planner, a genealogy walk four tiers down (the lead's
 * lots, then four levels of components) with first = 2, 20, 200: lots returned, subgraph
 * requests against 1 + Σ distinct owners per plan step, SQL statements (must not change
 * with first), latency percentiles, start-up time and the process's memory.
 *
 *   node bin/run.mjs bench/scale.ts [runs] [lotsPerFirm]     (default 30 runs per size, 340 lots per firm; ~3-4 min on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { pathToFileURL } from 'node:url';
import { startCluster, type RunningCluster } from '../local/startCluster.js';
import { demoTermsFile } from '../demo/demoCluster.js';
import { generateTopology } from '../seed/generateTopology.js';
import { tables } from '../subgraphs/firm/db/tables.js';
import { createTestDatabase, type TestDatabase } from '../test/harness/createTestDatabase.js';
import { memoryOf } from './lib/child.js';
import { serviceOf, sqlStatementsTotal, subgraphPrefixes } from './lib/clusterMetrics.js';
import { installFetchHook, recordRequests } from './lib/fetchRecorder.js';
import { writeGenericPolicies } from './lib/genericPolicies.js';
import { errorCodes, lotIdsIn } from './lib/lotIds.js';
import { writeResult } from './lib/results.js';
import { traceRouter, type TracedFetch } from './lib/routerTrace.js';
import { round, roundSummary, summarize, timeSequential, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';

/** The lead planner's genealogy walk: the lead's lots and four levels of components (tiers 1 to 4). */
export const LEAD_GENEALOGY_QUERY = /* GraphQL */ `
  query LeadGenealogy($first: Int) {
    firm(id: "lead") {
      id
      lots(first: $first) {
        firmId lotId status quantity
        part { partNumber name unitCost }
        components { quantityUsed component { firmId lotId lot {
          firmId lotId status part { partNumber name }
          components { component { lot {
            firmId lotId status part { name }
            components { component { lot {
              firmId lotId status part { name }
              components { component { lot {
                firmId lotId status producedAt part { name }
                inspections { characteristic value result }
              } } }
            } } }
          } } }
        } } }
      }
    }
  }
`;

export interface ScaleRow {
  first: number;
  /** Lot objects in the answer (any depth), and distinct lot ids among them. */
  lots: number;
  distinctLots: number;
  /** The distinct firms whose lots are in the answer, and the tiers they are in. */
  firmsInAnswer: number;
  tiersInAnswer: number;
  registryRequests: number;
  firmRequests: number;
  subgraphRequests: number;
  /** The plan's fetches to firm-served subgraphs (sequential steps), each with its distinct owners. */
  fetches: { subgraph: string; owners: number; representations: number }[];
  /** 1 (registry) + Σ distinct owners per fetch. */
  budget: number;
  withinBudget: boolean;
  sqlStatements: number;
  errors: Record<string, number>;
  /** The gateway's cost estimate (limits/, `costMode: measure` here) and what its default `enforce` would do. */
  cost: { estimated: number; max: number; result: string } | null;
  latency: Summary;
}

interface Answer {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { cost?: { estimated: number; max: number; result: string } };
}

/** POSTs the walk to the gateway and parses the whole answer (extensions included). */
async function post(url: string, token: string, first: number): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: LEAD_GENEALOGY_QUERY, variables: { first } }),
  });
  const body = (await res.json()) as Omit<Answer, 'status'>;
  return { status: res.status, ...body };
}

export interface ScaleResult {
  firms: number;
  tiers: number;
  lotsPerFirm: number;
  totalLots: number;
  database: 'pglite-memory' | 'postgres';
  startupSeconds: number;
  memoryMB: { beforeStart: number; afterStart: number; afterRuns: number; peak: number; heapUsedAfterRuns: number; perFirmEstimate: number };
  rows: ScaleRow[];
  checks: Record<string, boolean>;
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

async function measure(cluster: RunningCluster, takeFetches: () => TracedFetch[], token: string, first: number, runs: number, tierOf: Map<string, number>): Promise<ScaleRow> {
  const run = () => post(cluster.gatewayUrl, token, first);
  for (let i = 0; i < 3; i++) await run(); // warm: query plan cache, prepared statements, JIT
  takeFetches();
  const { router } = cluster.gateway;
  const requestsBefore = router.stats.requests;
  const sqlBefore = await sqlStatementsTotal(cluster);
  let result: Awaited<ReturnType<typeof run>> | undefined;
  const recorded = await recordRequests(subgraphPrefixes(cluster), async () => {
    result = await run();
  });
  const sqlStatements = (await sqlStatementsTotal(cluster)) - sqlBefore;
  const firmRequests = router.stats.requests - requestsBefore;
  const fetches = takeFetches();
  if (!result || result.status !== 200) throw new Error(`first=${first}: HTTP ${result?.status} ${JSON.stringify(result?.errors ?? []).slice(0, 300)}`);
  const registryRequests = recorded.filter((r) => serviceOf(cluster, r.url) === 'registry').length;
  const budget = 1 + fetches.reduce((n, f) => n + f.owners.length, 0);
  const ids = lotIdsIn(result.data);
  const subgraphRequests = registryRequests + firmRequests;
  const owners = new Set(ids.map((id) => id.replace(/-L\d+$/, '')));
  const latency = roundSummary(summarize(await timeSequential(runs, async () => void (await run()))));
  takeFetches();
  return {
    first,
    lots: ids.length,
    distinctLots: new Set(ids).size,
    firmsInAnswer: owners.size,
    tiersInAnswer: new Set([...owners].map((o) => tierOf.get(o))).size,
    registryRequests,
    firmRequests,
    subgraphRequests,
    fetches: fetches.map((f) => ({ subgraph: f.subgraph, owners: f.owners.length, representations: f.representations })),
    budget,
    withinBudget: subgraphRequests <= budget && recorded.length === subgraphRequests,
    sqlStatements,
    errors: errorCodes(result.errors),
    cost: result.extensions?.cost ?? null,
    latency,
  };
}

/** One PostgreSQL database per firm (created now, dropped by the returned function), or none for PGlite. */
async function firmDatabases(firmIds: readonly string[]): Promise<{ urlFor?: (firmId: string) => string; drop(): Promise<void> }> {
  if (!process.env.DATABASE_URL) return { drop: async () => undefined };
  const made = new Map<string, TestDatabase>();
  for (const id of firmIds) made.set(id, await createTestDatabase('postgres'));
  return {
    urlFor: (firmId) => {
      const url = made.get(firmId)?.url;
      if (!url) throw new Error(`no database for ${firmId}`);
      return url;
    },
    drop: async () => {
      for (const d of made.values()) await d.drop();
    },
  };
}

export async function scale(runs = 30, lotsPerFirm = 340, firms = 30, tiers = 5): Promise<ScaleResult> {
  const started = performance.now();
  installFetchHook();
  const topology = generateTopology({ firms, tiers });
  const firmIds = topology.members.map((m) => m.id);
  const lead = topology.members.find((m) => m.role === 'lead')?.id ?? 'lead';
  const databases = await firmDatabases(firmIds);
  const database = databases.urlFor ? 'postgres' : 'pglite-memory';
  const rssBefore = process.memoryUsage().rss;
  console.log(`scale: ${firms} firms in ${tiers} tiers, lotsPerFirm=${lotsPerFirm}, ${database}, all in one process; starting...`);
  const t0 = performance.now();
  const cluster = await startCluster({
    topology,
    policyFileFor: writeGenericPolicies(firmIds, lead),
    termsFile: demoTermsFile(),
    seed: { seed: 42, lotsPerFirm },
    port: 0,
    log: () => {},
    // The cost limit (limits/) refuses the 4-tier walk from first ≈ 10 with its defaults
    // (unsliced lists assumed 10 long): measure and report the estimate instead of refusing.
    limits: BENCH_LIMITS,
    ...(databases.urlFor ? { databaseUrlFor: databases.urlFor } : {}),
  });
  const startupSeconds = round((performance.now() - t0) / 1000, 1);
  const rssAfterStart = process.memoryUsage().rss;
  console.log(`cluster up in ${startupSeconds} s, RSS ${mb(rssAfterStart)} MB`);

  let result: ScaleResult | undefined;
  try {
    let totalLots = 0;
    for (const f of cluster.firms.values()) totalLots += (await f.database.db.select({ lotId: tables.lots.lotId }).from(tables.lots)).length;
    console.log(`${totalLots} lots in ${cluster.firms.size} firm databases`);

    const takeFetches = traceRouter(cluster.gateway.router);
    const token = cluster.token(lead);
    const tierOf = new Map(topology.members.map((m) => [m.id, m.tier]));
    const rows: ScaleRow[] = [];
    for (const first of [2, 20, 200]) {
      rows.push(await measure(cluster, takeFetches, token, first, runs, tierOf));
      const r = rows[rows.length - 1];
      if (r) console.log(`  first=${first}: ${r.lots} lots, ${r.subgraphRequests} requests (budget ${r.budget}), ${r.sqlStatements} SQL, p50 ${r.latency.p50} ms`);
    }
    const rssAfterRuns = process.memoryUsage().rss;
    const heapUsed = process.memoryUsage().heapUsed;
    const peak = memoryOf(process.pid).peakMB;

    const of = (first: number): ScaleRow | undefined => rows.find((r) => r.first === first);
    const checks = {
      atLeast10000Lots: totalLots >= 10_000,
      allTiersReached: rows.every((r) => r.tiersInAnswer === tiers),
      requestsWithinOnePlusOwnersPerStep: rows.every((r) => r.withinBudget),
      sqlStatementsIndependentOfRows: of(2)?.sqlStatements === of(20)?.sqlStatements && of(20)?.sqlStatements === of(200)?.sqlStatements,
      rowsGrow: (of(200)?.lots ?? 0) >= 5 * (of(20)?.lots ?? Number.POSITIVE_INFINITY),
    };
    result = {
      firms,
      tiers,
      lotsPerFirm,
      totalLots,
      database,
      startupSeconds,
      memoryMB: {
        beforeStart: mb(rssBefore),
        afterStart: mb(rssAfterStart),
        afterRuns: mb(rssAfterRuns),
        peak,
        heapUsedAfterRuns: mb(heapUsed),
        perFirmEstimate: Math.round(mb(rssAfterStart - rssBefore) / firms),
      },
      rows,
      checks,
    };
  } finally {
    await cluster.stop();
    await databases.drop();
  }

  printTable(
    ['first', 'lots', 'distinct', 'firms', 'tiers', 'registry req', 'firm req', 'total req', '1+Σowners/step', 'within', 'SQL stmts', 'p50 ms', 'p95 ms', 'mean ms', 'errors', 'est. cost (default limit)'],
    result.rows.map((r) => [
      r.first, r.lots, r.distinctLots, r.firmsInAnswer, r.tiersInAnswer, r.registryRequests, r.firmRequests, r.subgraphRequests, r.budget, r.withinBudget, r.sqlStatements,
      r.latency.p50, r.latency.p95, r.latency.mean, Object.entries(r.errors).map(([k, v]) => `${v} ${k}`).join(',') || '-',
      r.cost ? `${r.cost.estimated} (${r.cost.result})` : 'n/a',
    ]),
    `Lead genealogy walk, 4 tiers down (${result.firms} firms, ${result.tiers} tiers, ${result.totalLots} lots, ${database}; ${runs} runs per size)`,
  );
  const big = result.rows[result.rows.length - 1];
  if (big) console.log(`\nplan (first=${big.first}): registry → ${big.fetches.map((f) => `${f.subgraph}[${f.owners} owners, ${f.representations} reps]`).join(' → ')}`);
  const m = result.memoryMB;
  console.log(`\nstart-up ${result.startupSeconds} s; RSS before ${m.beforeStart} MB, after start ${m.afterStart} MB (≈ ${m.perFirmEstimate} MB per firm), after runs ${m.afterRuns} MB, peak ${m.peak} MB; JS heap used ${m.heapUsedAfterRuns} MB`);
  printTable(['check', 'ok'], Object.entries(result.checks), 'Checks');
  writeResult('scale', started, result);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [runs, lots] = process.argv.slice(2);
  const result = await scale(runs ? Number(runs) : undefined, lots ? Number(lots) : undefined);
  process.exitCode = Object.values(result.checks).every(Boolean) ? 0 : 1;
}
