/**
 * Access log cost: what writing an entry before the data leaves costs.
 *
 * 1. Micro: sequential `appendEntry` on an in-memory PGlite (and on PostgreSQL when
 *    DATABASE_URL is set: a scratch database is created and dropped), per entry; then
 *    concurrent appends (64 in flight, as under load), in entries per second and SQL
 *    statements per entry (group commit: appends queued behind a write share one statement).
 * 2. End to end: the genealogy walk (skyframe planner, first 10) through the gateway of the
 *    demo topology on in-memory PGlite; every answering firm appends one entry per request.
 *    To compare with logging off, remove the plugin from startFirmSubgraph by hand and
 *    rerun: logging has no off switch by design.
 *
 *   node bin/run.mjs bench/accessLogCost.ts [iterations]     (default 30)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { startCluster } from '../local/startCluster.js';
import { demoClusterOptions } from '../demo/demoCluster.js';
import { appendEntry, type NewAccessLogEntry } from '../subgraphs/firm/accessLog/appendEntry.js';
import { sha256Hex } from '../subgraphs/firm/accessLog/hashEntry.js';
import { verifyStoredChain } from '../subgraphs/firm/accessLog/verifyStoredChain.js';
import { openFirmDatabase } from '../subgraphs/firm/db/openFirmDatabase.js';
import { createTestDatabase } from '../test/harness/createTestDatabase.js';
import { postGraphQL } from '../test/harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { readMetric } from '../test/harness/graphqlClient.js';
import { round, summarize, timeSequential } from './lib/stats.js';
import { BENCH_LIMITS } from './lib/benchLimits.js';

const iterations = Number(process.argv[2] ?? 30);

const entry = (i: number): NewAccessLogEntry => ({
  at: new Date(),
  callerFirm: 'skyframe',
  callerSubject: 'planner@skyframe',
  roles: ['planner'],
  purpose: 'traceability',
  operationName: 'Genealogy__firm__3',
  operationHash: sha256Hex(`op ${i}`),
  reads: [
    { type: 'Lot', fields: ['components', 'part', 'status'], rows: 10, rules: ['customers-trace-lots'] },
    { type: 'Part', fields: ['name', 'partNumber'], rows: 4, rules: ['customers-see-part-master'] },
  ],
  deniedFields: ['Part.unitCost'],
});

async function micro(kind: 'pglite-memory' | 'postgres'): Promise<void> {
  const testDb = await createTestDatabase(kind);
  const firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
  try {
    for (let i = 0; i < 50; i += 1) await appendEntry(firm.db, entry(i));
    let i = 0;
    const samples = await timeSequential(500, async () => {
      await appendEntry(firm.db, entry((i += 1)));
    });
    const s = summarize(samples);
    const total = 4000;
    const inFlight = 64;
    const statementsBefore = firm.statements();
    const burstStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < total) await appendEntry(firm.db, entry((next += 1)));
      }),
    );
    const burstSeconds = (performance.now() - burstStarted) / 1000;
    console.log(
      `concurrent appends on ${kind} (${inFlight} in flight): ${round(total / burstSeconds)} entries/s, ${round((firm.statements() - statementsBefore) / total, 3)} statements per entry`,
    );
    const started = performance.now();
    const v = await verifyStoredChain(firm.db);
    console.log(
      `append on ${kind}: p50 ${round(s.p50, 3)} ms, p95 ${round(s.p95, 3)} ms per entry; verify ${v.entries} entries: ${round(performance.now() - started, 1)} ms (ok ${v.ok})`,
    );
  } finally {
    await firm.close();
    await testDb.drop();
  }
}

async function endToEnd(): Promise<void> {
  const cluster = await startCluster(demoClusterOptions({ dataDir: undefined, port: 0, seed: { seed: 42, lotsPerFirm: 40 }, limits: BENCH_LIMITS }));
  try {
    const token = cluster.token('skyframe', { roles: ['planner'] });
    const run = async (): Promise<void> => {
      const r = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token, variables: { first: 10 } });
      if (r.status !== 200) throw new Error(`genealogy: HTTP ${r.status}`);
    };
    for (let i = 0; i < 5; i += 1) await run();
    const s = summarize(await timeSequential(iterations, run));
    let entries = 0;
    for (const f of cluster.firms.values()) entries += await readMetric(f.server?.url ?? '', 'dataspace_access_log_entries_total');
    console.log(`genealogy (first 10) through the gateway: p50 ${round(s.p50)} ms, p95 ${round(s.p95)} ms over ${iterations} runs; access log entries written: ${entries}`);
  } finally {
    await cluster.stop();
  }
}

await micro('pglite-memory');
if (process.env.DATABASE_URL) await micro('postgres');
await endToEnd();
