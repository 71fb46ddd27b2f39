/**
 * The price of sovereignty: the same query on the same rows, held centrally (a plain data
 * lake: one database with every firm's rows, one plain subgraph, no policies, a plain
 * @apollo/gateway with Apollo's default data source) against the project's owner-routed,
 * policy-enforcing cluster as shipped (demo topology, demo policies and terms, access log).
 *
 * Five systems, queried in turn (the order rotates every iteration), one query at a time.
 * Two ways to run them:
 *   - in one process (default): every server of every system shares this event loop, so
 *     the firms a plan step asks in parallel really work one after the other: a system's
 *     time is close to the sum of all its servers' work;
 *   - `--processes`, as deployed: each firm subgraph (A, B, C), each per-firm plain subgraph
 *     (O) and the lake's subgraph (L) in its own process with its own database; gateways,
 *     registries and this client here. The firms asked in one plan step work in parallel
 *     (2 of them at a time on a 2-core machine), as on separate machines;
 *   - with DATABASE_URL (one process), every firm on its own PostgreSQL database, the lake on
 *     one (29 databases, created and dropped): the database work runs in PostgreSQL's
 *     processes, so the owners of a plan step are read in parallel, as in production.
 * The systems:
 *   A. the cluster as shipped: demo policies + cluster terms, access log on;
 *   B. the cluster with one allow-all rule per firm, no terms, access log on;
 *   C. the cluster with one allow-all rule per firm, no terms, access log off;
 *   O. the lake's plain subgraph run once per firm on the firm's own database, routed by
 *      owner (the project's OwnerRoutedDataSource), no tokens, no policies, no log;
 *   L. the central lake.
 * Price of sovereignty = A / L (goal < 1.15). Where it goes: A / B = policies, B / C = the
 * access log, C / O = zero trust and the per-request governance machinery of a firm
 * subgraph (two token verifications, the caller's agreements read, the effective policy,
 * field enforcement, even with one allow-all rule), O / L = federation by owner itself
 * (one request per owner and step instead of one per step, seven databases instead of one).
 *
 *   node bin/run.mjs bench/centralLake.ts [iterations] [--processes]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bin/run.mjs bench/centralLake.ts [iterations]
 *     (default 100 per system and query; ~90 s on 2 cores; --processes ~2 min, 29 processes)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCluster, type ClusterOptions } from '../local/startCluster.js';
import { demoClusterOptions } from '../demo/demoCluster.js';
import { postGraphQL } from '../test/harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { serviceOf, sqlStatementsTotal, subgraphPrefixes } from './lib/clusterMetrics.js';
import { installFetchHook, recordRequests, stepsOf } from './lib/fetchRecorder.js';
import { errorCodes, lotIdsIn } from './lib/lotIds.js';
import { writeResult } from './lib/results.js';
import { traceRouter, type TracedFetch } from './lib/routerTrace.js';
import { round, roundSummary, summarize, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { startLake, type RunningLake } from './lake/startLake.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';
import type { ClusterView } from './lib/clusterMetrics.js';
import { startProcessCluster } from './lib/processCluster.js';
import { createTestDatabases, type TestDatabases } from '../test/harness/databases.js';
import type { RunningGateway } from '../gateway/startGateway.js';

const SYSTEMS = ['A', 'B', 'C', 'O', 'L'] as const;
type SystemName = (typeof SYSTEMS)[number];

export const SYSTEM_LABELS: Record<SystemName, string> = {
  A: 'cluster as shipped (demo policies + terms, access log)',
  B: 'cluster, one allow-all rule, no terms, access log',
  C: 'cluster, one allow-all rule, no terms, no access log',
  O: 'plain per-firm subgraphs + DBs, routed by owner, local links',
  L: 'central lake (one DB, plain subgraph, plain gateway)',
};

/** What one query did on one system (one counted run, outside the timing loop). */
export interface QueryShape {
  /** Subgraph requests: registry + firm-served. */
  requests: number;
  registryRequests: number;
  /** Sequential steps of the plan (for the cluster: groups of requests in flight together). */
  steps: number;
  /** The plan, as `subgraph[owners]` per step (cluster) or `subgraph` per request (lake). */
  plan: string;
  sqlStatements: number;
  lotIds: number;
  errors: Record<string, number>;
}

export interface LakeCase {
  first: number;
  latency: Record<SystemName, Summary>;
  shape: Record<SystemName, QueryShape>;
  /** The same lot ids, in the same order, on every system. */
  sameLotIds: boolean;
  /** A / L: the price of sovereignty (goal < 1.15). */
  sovereigntyRatio: { p50: number; mean: number };
  /** Where it goes: A / B policies, B / C access log, C / O zero trust + governance machinery, O / L federation by owner. */
  breakdown: Record<'policies' | 'accessLog' | 'zeroTrustAndGovernance' | 'federationByOwner', { p50: number; mean: number }>;
  goalMet: boolean;
}

export interface CentralLakeResult {
  /** `one-process`: every server on this event loop; `processes`: each firm and the lake's subgraph in its own process. */
  mode: Mode;
  iterations: number;
  lotsPerFirm: number;
  lakeRows: number;
  cases: LakeCase[];
}

function allowAllPolicies(): (firmId: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'lake-allow-all-'));
  return (firmId) => {
    const file = join(dir, `${firmId}.yaml`);
    writeFileSync(file, `version: 2\nfirm: ${firmId}\nrules:\n  - id: allow-all\n    who: { relationship: [self, member] }\n    types: "*"\n    fields: "*"\n`);
    return file;
  };
}

/** POSTs the genealogy query, reads the whole body, returns the wall time in ms. */
async function timedQuery(url: string, token: string | undefined, first: number): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: GENEALOGY_QUERY, variables: { first } }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200 || !text.includes('"lotId"')) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return ms;
}

/** How the systems run: see the header. */
type Mode = 'one-process' | 'processes' | 'postgres';

/** What the shape of a query needs of a cluster: in this process or in several. */
type MeasuredCluster = ClusterView & { gatewayUrl: string; gateway: RunningGateway; token(firmId: string): string; stop(): Promise<void> };

async function clusterShape(cluster: MeasuredCluster, takeFetches: () => TracedFetch[], token: string, first: number): Promise<{ shape: QueryShape; ids: string[] }> {
  takeFetches();
  const sqlBefore = await sqlStatementsTotal(cluster);
  const routerBefore = cluster.gateway.router.stats.requests;
  let result: Awaited<ReturnType<typeof postGraphQL>> | undefined;
  const recorded = await recordRequests(subgraphPrefixes(cluster), async () => {
    result = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token, variables: { first } });
  });
  const sqlStatements = (await sqlStatementsTotal(cluster)) - sqlBefore;
  const fetches = takeFetches();
  const registryRequests = recorded.filter((r) => serviceOf(cluster, r.url) === 'registry').length;
  const firmRequests = cluster.gateway.router.stats.requests - routerBefore;
  if (registryRequests + firmRequests !== recorded.length) throw new Error(`recorded ${recorded.length} requests, router counted ${firmRequests} + ${registryRequests} registry`);
  const ids = lotIdsIn(result?.data);
  return {
    ids,
    shape: {
      requests: recorded.length,
      registryRequests,
      steps: stepsOf(recorded).length,
      plan: ['registry', ...fetches.map((f) => `${f.subgraph}[${f.owners.join(',')}]`)].join(' → '),
      sqlStatements,
      lotIds: ids.length,
      errors: errorCodes(result?.errors),
    },
  };
}

async function lakeShape(lake: RunningLake, first: number, perFirm: boolean): Promise<{ shape: QueryShape; ids: string[] }> {
  const before = await lake.counts();
  const sqlBefore = await lake.statements();
  const result = await postGraphQL(lake.gatewayUrl, GENEALOGY_QUERY, { variables: { first } });
  const after = await lake.counts();
  const registry = after.registry - before.registry;
  const firm = after.firm - before.firm;
  const links = after.links - before.links;
  const ids = lotIdsIn(result.data);
  return {
    ids,
    shape: {
      requests: registry + firm + links,
      registryRequests: registry,
      steps: registry + firm + links,
      plan: perFirm
        ? `registry ×${registry}, firm ×${firm} (one request per owner and step; links answered by the gateway)`
        : `registry ×${registry}, firm ×${firm}, links ×${links} (one request per plan step)`,
      sqlStatements: (await lake.statements()) - sqlBefore,
      lotIds: ids.length,
      errors: errorCodes(result.errors),
    },
  };
}

const ratio = (x: Summary, y: Summary) => ({ p50: round(x.p50 / y.p50, 3), mean: round(x.mean / y.mean, 3) });

export async function centralLake(iterations = 100, lotsPerFirm = 40, processes = false): Promise<CentralLakeResult> {
  const started = performance.now();
  installFetchHook();
  const seed = { seed: 42, lotsPerFirm };
  const postgres = !processes && Boolean(process.env.DATABASE_URL);
  const mode: Mode = processes ? 'processes' : postgres ? 'postgres' : 'one-process';
  // Warm-up per system and query. With one process per firm, each firm process sees only
  // its own requests (one or two per query), so it needs more queries to be as warm (JIT) as
  // the lake's one process, which serves every request.
  const warmup = processes ? 300 : 30;
  console.log(`centralLake (${mode}): demo topology, ${postgres ? 'PostgreSQL, a database per firm and one for the lake' : 'in-memory PGlite'}, lotsPerFirm=${lotsPerFirm}, ${iterations} iterations per system and query; starting 3 clusters, the per-firm plain federation and the lake...`);
  const base: ClusterOptions = { ...demoClusterOptions(), dataDir: undefined, port: 0, seed, log: () => {}, limits: BENCH_LIMITS };
  const allowAll = allowAllPolicies();
  const firmIds = base.topology.members.map((m) => m.id);
  const databases: TestDatabases[] = [];
  const urlsFor = async (keys: readonly string[]): Promise<{ databaseUrlFor?: (key: string) => string }> => {
    if (!postgres) return {};
    const made = await createTestDatabases(keys);
    databases.push(made);
    return made.urlFor ? { databaseUrlFor: made.urlFor } : {};
  };
  const start = async (options: ClusterOptions): Promise<MeasuredCluster> => {
    if (processes) return startProcessCluster(options);
    const { databaseUrlFor } = await urlsFor(firmIds);
    return startCluster({ ...options, ...(databaseUrlFor ? { databaseUrlFor } : {}) });
  };
  const clusters: Record<'A' | 'B' | 'C', MeasuredCluster> = {
    A: await start(base),
    B: await start({ ...base, policyFileFor: allowAll, termsFile: undefined }),
    C: await start({ ...base, policyFileFor: allowAll, termsFile: undefined, accessLog: false }),
  };
  const perFirm = await startLake({ topology: base.topology, seed, perFirm: true, processes, ...(await urlsFor(firmIds)) });
  const lake = await startLake({ topology: base.topology, seed, processes, ...(await urlsFor(['lake'])) });
  console.log(`up in ${round((performance.now() - started) / 1000, 1)} s; lake holds ${lake.rows} rows of ${base.topology.members.length} firms in one database`);
  const traces = { A: traceRouter(clusters.A.gateway.router), B: traceRouter(clusters.B.gateway.router), C: traceRouter(clusters.C.gateway.router) };
  const tokens = { A: clusters.A.token('skyframe'), B: clusters.B.token('skyframe'), C: clusters.C.token('skyframe') };
  const urlOf = (s: SystemName): string => (s === 'L' ? lake.gatewayUrl : s === 'O' ? perFirm.gatewayUrl : clusters[s].gatewayUrl);
  const tokenOf = (s: SystemName): string | undefined => (s === 'L' || s === 'O' ? undefined : tokens[s]);

  const cases: LakeCase[] = [];
  try {
    for (const first of [5, 20]) {
      for (let i = 0; i < warmup; i++) for (const s of SYSTEMS) await timedQuery(urlOf(s), tokenOf(s), first);
      const shapes = {} as Record<SystemName, QueryShape>;
      const ids = {} as Record<SystemName, string[]>;
      for (const s of SYSTEMS) {
        const r = s === 'L' || s === 'O' ? await lakeShape(s === 'L' ? lake : perFirm, first, s === 'O') : await clusterShape(clusters[s], traces[s], tokens[s], first);
        shapes[s] = r.shape;
        ids[s] = r.ids;
      }
      shapes.O.steps = shapes.A.steps; // the same query plan, routed by owner the same way
      const dropTraces = (): void => void Object.values(traces).forEach((take) => take());
      const samples: Record<SystemName, number[]> = { A: [], B: [], C: [], O: [], L: [] };
      for (let i = 0; i < iterations; i++) {
        // Rotate the order so that no system always runs right after another one.
        for (let k = 0; k < SYSTEMS.length; k++) {
          const s = SYSTEMS[(i + k) % SYSTEMS.length] as SystemName;
          samples[s].push(await timedQuery(urlOf(s), tokenOf(s), first));
        }
        if (i % 8 === 0) dropTraces(); // the traced fetches are not needed here
      }
      const latency = Object.fromEntries(SYSTEMS.map((s) => [s, summarize(samples[s])])) as Record<SystemName, Summary>;
      const sovereigntyRatio = ratio(latency.A, latency.L);
      const reference = JSON.stringify(ids.L);
      cases.push({
        first,
        latency: Object.fromEntries(SYSTEMS.map((s) => [s, roundSummary(latency[s])])) as Record<SystemName, Summary>,
        shape: shapes,
        sameLotIds: SYSTEMS.every((s) => JSON.stringify(ids[s]) === reference) && ids.L.length > 0,
        sovereigntyRatio,
        breakdown: {
          policies: ratio(latency.A, latency.B),
          accessLog: ratio(latency.B, latency.C),
          zeroTrustAndGovernance: ratio(latency.C, latency.O),
          federationByOwner: ratio(latency.O, latency.L),
        },
        goalMet: sovereigntyRatio.p50 < 1.15,
      });
    }
  } finally {
    for (const c of Object.values(clusters)) await c.stop();
    await perFirm.stop();
    await lake.stop();
    for (const d of databases) await d.drop();
  }

  for (const c of cases) {
    printTable(
      ['system', 'requests', 'steps', 'SQL stmts', 'lot ids', 'errors', 'p50 ms', 'p95 ms', 'mean ms'],
      SYSTEMS.map((s) => [
        `${s} ${SYSTEM_LABELS[s]}`, c.shape[s].requests, c.shape[s].steps, c.shape[s].sqlStatements, c.shape[s].lotIds,
        Object.entries(c.shape[s].errors).map(([k, v]) => `${v} ${k}`).join(',') || '-', c.latency[s].p50, c.latency[s].p95, c.latency[s].mean,
      ]),
      `Genealogy walk, first ${c.first} (skyframe planner; O and L have no caller): same lot ids on all five: ${c.sameLotIds}`,
    );
    printTable(
      ['ratio', 'p50', 'mean'],
      [
        ['price of sovereignty A / L (goal < 1.15)', c.sovereigntyRatio.p50, c.sovereigntyRatio.mean],
        ['  policies A / B', c.breakdown.policies.p50, c.breakdown.policies.mean],
        ['  access log B / C', c.breakdown.accessLog.p50, c.breakdown.accessLog.mean],
        ['  zero trust + governance machinery C / O', c.breakdown.zeroTrustAndGovernance.p50, c.breakdown.zeroTrustAndGovernance.mean],
        ['  federation by owner O / L', c.breakdown.federationByOwner.p50, c.breakdown.federationByOwner.mean],
      ],
    );
    console.log(`  cluster plan: ${c.shape.A.plan}`);
    console.log(`  per-firm plain plan: ${c.shape.O.plan}`);
    console.log(`  lake plan: ${c.shape.L.plan}`);
  }
  const result: CentralLakeResult = { mode, iterations, lotsPerFirm, lakeRows: lake.rows, cases };
  writeResult(processes ? 'centralLakeProcesses' : postgres ? 'centralLakePostgres' : 'centralLake', started, result);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const count = args.find((a) => /^\d+$/.test(a));
  const result = await centralLake(count ? Number(count) : undefined, undefined, args.includes('--processes'));
  // Exit 1 when the systems disagree on the data; a missed latency goal is a finding, not a failure.
  process.exitCode = result.cases.every((c) => c.sameLotIds) ? 0 : 1;
}
