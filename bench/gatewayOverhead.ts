/**
 * Gateway overhead: a query through the gateway vs the same subgraph calls made directly.
 * Records the exact requests the gateway sends for one query (URL, headers with the user
 * token and the gateway credential, body), then replays them straight to the subgraphs
 * with Node's fetch in the same parallel/sequential shape. Gateway and direct runs
 * alternate, one at a time, so both see the same machine state.
 *
 *   node bin/run.mjs bench/gatewayOverhead.ts [iterations]     (default 200; ~30 s on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { pathToFileURL } from 'node:url';
import { startCluster, type RunningCluster } from '../local/startCluster.js';
import { demoClusterOptions } from '../demo/demoCluster.js';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { serviceOf, subgraphPrefixes } from './lib/clusterMetrics.js';
import { installFetchHook, recordRequests, replay, stepsOf, type RecordedRequest } from './lib/fetchRecorder.js';
import { writeResult } from './lib/results.js';
import { round, roundSummary, summarize, timeSequential, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';

export interface OverheadCase {
  name: string;
  /** Subgraph requests per query, and the steps they form (requests in flight together). */
  requests: number;
  steps: number;
  shape: string;
  gateway: Summary;
  direct: Summary;
  /** gateway p50 / direct p50, and mean / mean. */
  ratioP50: number;
  ratioMean: number;
  /** gateway − direct, ms (means), per query, per subgraph request and per step. */
  overheadMs: number;
  overheadPerRequestMs: number;
  overheadPerStepMs: number;
}

/** POSTs a query to the gateway and reads the whole body, as a minimal client would. */
async function gatewayCall(cluster: RunningCluster, query: string, token: string, variables: Record<string, unknown>): Promise<void> {
  const res = await fetch(cluster.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"data"')) throw new Error(`gateway answered ${res.status}: ${text.slice(0, 200)}`);
}

function shapeOf(cluster: RunningCluster, requests: readonly RecordedRequest[]): string {
  return stepsOf(requests)
    .map((step) => step.map((i) => serviceOf(cluster, requests[i]?.url ?? '')).join('+'))
    .join(' → ');
}

async function compare(cluster: RunningCluster, name: string, query: string, variables: Record<string, unknown>, iterations: number): Promise<OverheadCase> {
  const token = cluster.token('skyframe');
  const viaGateway = () => gatewayCall(cluster, query, token, variables);
  for (let i = 0; i < 30; i++) await viaGateway();

  const routerBefore = cluster.gateway.router.stats.requests;
  const recorded = await recordRequests(subgraphPrefixes(cluster), viaGateway);
  const routerSent = cluster.gateway.router.stats.requests - routerBefore;
  const registrySent = recorded.filter((r) => serviceOf(cluster, r.url) === 'registry').length;
  if (routerSent + registrySent !== recorded.length) {
    throw new Error(`${name}: recorded ${recorded.length} requests, the gateway sent ${routerSent} to firms and ${registrySent} to the registry`);
  }
  // A gateway credential is single-use and bound to its firm and body: each replay carries
  // fresh ones, signed before the clock starts (the gateway's signing stays on its side).
  const resigned = (): RecordedRequest[] =>
    recorded.map((r) => {
      const service = serviceOf(cluster, r.url);
      const destination = service === 'registry' ? ({ kind: 'registry' } as const) : ({ kind: 'firm', firmId: service.split('/')[0] ?? '' } as const);
      return { ...r, headers: { ...r.headers, 'x-dataspace-gateway': cluster.gatewayCredential(token, destination, r.body) } };
    });
  await replay(resigned(), true); // the direct calls get exactly the answers the gateway got
  const direct = (): (() => Promise<void>) => {
    const fresh = resigned();
    return () => replay(fresh);
  };
  for (let i = 0; i < 30; i++) await direct()();

  // Alternate so that drift (GC, JIT) hits both sides alike.
  const gatewayMs: number[] = [];
  const directMs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const pair: [() => () => Promise<void>, number[]][] = [
      [() => viaGateway, gatewayMs],
      [direct, directMs],
    ];
    if (i % 2 === 1) pair.reverse();
    for (const [prepare, into] of pair) {
      const fn = prepare();
      const t0 = performance.now();
      await fn();
      into.push(performance.now() - t0);
    }
  }
  const g = summarize(gatewayMs);
  const d = summarize(directMs);
  const steps = stepsOf(recorded).length;
  const overhead = g.mean - d.mean;
  return {
    name,
    requests: recorded.length,
    steps,
    shape: shapeOf(cluster, recorded),
    gateway: roundSummary(g),
    direct: roundSummary(d),
    ratioP50: round(g.p50 / d.p50),
    ratioMean: round(g.mean / d.mean),
    overheadMs: round(overhead),
    overheadPerRequestMs: round(overhead / recorded.length),
    overheadPerStepMs: round(overhead / steps),
  };
}

/** The floor of any extra HTTP hop: `GET /health` on the gateway (no GraphQL, no token), read fully. */
async function httpHop(cluster: RunningCluster, iterations: number): Promise<Summary> {
  const url = new URL('/health', cluster.gatewayUrl).href;
  const once = async (): Promise<void> => void (await (await fetch(url)).text());
  for (let i = 0; i < 30; i++) await once();
  return roundSummary(summarize(await timeSequential(iterations, once)));
}

export async function gatewayOverhead(iterations = 200): Promise<{ iterations: number; cases: OverheadCase[]; httpHop: Summary }> {
  const started = performance.now();
  installFetchHook();
  console.log(`gatewayOverhead: demo topology (lotsPerFirm=40), in-memory PGlite, ${iterations} alternating iterations per side; starting cluster...`);
  const cluster = await startCluster({ ...demoClusterOptions(), dataDir: undefined, port: 0, limits: BENCH_LIMITS });
  const cases: OverheadCase[] = [];
  let hop: Summary | undefined;
  try {
    hop = await httpHop(cluster, iterations);
    cases.push(await compare(cluster, 'trivial { firms { id } }', '{ firms { id } }', {}, iterations));
    cases.push(await compare(cluster, 'genealogy first=5', GENEALOGY_QUERY, { first: 5 }, iterations));
  } finally {
    await cluster.stop();
  }

  printTable(
    ['query', 'req', 'steps', 'gw p50', 'gw p95', 'gw mean', 'direct p50', 'direct p95', 'direct mean', 'ratio p50', 'ratio mean', '+ms', '+ms/req', '+ms/step'],
    cases.map((c) => [
      c.name, c.requests, c.steps, c.gateway.p50, c.gateway.p95, c.gateway.mean, c.direct.p50, c.direct.p95, c.direct.mean,
      c.ratioP50, c.ratioMean, c.overheadMs, c.overheadPerRequestMs, c.overheadPerStepMs,
    ]),
    'Gateway vs the same subgraph calls made directly (ms)',
  );
  for (const c of cases) console.log(`  ${c.name}: ${c.shape}`);
  if (!hop) throw new Error('no HTTP hop measurement');
  const trivial = cases[0];
  console.log(`\nHTTP hop floor (GET /health on the gateway): p50 ${hop.p50} ms, mean ${hop.mean} ms`);
  if (trivial) console.log(`trivial query: gateway work beyond that hop ≈ ${round(trivial.overheadMs - hop.mean)} ms (token check, Apollo pipeline, plan, credential, forwarding)`);
  writeResult('gatewayOverhead', started, { iterations, httpHop: hop, cases });
  return { iterations, cases, httpHop: hop };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = process.argv[2];
  await gatewayOverhead(arg ? Number(arg) : undefined);
}
