/**
 * Recall impact at scale: the generated cluster of 30 firms in 5 tiers (as bench/scale.ts, in
 * this one process, PGlite or PostgreSQL with DATABASE_URL), generic policies. As a lead
 * quality engineer: `recallImpact` UPWARD from raw-material lots at tier 4 (to the lead's end
 * items) and DOWNWARD from a lead lot (to tier 4), beside the lead's downward genealogy walk
 * (bench/scale.ts's query, first = 2) in the same run. For each: lots in the answer, steps,
 * firm and registry requests against 1 + Σ owners per step, SQL statements, p50 / p95.
 *
 *   node bin/run.mjs bench/recall.ts [runs] [lotsPerFirm]     (default 20 runs, 100 lots per firm; ~2 min on 2 cores)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { pathToFileURL } from 'node:url';
import type { ClusterTopology } from '../cluster/directory.js';
import { demoTermsFile } from '../demo/demoCluster.js';
import { startCluster, type RunningCluster } from '../local/startCluster.js';
import { generateTopology } from '../seed/generateTopology.js';
import { tables } from '../subgraphs/firm/db/tables.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';
import { recallRequestBound, type RecallShape } from './lib/recallBound.js';
import { serviceOf, sqlStatementsTotal, subgraphPrefixes } from './lib/clusterMetrics.js';
import { installFetchHook, recordRequests } from './lib/fetchRecorder.js';
import { writeGenericPolicies } from './lib/genericPolicies.js';
import { writeResult } from './lib/results.js';
import { round, roundSummary, summarize, timeSequential, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { LEAD_GENEALOGY_QUERY } from './scale.js';

const RECALL_QUERY = /* GraphQL */ `
  query Recall($lot: LotRefInput!, $direction: TraversalDirection) {
    firm(id: "lead") {
      recallImpact(lot: $lot, direction: $direction) {
        complete steps
        lots { lot { firmId lotId } hops }
        endItems { firmId lotId }
        shipments { firmId shipmentId order { orderId } }
        tombstones { firmId reasonCode }
      }
    }
  }
`;

interface Row {
  case: string;
  lots: number;
  steps: number;
  complete: boolean;
  firmRequests: number;
  registryRequests: number;
  /** 1 + Σ over steps of the owners asked at that step (as the answer's hops tell). */
  bound: number;
  withinBound: boolean;
  sqlStatements: number;
  latency: Summary;
}

type Json = Record<string, unknown>;

async function post(url: string, token: string, query: string, variables: Json): Promise<Json> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as Json;
}

async function measure(cluster: RunningCluster, topology: ClusterTopology, token: string, label: string, query: string, variables: Json, runs: number, upward?: boolean): Promise<Row> {
  const run = () => post(cluster.gatewayUrl, token, query, variables);
  for (let i = 0; i < 3; i++) await run();
  const requestsBefore = cluster.gateway.router.stats.requests;
  const sqlBefore = await sqlStatementsTotal(cluster);
  let answer: Json = {};
  const recorded = await recordRequests(subgraphPrefixes(cluster), async () => {
    answer = await run();
  });
  const sqlStatements = (await sqlStatementsTotal(cluster)) - sqlBefore;
  const firmRequests = cluster.gateway.router.stats.requests - requestsBefore;
  const registryRequests = recorded.filter((r) => serviceOf(cluster, r.url) === 'registry').length;
  const impact = ((answer.data as Json | undefined)?.firm as Json | undefined)?.recallImpact as Json | undefined;
  const latency = roundSummary(summarize(await timeSequential(runs, async () => void (await run()))));
  if (!impact) {
    const lots = JSON.stringify(answer.data ?? {}).split('"lotId"').length - 1;
    return { case: label, lots, steps: 0, complete: !answer.errors, firmRequests, registryRequests, bound: 0, withinBound: true, sqlStatements, latency };
  }
  const bound = recallRequestBound(impact as unknown as RecallShape, topology, upward === true);
  return {
    case: label,
    lots: (impact.lots as unknown[]).length,
    steps: Number(impact.steps),
    complete: impact.complete === true,
    firmRequests,
    registryRequests,
    bound,
    withinBound: firmRequests <= bound,
    sqlStatements,
    latency,
  };
}

export async function recall(runs = 20, lotsPerFirm = 100, firms = 30, tiers = 5): Promise<{ rows: Row[]; checks: Record<string, boolean> }> {
  const started = performance.now();
  installFetchHook();
  const topology = generateTopology({ firms, tiers });
  const firmIds = topology.members.map((m) => m.id);
  if (process.env.DATABASE_URL) throw new Error('bench/recall.ts runs on PGlite (in memory); unset DATABASE_URL');
  console.log(`recall: ${firms} firms in ${tiers} tiers, lotsPerFirm=${lotsPerFirm}, pglite-memory; starting...`);
  const cluster = await startCluster({
    topology,
    policyFileFor: writeGenericPolicies(firmIds, 'lead'),
    termsFile: demoTermsFile(),
    seed: { seed: 42, lotsPerFirm },
    port: 0,
    log: () => {},
    limits: BENCH_LIMITS,
  });
  try {
    const token = cluster.token('lead', { roles: ['quality'] });
    const rows: Row[] = [];
    rows.push(await measure(cluster, topology, token, 'genealogy first=2 (4 tiers down)', LEAD_GENEALOGY_QUERY, { first: 2 }, runs));
    const tier4 = topology.members.filter((m) => m.tier === tiers - 1).map((m) => m.id);
    for (const firmId of tier4.slice(0, 2)) {
      const [lot] = await (cluster.firms.get(firmId)?.database.db.select({ lotId: tables.lots.lotId }).from(tables.lots).limit(1) ?? []);
      rows.push(await measure(cluster, topology, token, `recallImpact UPWARD from ${lot?.lotId}`, RECALL_QUERY, { lot: { firmId, lotId: lot?.lotId }, direction: 'UPWARD' }, runs, true));
    }
    rows.push(await measure(cluster, topology, token, 'recallImpact DOWNWARD from lead-L0001', RECALL_QUERY, { lot: { firmId: 'lead', lotId: 'lead-L0001' }, direction: 'DOWNWARD' }, runs, false));
    printTable(
      ['case', 'lots', 'steps', 'complete', 'firm req', 'registry req', '1+Σowners/step', 'within', 'SQL', 'p50 ms', 'p95 ms'],
      rows.map((r) => [r.case, r.lots, r.steps, r.complete, r.firmRequests, r.registryRequests, r.bound || '-', r.withinBound, r.sqlStatements, r.latency.p50, r.latency.p95]),
      `Recall impact beside the genealogy walk (${firms} firms, ${tiers} tiers, ${lotsPerFirm} lots per firm; ${runs} runs each)`,
    );
    const recalls = rows.filter((r) => r.case.startsWith('recallImpact'));
    const checks = {
      recallsComplete: recalls.every((r) => r.complete),
      requestsWithinOnePlusOwnersPerStep: recalls.every((r) => r.withinBound),
      upwardReachesTheLead: recalls.some((r) => r.case.includes('UPWARD') && r.steps >= tiers - 1),
    };
    printTable(['check', 'ok'], Object.entries(checks), 'Checks');
    const genealogy = rows[0];
    const ratio = genealogy ? recalls.map((r) => round(r.latency.p50 / genealogy.latency.p50, 2)) : [];
    console.log(`recall p50 / genealogy p50: ${ratio.join(', ')}`);
    const result = { firms, tiers, lotsPerFirm, rows, checks, recallOverGenealogyP50: ratio };
    writeResult('recall', started, result);
    return result;
  } finally {
    await cluster.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [runs, lots] = process.argv.slice(2);
  const result = await recall(runs ? Number(runs) : undefined, lots ? Number(lots) : undefined);
  process.exitCode = Object.values(result.checks).every(Boolean) ? 0 : 1;
}
