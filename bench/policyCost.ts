/**
 * The cost of sovereignty inside a firm: policy evaluation and the access log.
 * The same genealogy query (first 5) as a skyframe planner on three demo clusters, run in
 * turn, one query at a time:
 *   A. the demo policies and cluster terms, access log on (the product as shipped);
 *   B. a single allow-all rule per firm, no terms, access log on;
 *   C. a single allow-all rule per firm, no terms, access log off.
 * Policy cost = A / B; logging cost = B / C; both = A / C.
 *
 *   node bin/run.mjs bench/policyCost.ts [iterations]     (default 150; ~60 s on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type RunningCluster } from '../local/startCluster.js';
import { demoClusterOptions } from '../demo/demoCluster.js';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { writeResult } from './lib/results.js';
import { round, roundSummary, summarize, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';

const started = performance.now();
const iterations = Number(process.argv[2] ?? 150);

function allowAllPolicies(): (firmId: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'allow-all-'));
  return (firmId) => {
    const file = join(dir, `${firmId}.yaml`);
    writeFileSync(file, `version: 2\nfirm: ${firmId}\nrules:\n  - id: allow-all\n    who: { relationship: [self, member] }\n    types: "*"\n    fields: "*"\n`);
    return file;
  };
}

async function query(cluster: RunningCluster, token: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(cluster.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: GENEALOGY_QUERY, variables: { first: 5 } }),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"lotId"')) throw new Error(`answered ${res.status}: ${text.slice(0, 200)}`);
  return performance.now() - t;
}

const base = { ...demoClusterOptions(), dataDir: undefined, port: 0, seed: { seed: 42, lotsPerFirm: 40 }, log: () => {}, limits: BENCH_LIMITS };
const allowAll = allowAllPolicies();
const clusters = {
  A: await startCluster(base),
  B: await startCluster({ ...base, policyFileFor: allowAll, termsFile: undefined }),
  C: await startCluster({ ...base, policyFileFor: allowAll, termsFile: undefined, accessLog: false }),
};
const names = ['A', 'B', 'C'] as const;
const tokens = Object.fromEntries(names.map((n) => [n, clusters[n].token('skyframe')])) as Record<(typeof names)[number], string>;
const samples: Record<(typeof names)[number], number[]> = { A: [], B: [], C: [] };
for (let i = 0; i < 30; i++) for (const n of names) await query(clusters[n], tokens[n]);
for (let i = 0; i < iterations; i++) for (const n of names) samples[n].push(await query(clusters[n], tokens[n]));
for (const n of names) await clusters[n].stop();

const s = Object.fromEntries(names.map((n) => [n, roundSummary(summarize(samples[n]))])) as Record<(typeof names)[number], Summary>;
const ratio = (x: Summary, y: Summary) => ({ p50: round(x.p50 / y.p50, 3), mean: round(x.mean / y.mean, 3) });
const result = {
  iterations,
  query: 'GENEALOGY_QUERY, first 5, skyframe planner',
  latency: { demoPoliciesWithLog: s.A, allowAllWithLog: s.B, allowAllWithoutLog: s.C },
  policyCost: ratio(s.A, s.B),
  loggingCost: ratio(s.B, s.C),
  policyAndLoggingCost: ratio(s.A, s.C),
};
printTable(
  ['cluster', 'p50 ms', 'p95 ms', 'mean ms'],
  [
    ['A demo policies + terms, log on', s.A.p50, s.A.p95, s.A.mean],
    ['B one allow-all rule, log on', s.B.p50, s.B.p95, s.B.mean],
    ['C one allow-all rule, log off', s.C.p50, s.C.p95, s.C.mean],
  ],
  'Genealogy walk (first 5) through the gateway',
);
printTable(
  ['ratio', 'p50', 'mean'],
  [
    ['policy evaluation (A / B)', result.policyCost.p50, result.policyCost.mean],
    ['access log (B / C)', result.loggingCost.p50, result.loggingCost.mean],
    ['both (A / C)', result.policyAndLoggingCost.p50, result.policyAndLoggingCost.mean],
  ],
  'Cost of sovereignty (goal: policies under 1.15)',
);
writeResult('policyCost', started, result);
