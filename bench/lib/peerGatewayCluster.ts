/**
 * Child process of `bench/peerGateway.ts`: the demo cluster in memory (PGlite, seed 42, 40
 * lots per firm, rate limits off), its gateway (ours), and a peer in front of the same firms:
 * Hive Gateway → the stand-alone owner router (gateway id `peer`, its own key). Prints one
 * JSON line `{ ours, peer, router, token }`, then answers each `counts` line on stdin with a
 * JSON line of the subgraph requests sent so far: to the registry, to the firms' `/firm` and
 * `/links`, and from the peer gateway to the router, per endpoint.
 *
 *   node bin/run.mjs bench/lib/peerGatewayCluster.ts
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { createInterface } from 'node:readline';
import { startCluster } from '../../local/startCluster.js';
import { demoClusterOptions } from '../../demo/demoCluster.js';
import { startPeerGateway } from '../../test/harness/startPeerGateway.js';
import { BENCH_LIMITS } from './benchLimits.js';
import { sqlStatementsTotal } from './clusterMetrics.js';

/** Subgraph requests counted at the sender. */
export interface SubgraphRequestCounts {
  registry: number;
  firm: number;
  links: number;
  /** Received by the owner router from the peer gateway, per endpoint. */
  router: { firm: number; links: number; registry: number };
  /** SQL statements run by all firms (their `dataspace_sql_statements_total`). */
  sql: number;
}

// Count every request Node's fetch sends, by origin and path: our gateway's data sources and
// the owner router use it (the router's OwnerRouter keeps the fetch it was built with, so
// the hook goes in before anything starts).
const sent = new Map<string, number>();
const nodeFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const key = `${url.origin}${url.pathname}`;
  sent.set(key, (sent.get(key) ?? 0) + 1);
  return nodeFetch(input, init);
};

const cluster = await startCluster(demoClusterOptions({ dataDir: undefined, port: 0, seed: { seed: 42, lotsPerFirm: 40 }, limits: BENCH_LIMITS, log: () => undefined }));
const peer = await startPeerGateway(cluster, 'peer', { log: () => undefined });
process.stdout.write(`${JSON.stringify({ ours: cluster.gatewayUrl, peer: peer.url, router: peer.router.url, token: cluster.token('skyframe', { ttlSeconds: 3600 }) })}\n`);

const registryOrigin = new URL(cluster.registryUrl).origin;
const routerOrigin = new URL(peer.router.url).origin;
async function counts(): Promise<SubgraphRequestCounts> {
  const sql = await sqlStatementsTotal(cluster);
  const out: SubgraphRequestCounts = { registry: 0, firm: 0, links: 0, router: { firm: 0, links: 0, registry: 0 }, sql };
  for (const [key, n] of sent) {
    const url = new URL(key);
    if (url.origin === registryOrigin) {
      if (url.pathname === '/graphql') out.registry += n;
    } else if (url.origin === routerOrigin) {
      // Only if the peer gateway's fetch is Node's; the router's own counters are read below either way.
    } else if (url.pathname === '/firm') out.firm += n;
    else if (url.pathname === '/links') out.links += n;
  }
  const m = peer.router.metrics;
  out.router = {
    firm: m.get('dataspace_router_firm_requests_total'),
    links: m.get('dataspace_router_links_requests_total'),
    registry: m.get('dataspace_router_registry_requests_total'),
  };
  return out;
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'counts') void counts().then((c) => process.stdout.write(`${JSON.stringify({ counts: c })}\n`));
});
const stop = async (): Promise<void> => {
  await peer.close();
  await cluster.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
