/**
 * Runs the benchmarks one after the other, each in its own process (so that one
 * cluster's memory and JIT state do not skew the next), then prints a summary read from
 * their bench/results/*.json.
 *
 *   npm run bench      (= node bin/run.mjs bench/runAll.ts; ~15 min on 2 cores)
 *   DATABASE_URL=postgres://… npm run bench     (also the PostgreSQL runs: ~25 min)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { OverheadCase } from './gatewayOverhead.js';
import type { StartRun } from './demoStartup.js';
import type { BudgetRow } from './requestBudget.js';
import type { CentralLakeResult } from './centralLake.js';
import type { ScaleResult } from './scale.js';

interface Ratio {
  p50: number;
  mean: number;
}

interface PolicyCostResult {
  policyCost: Ratio;
  loggingCost: Ratio;
  policyAndLoggingCost: Ratio;
}
import { PROJECT_ROOT } from './lib/child.js';
import { RESULTS_DIR, machineInfo } from './lib/results.js';
import { round, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';

interface RequestBudgetResult {
  lotsPerFirm: number;
  rows: BudgetRow[];
  checks: Record<string, boolean>;
}
interface GatewayOverheadResult {
  iterations: number;
  httpHop: Summary;
  cases: OverheadCase[];
}
interface DemoStartupResult {
  runs: StartRun[];
  tokenSeconds: number;
  dataSurvived: boolean;
}

/** Each run: a label, the script, its arguments, and whether it needs DATABASE_URL (skipped without). */
const RUNS: { label: string; script: string; args: string[]; env?: Record<string, string | undefined>; postgres?: true }[] = [
  { label: 'requestBudget', script: 'requestBudget', args: [] },
  { label: 'gatewayOverhead', script: 'gatewayOverhead', args: [] },
  { label: 'demoStartup', script: 'demoStartup', args: [] },
  { label: 'policyCost', script: 'policyCost', args: [] },
  { label: 'centralLake', script: 'centralLake', args: [], env: { DATABASE_URL: undefined } },
  { label: 'centralLake --processes', script: 'centralLake', args: ['--processes'], env: { DATABASE_URL: undefined } },
  { label: 'centralLake (PostgreSQL)', script: 'centralLake', args: [], postgres: true },
  { label: 'scale', script: 'scale', args: [], env: { DATABASE_URL: undefined } },
  { label: 'postgresAtSize', script: 'postgresAtSize', args: [], postgres: true },
  { label: 'peerGateway', script: 'peerGateway', args: [], env: { DATABASE_URL: undefined } },
  // PostgreSQL when DATABASE_URL is set, and always the embedded database.
  { label: 'importRate', script: 'importRate', args: [] },
  { label: 'writeApi', script: 'writeApi', args: [], env: { DATABASE_URL: undefined } },
  { label: 'writeApi (PostgreSQL)', script: 'writeApi', args: [], postgres: true },
];

function runScript(label: string, script: string, args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; seconds: number }> {
  const t0 = performance.now();
  console.log(`\n=== ${label} ===`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(process.execPath, ['bin/run.mjs', `bench/${script}.ts`, ...args], { cwd: PROJECT_ROOT, stdio: 'inherit', env: childEnv });
  return new Promise((resolve) =>
    child.once('close', (code) => resolve({ code, seconds: round((performance.now() - t0) / 1000, 1) })),
  );
}

function readResult<T>(name: string): T {
  return JSON.parse(readFileSync(`${RESULTS_DIR}${name}.json`, 'utf8')) as T;
}

const outcomes = new Map<string, { code: number | null; seconds: number }>();
for (const run of RUNS) {
  if (run.postgres && !process.env.DATABASE_URL) {
    console.log(`\n=== ${run.label}: skipped (set DATABASE_URL to run it) ===`);
    continue;
  }
  outcomes.set(run.label, await runScript(run.label, run.script, run.args, run.env));
}

const m = machineInfo();
console.log(`\n=== Summary (${m.date.slice(0, 10)}, ${m.cpus} cores ${m.cpuModel}, Node ${m.node}, load ${m.loadAverage1m}) ===`);
printTable(
  ['benchmark', 'exit', 'seconds'],
  [...outcomes].map(([name, o]) => [name, String(o.code), o.seconds]),
);

const failed = [...outcomes.values()].some((o) => o.code !== 0);
try {
  const budget = readResult<RequestBudgetResult>('requestBudget');
  printTable(
    ['query', 'first', 'lot rows', 'subgraph requests', 'SQL statements'],
    budget.rows.map((r) => [r.query, r.first, r.lotIds, r.subgraphRequests, r.sqlStatements]),
    `Request budget (lotsPerFirm=${budget.lotsPerFirm}): checks ${Object.values(budget.checks).every(Boolean) ? 'all pass' : 'FAIL'}`,
  );
  const overhead = readResult<GatewayOverheadResult>('gatewayOverhead');
  printTable(
    ['query', 'requests', 'gateway p50', 'direct p50', 'ratio p50', '+ms mean', '+ms/request'],
    overhead.cases.map((c) => [c.name, c.requests, c.gateway.p50, c.direct.p50, c.ratioP50, c.overheadMs, c.overheadPerRequestMs]),
    `Gateway overhead (${overhead.iterations} iterations; HTTP hop floor p50 ${overhead.httpHop.p50} ms)`,
  );
  const startup = readResult<DemoStartupResult>('demoStartup');
  printTable(
    ['start', 'seconds', 'RSS MB', 'first query ms'],
    startup.runs.map((r) => [r.kind, r.startSeconds, r.rssMB, r.firstQueryMs]),
    `Demo startup (data survived restart: ${startup.dataSurvived})`,
  );
  const cost = readResult<PolicyCostResult>('policyCost');
  printTable(
    ['ratio', 'p50', 'mean'],
    [
      ['policy evaluation (demo policies / allow-all)', cost.policyCost.p50, cost.policyCost.mean],
      ['access log (on / off)', cost.loggingCost.p50, cost.loggingCost.mean],
      ['both', cost.policyAndLoggingCost.p50, cost.policyAndLoggingCost.mean],
    ],
    'Cost of sovereignty (genealogy walk, first 5)',
  );
  for (const name of ['centralLake', 'centralLakeProcesses', 'centralLakePostgres']) {
    if (name !== 'centralLake' && !outcomes.has(name === 'centralLakeProcesses' ? 'centralLake --processes' : 'centralLake (PostgreSQL)')) continue;
    const lake = readResult<CentralLakeResult>(name);
    printTable(
    ['first', 'cluster A p50', 'lake L p50', 'A / L p50 (goal < 1.15)', 'A / L mean', 'policies A/B', 'log B/C', 'zero trust C/O', 'owner fed. O/L', 'requests A / L', 'same lot ids'],
    lake.cases.map((c) => [
      c.first, c.latency.A.p50, c.latency.L.p50, c.sovereigntyRatio.p50, c.sovereigntyRatio.mean, c.breakdown.policies.p50, c.breakdown.accessLog.p50,
      c.breakdown.zeroTrustAndGovernance.p50, c.breakdown.federationByOwner.p50, `${c.shape.A.requests} / ${c.shape.L.requests}`, c.sameLotIds,
    ]),
    `Price of sovereignty (${lake.mode}): the demo cluster as shipped (A) vs a central lake (L), genealogy walk (${lake.iterations} iterations)`,
    );
  }
  const scale = readResult<ScaleResult>('scale');
  printTable(
    ['first', 'lots', 'requests', '1 + Σ owners/step', 'SQL statements', 'p50 ms', 'p95 ms'],
    scale.rows.map((r) => [r.first, r.lots, r.subgraphRequests, r.budget, r.sqlStatements, r.latency.p50, r.latency.p95]),
    `Scale: ${scale.firms} firms, ${scale.tiers} tiers, ${scale.totalLots} lots (${scale.database}); start ${scale.startupSeconds} s, RSS ${scale.memoryMB.afterStart} MB after start, ${scale.memoryMB.afterRuns} MB after runs; checks ${Object.values(scale.checks).every(Boolean) ? 'all pass' : 'FAIL'}`,
  );
  const peer = readResult<{ runs: { query: string; gateway: string; requestsPerSecond: number }[] }>('peerGateway');
  const rps = (query: string, gateway: string): number => {
    const r = peer.runs.filter((x) => x.query === query && x.gateway === gateway);
    return r.reduce((n, x) => n + x.requestsPerSecond, 0) / Math.max(1, r.length);
  };
  printTable(
    ['query', 'ours req/s', 'peer req/s', 'ours / peer'],
    [...new Set(peer.runs.map((r) => r.query))].map((q) => [q, round(rps(q, 'ours'), 1), round(rps(q, 'peer'), 1), round(rps(q, 'ours') / rps(q, 'peer'), 2)]),
    'Peer gateway: ours vs Hive Gateway + the stand-alone owner router, same firms',
  );
  const imports = readResult<{ rows: number; results: { label: string; first: { rowsPerSecond: number; seconds: number }; again: { rowsPerSecond: number }; peakRssMB: number }[] }>('importRate');
  printTable(
    ['database', 'rows/s', 'seconds', 'again rows/s (no change)', 'peak RSS MB'],
    imports.results.map((r) => [r.label, Math.round(r.first.rowsPerSecond), round(r.first.seconds, 1), Math.round(r.again.rowsPerSecond), Math.round(r.peakRssMB)]),
    `Import rate: dataspace import of ${imports.rows} rows of CSV (13 tables) into a fresh database`,
  );
  if (outcomes.has('postgresAtSize')) {
    const big = readResult<{ checks: Record<string, boolean>; bigTableRows?: number }>('postgresAtSize');
    console.log(`\nPostgreSQL at size: checks ${Object.entries(big.checks).map(([k, v]) => `${k} ${v ? 'ok' : 'FAIL'}`).join(', ')} (tables in bench/results/postgresAtSize.json)`);
  }
} catch (error) {
  console.error(`cannot read a result: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
if (failed) process.exitCode = 1;
