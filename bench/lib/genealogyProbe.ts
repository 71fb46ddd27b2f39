/**
 * One measuring child of bench/beforeAfter.ts: starts the demo cluster of the source tree at
 * `--root` (this tree or a checkout of an earlier revision) in memory, and times the lead
 * planner's genealogy walk through its gateway. Prints one JSON line on stdout. It imports
 * the tree's own modules by path, so it measures exactly that revision's code; it only uses
 * what every revision since the first benchmark has (startCluster, the demo options,
 * GENEALOGY_QUERY, the router's and the databases' counters).
 *
 *   node bin/run.mjs bench/lib/genealogyProbe.ts --root <tree> [--iterations 100]
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface ProbeCluster {
  gatewayUrl: string;
  gateway: { router: { stats: { requests: number } } };
  firms: Map<string, { database: { statements(): number } }>;
  token(firmId: string, options?: { roles?: string[]; purpose?: string }): string;
  stop(): Promise<void>;
}

/** What one probe reports, per query. */
export interface ProbeCase {
  name: string;
  samplesMs: number[];
  /** Firm requests the gateway's router sent, and SQL statements of every firm, for one query. */
  firmRequests: number;
  statements: number;
  lots: number;
}

const { values } = parseArgs({ options: { root: { type: 'string' }, iterations: { type: 'string' } } });
const root = resolve(values.root ?? '.');
const iterations = Number(values.iterations ?? 100);
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(resolve(root, path)).href)) as T;

// The in-process cluster starter lives in local/ since issue 9, in cluster/ before.
const starter = existsSync(resolve(root, 'local/startCluster.ts')) ? 'local/startCluster.ts' : 'cluster/startCluster.ts';
const { startCluster } = await load<{ startCluster(o: object): Promise<ProbeCluster> }>(starter);
const { demoClusterOptions } = await load<{ demoClusterOptions(o: object): object }>('demo/demoCluster.ts');
const { GENEALOGY_QUERY } = await load<{ GENEALOGY_QUERY: string }>('test/harness/queries.ts');
const { BENCH_LIMITS } = await load<{ BENCH_LIMITS: object }>('bench/lib/benchLimits.ts');

const cluster = await startCluster(demoClusterOptions({ dataDir: undefined, port: 0, limits: BENCH_LIMITS }));
try {
  const token = cluster.token('skyframe', { roles: ['planner'], purpose: 'traceability' });
  const call = async (first: number): Promise<number> => {
    const res = await fetch(cluster.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: GENEALOGY_QUERY, variables: { first } }),
    });
    const text = await res.text();
    if (res.status !== 200 || !text.includes('"data"')) throw new Error(`gateway answered ${res.status}: ${text.slice(0, 200)}`);
    return (text.match(/"lotId"/g) ?? []).length;
  };
  const statements = (): number => [...cluster.firms.values()].reduce((n, f) => n + f.database.statements(), 0);
  const cases: ProbeCase[] = [];
  for (const first of [5, 20]) {
    for (let i = 0; i < 20; i++) await call(first);
    const requestsBefore = cluster.gateway.router.stats.requests;
    const statementsBefore = statements();
    const lots = await call(first);
    const c: ProbeCase = { name: `genealogy first ${first}`, samplesMs: [], firmRequests: cluster.gateway.router.stats.requests - requestsBefore, statements: statements() - statementsBefore, lots };
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await call(first);
      c.samplesMs.push(performance.now() - t0);
    }
    cases.push(c);
  }
  process.stdout.write(`${JSON.stringify({ root, cases })}\n`);
} finally {
  await cluster.stop();
}
