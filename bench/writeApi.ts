/**
 * The write API's latency per mutation (issue 9): an integration user of skyframe writes
 * through the gateway of the demo cluster (7 firms, in-memory PGlite, or PostgreSQL with
 * DATABASE_URL: a database per firm, created and dropped), one mutation after the other:
 *
 * - `writeRows` of 1 lot, of 100 lots and of 1000 lots (the limit a call), each run changing
 *   every row it sends (so that every row is rewritten, checked and counted);
 * - `recordReceipt` of 1 component, verified through the gateway against structura's
 *   shipment (the receipt's own check is a second request through the gateway, to structura).
 *
 * Each: p50 / p95 / mean in ms and SQL statements per mutation at skyframe (the rows are
 * written in batched statements: the count does not grow with the rows). Results in
 * bench/results/writeApi.json (not committed).
 *
 *   node bin/run.mjs bench/writeApi.ts [iterations]     (default 50)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { startCluster, type RunningCluster } from '../local/startCluster.js';
import { demoClusterOptions } from '../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../demo/topology.js';
import { createTestDatabases } from '../test/harness/databases.js';
import { postGraphQL } from '../test/harness/graphqlClient.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';
import { writeResult } from './lib/results.js';
import { round, roundSummary, summarize, timeSequential, type Summary } from './lib/stats.js';
import { printTable } from './lib/table.js';

const iterations = Number(process.argv[2] ?? 50);
const started = performance.now();

const WRITE = `mutation Write($firmId: ID!, $upsert: RowsInput) { writeRows(firmId: $firmId, upsert: $upsert) { seq changes { table upserted } } }`;
const RECEIPT = `mutation Receipt($firmId: ID!, $input: ReceiptInput!) { recordReceipt(firmId: $firmId, input: $input) { seq status } }`;

/** One measured mutation. */
export interface WriteCase {
  name: string;
  rows: number;
  latency: Summary;
  /** SQL statements per mutation at skyframe (the writing firm). */
  statements: number;
}

const lot = (i: number, quantity: number) => ({
  lotId: `skyframe-LB${String(i).padStart(4, '0')}`,
  partId: `skyframe-P0${(i % 4) + 1}`,
  quantity,
  uom: 'pcs',
  producedAt: '2026-11-20T06:00:00Z',
  status: 'RELEASED',
});

async function measure(cluster: RunningCluster, name: string, rows: number, send: (i: number) => Promise<void>): Promise<WriteCase> {
  const skyframe = cluster.firms.get('skyframe');
  if (!skyframe) throw new Error('no skyframe');
  for (let i = 0; i < 5; i += 1) await send(-1 - i);
  const before = skyframe.database.statements();
  let i = 0;
  const samples = await timeSequential(iterations, () => send((i += 1)));
  return { name, rows, latency: roundSummary(summarize(samples)), statements: round((skyframe.database.statements() - before) / iterations, 1) };
}

const databases = await createTestDatabases(DEMO_TOPOLOGY.members.map((m) => m.id));
const cluster = await startCluster(
  demoClusterOptions({ dataDir: undefined, port: 0, seed: { seed: 42, lotsPerFirm: 12 }, limits: BENCH_LIMITS, demoKeys: false, ...(databases.urlFor ? { databaseUrlFor: databases.urlFor } : {}) }),
);
try {
  const token = cluster.token('skyframe', { roles: ['integration'], subject: 'erp@skyframe' });
  const post = async (query: string, variables: Record<string, unknown>): Promise<void> => {
    const r = await postGraphQL(cluster.gatewayUrl, query, { token, variables });
    if (r.status !== 200 || r.errors) throw new Error(`HTTP ${r.status}: ${JSON.stringify(r.errors)}`);
  };
  const writeLots = (count: number) => (i: number) => post(WRITE, { firmId: 'skyframe', upsert: { lots: Array.from({ length: count }, (_, k) => lot(k, 1000 + i)) } });
  const cases: WriteCase[] = [];
  cases.push(await measure(cluster, 'writeRows, 1 lot', 1, writeLots(1)));
  cases.push(await measure(cluster, 'writeRows, 100 lots', 100, writeLots(100)));
  cases.push(await measure(cluster, 'writeRows, 1000 lots', 1000, writeLots(1000)));
  cases.push(
    await measure(cluster, 'recordReceipt, 1 component (verified through the gateway)', 1, (i) =>
      post(RECEIPT, {
        firmId: 'skyframe',
        input: { supplierId: 'structura', shipmentId: 'structura-SH0002', components: [{ lotId: 'skyframe-LB0000', lineNo: 1, componentLotId: 'structura-L0002', quantityUsed: 1 + (i % 7) }] },
      }),
    ),
  );
  const driver = databases.urlFor ? 'PostgreSQL' : 'PGlite';
  printTable(
    ['mutation', 'rows', 'p50 ms', 'p95 ms', 'mean ms', 'SQL statements'],
    cases.map((c) => [c.name, c.rows, c.latency.p50, c.latency.p95, c.latency.mean, c.statements]),
  );
  console.log(`(${driver}, ${iterations} runs each, through the gateway)`);
  writeResult(driver === 'PostgreSQL' ? 'writeApiPostgres' : 'writeApi', started, { driver, iterations, cases });
} finally {
  await cluster.stop();
  await databases.drop();
}
