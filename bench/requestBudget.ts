/**
 * Request budget: subgraph requests and SQL statements per query must not grow with rows.
 * On the demo topology (in-memory PGlite), a skyframe planner runs the genealogy walk and
 * the all-members lot list at three page sizes; for each run we count rows, the requests
 * the gateway sent (registry + firms), the firms' SQL statements, and check that
 * firm requests = Σ over the plan's fetches of their distinct owners.
 *
 *   node bin/run.mjs bench/requestBudget.ts [lotsPerFirm]     (default 500; ~40 s on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { pathToFileURL } from 'node:url';
import { startCluster, type RunningCluster } from '../local/startCluster.js';
import { demoClusterOptions } from '../demo/demoCluster.js';
import { at, postGraphQL } from '../test/harness/graphqlClient.js';
import { ALL_LOTS_QUERY, GENEALOGY_QUERY } from '../test/harness/queries.js';
import { serviceOf, sqlStatementsTotal, subgraphPrefixes } from './lib/clusterMetrics.js';
import { installFetchHook, recordRequests } from './lib/fetchRecorder.js';
import { writeResult } from './lib/results.js';
import { traceRouter, type TracedFetch } from './lib/routerTrace.js';
import { round, summarize, timeSequential } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';

export interface BudgetRow {
  query: string;
  first: number;
  /** Lots at the top level of the answer (the page). */
  pageLots: number;
  /** Lot objects in the answer, at any depth (objects with lotId and status; LotRefs not counted). */
  lotIds: number;
  /** Distinct lot ids among them. */
  distinctLots: number;
  registryRequests: number;
  /** Delta of `gateway.router.stats.requests`. */
  firmRequests: number;
  subgraphRequests: number;
  /** Fetches of the query plan to firm-served subgraphs, each with its distinct owners. */
  fetches: { subgraph: string; owners: string[]; representations: number }[];
  /** 1 (registry) + Σ distinct owners per fetch. */
  expectedRequests: number;
  requestsMatchOwners: boolean;
  /** Requests per firm (delta of `router.stats.byOwner`). */
  byOwner: Record<string, number>;
  sqlStatements: number;
  /** Errors in the answer by code (FORBIDDEN: fields the owners' policies do not grant skyframe). */
  errors: Record<string, number>;
  /** Median wall time of 7 runs, ms. */
  p50Ms: number;
}

/** Lot objects (with lotId and status) in an answer, and how many distinct lot ids they carry. */
function lotsIn(data: unknown): { objects: number; distinct: number } {
  const ids = new Set<string>();
  let objects = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      if ('lotId' in v && 'status' in v && typeof v.lotId === 'string') {
        objects += 1;
        ids.add(v.lotId);
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(data);
  return { objects, distinct: ids.size };
}
const genealogyPage = (data: unknown): number => (at(data, 'firm.lots') as unknown[] | null | undefined)?.length ?? 0;
const allLotsPage = (data: unknown): number =>
  ((at(data, 'firms') as { lots: unknown[] | null }[] | undefined) ?? []).reduce((n, f) => n + (f.lots?.length ?? 0), 0);

async function measure(
  cluster: RunningCluster,
  takeFetches: () => TracedFetch[],
  name: string,
  query: string,
  first: number,
  pageOf: (data: unknown) => number,
): Promise<BudgetRow> {
  const token = cluster.token('skyframe');
  const variables = { first };
  const run = () => postGraphQL(cluster.gatewayUrl, query, { token, variables });
  await run(); // warm: query plan cache, loaders' prepared statements
  takeFetches();

  const { router } = cluster.gateway;
  const requestsBefore = router.stats.requests;
  const byOwnerBefore = new Map(router.stats.byOwner);
  const sqlBefore = await sqlStatementsTotal(cluster);
  let result: Awaited<ReturnType<typeof run>> | undefined;
  const recorded = await recordRequests(subgraphPrefixes(cluster), async () => {
    result = await run();
  });
  const sqlStatements = (await sqlStatementsTotal(cluster)) - sqlBefore;
  const firmRequests = router.stats.requests - requestsBefore;
  const fetches = takeFetches();
  if (!result || result.status !== 200) throw new Error(`${name} first=${first}: HTTP ${result?.status}`);

  const byOwner: Record<string, number> = {};
  for (const [owner, n] of router.stats.byOwner) {
    const delta = n - (byOwnerBefore.get(owner) ?? 0);
    if (delta > 0) byOwner[owner] = delta;
  }
  const registryRequests = recorded.filter((r) => serviceOf(cluster, r.url) === 'registry').length;
  const expectedRequests = 1 + fetches.reduce((n, f) => n + f.owners.length, 0);
  const errors: Record<string, number> = {};
  for (const e of result.errors ?? []) {
    const code = String(e.extensions?.code ?? e.message);
    errors[code] = (errors[code] ?? 0) + 1;
  }
  const lots = lotsIn(result.data);
  const times = summarize(await timeSequential(7, async () => void (await run())));
  return {
    query: name,
    first,
    pageLots: pageOf(result.data),
    lotIds: lots.objects,
    distinctLots: lots.distinct,
    registryRequests,
    firmRequests,
    subgraphRequests: registryRequests + firmRequests,
    fetches: fetches.map((f) => ({ subgraph: f.subgraph, owners: f.owners, representations: f.representations })),
    expectedRequests,
    requestsMatchOwners: registryRequests === 1 && registryRequests + firmRequests === expectedRequests && recorded.length === registryRequests + firmRequests,
    byOwner,
    sqlStatements,
    errors,
    p50Ms: round(times.p50),
  };
}

export async function requestBudget(lotsPerFirm = 500): Promise<{ lotsPerFirm: number; rows: BudgetRow[]; checks: Record<string, boolean> }> {
  const started = performance.now();
  installFetchHook();
  console.log(`requestBudget: demo topology, in-memory PGlite, lotsPerFirm=${lotsPerFirm}; starting cluster...`);
  const cluster = await startCluster({ ...demoClusterOptions(), dataDir: undefined, port: 0, seed: { seed: 42, lotsPerFirm }, limits: BENCH_LIMITS });
  console.log(`cluster up in ${round((performance.now() - started) / 1000, 1)} s`);
  const takeFetches = traceRouter(cluster.gateway.router);
  const rows: BudgetRow[] = [];
  try {
    for (const first of [2, 20, 200]) rows.push(await measure(cluster, takeFetches, 'genealogy', GENEALOGY_QUERY, first, genealogyPage));
    for (const first of [5, 50, 500]) rows.push(await measure(cluster, takeFetches, 'allLots', ALL_LOTS_QUERY, first, allLotsPage));
  } finally {
    await cluster.stop();
  }

  printTable(
    ['query', 'first', 'page lots', 'lot rows', 'distinct', 'registry req', 'firm req', 'total req', '1+Σowners', 'match', 'SQL stmts', 'p50 ms', 'errors'],
    rows.map((r) => [r.query, r.first, r.pageLots, r.lotIds, r.distinctLots, r.registryRequests, r.firmRequests, r.subgraphRequests, r.expectedRequests, r.requestsMatchOwners, r.sqlStatements, r.p50Ms, Object.entries(r.errors).map(([k, v]) => `${v} ${k}`).join(',') || '-']),
    `Requests and SQL statements per query (skyframe planner, lotsPerFirm=${lotsPerFirm})`,
  );
  for (const name of ['genealogy', 'allLots']) {
    const r = rows.find((x) => x.query === name && x.first === (name === 'genealogy' ? 200 : 500));
    if (!r) continue;
    console.log(`\n${name} plan (first=${r.first}): registry → ${r.fetches.map((f) => `${f.subgraph}[${f.owners.join(',')}]`).join(' → ')}`);
    console.log(`  requests per firm: ${Object.entries(r.byOwner).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }

  const of = (q: string, first: number): BudgetRow | undefined => rows.find((r) => r.query === q && r.first === first);
  const same = (q: string, a: number, b: number, key: 'subgraphRequests' | 'sqlStatements'): boolean => of(q, a)?.[key] === of(q, b)?.[key];
  const growth = (q: string, a: number, b: number): number => (of(q, b)?.lotIds ?? 0) / Math.max(1, of(q, a)?.lotIds ?? 0);
  const checks = {
    genealogyRowsGrow10x: growth('genealogy', 20, 200) >= 8,
    allLotsRowsGrow10x: growth('allLots', 50, 500) >= 8,
    genealogyRequestsConstant: same('genealogy', 2, 20, 'subgraphRequests') && same('genealogy', 20, 200, 'subgraphRequests'),
    genealogySqlConstant: same('genealogy', 2, 20, 'sqlStatements') && same('genealogy', 20, 200, 'sqlStatements'),
    allLotsRequestsConstant: same('allLots', 5, 50, 'subgraphRequests') && same('allLots', 50, 500, 'subgraphRequests'),
    allLotsSqlConstant: same('allLots', 5, 50, 'sqlStatements') && same('allLots', 50, 500, 'sqlStatements'),
    requestsEqualOnePlusOwnersPerStep: rows.every((r) => r.requestsMatchOwners),
  };
  console.log(`\nrow growth: genealogy first 20→200 ×${round(growth('genealogy', 20, 200), 1)} lot rows; allLots first 50→500 ×${round(growth('allLots', 50, 500), 1)} lot rows`);
  printTable(['check', 'ok'], Object.entries(checks), 'Checks');
  writeResult('requestBudget', started, { lotsPerFirm, rows, checks });
  return { lotsPerFirm, rows, checks };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = process.argv[2];
  const { checks } = await requestBudget(arg ? Number(arg) : undefined);
  process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
}
