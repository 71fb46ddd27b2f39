/**
 * Load: autocannon through the gateway of the demo cluster, running in a child process
 * (`bench/lib/loadCluster.ts`: 7 firms on in-memory PGlite, registry, gateway; rate limits
 * raised so that the limiter runs but does not refuse). A skyframe planner's mix, cycled
 * per connection: `{ firms { id name } }`, one firm's 5 lots, and the genealogy walk with
 * `first: 2` (14 subgraph requests). Warm-up, then the measured run; the child's memory
 * after each (after a forced GC and a short idle). Checks: zero 5xx, no connection errors
 * or timeouts, RSS after the run within 10% of RSS after the warm-up. Exits 1 otherwise.
 *
 *   npm run load                                  (~2 min on 2 cores)
 *   node bin/run.mjs bench/load.ts [requests] [connections]   (defaults 20000 and 64)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { firstLine, memoryOf, PROJECT_ROOT, stopChild } from './lib/child.js';
import { fireLoad, type LoadRun } from './lib/fireLoad.js';
import { writeResult } from './lib/results.js';
import { round } from './lib/stats.js';
import { printTable } from './lib/table.js';

const REQUESTS = Number(process.argv[2] ?? 20_000);
const CONNECTIONS = Number(process.argv[3] ?? 64);
const WARMUP_REQUESTS = 2_000;
const IDLE_MS = 3_000;
/** RSS after the run may exceed RSS after warm-up by at most this fraction. */
const RSS_TOLERANCE = 0.1;

const FIRMS = { name: 'firms', query: '{ firms { id name } }' };
const LOTS = { name: 'firm lots', query: '{ firm(id: "structura") { lots(first: 5) { lotId status } } }' };
const GENEALOGY = { name: 'genealogy first 2', query: GENEALOGY_QUERY, variables: { first: 2 } };
/** The mix, cycled by each connection: 2 directory reads, 2 one-firm reads, 1 four-tier walk (14 subgraph requests). */
const MIX = [FIRMS, LOTS, FIRMS, LOTS, GENEALOGY];

interface ChildMemory {
  /** From /proc/<pid>/status, MB. */
  rssMB: number;
  peakMB: number;
  /** The child's own view after `global.gc()`, MB. */
  heapUsedMB: number;
  gc: boolean;
}

/** Idles, asks the child for a full GC, idles a little more, and reads its memory. */
async function memoryAfterIdle(child: ChildProcessWithoutNullStreams): Promise<ChildMemory> {
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const reply = firstLine(child, (line) => (line.startsWith('{"gc"') ? (JSON.parse(line) as { gc: boolean; heapUsedMB: number }) : undefined), 10_000);
  child.stdin.write('gc\n');
  const { gc, heapUsedMB } = await reply;
  await new Promise((r) => setTimeout(r, 500));
  const { rssMB, peakMB } = memoryOf(child.pid ?? 0);
  return { rssMB, peakMB, heapUsedMB: round(heapUsedMB, 1), gc };
}

async function main(): Promise<void> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', 'bin/run.mjs', 'bench/lib/loadCluster.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    const t0 = performance.now();
    const { gateway, token } = await firstLine(child, (line) => (line.startsWith('{"gateway"') ? (JSON.parse(line) as { gateway: string; token: string }) : undefined), 120_000);
    const startSeconds = round((performance.now() - t0) / 1000, 1);
    console.log(`cluster up in ${startSeconds} s (pid ${child.pid}); warm-up ${WARMUP_REQUESTS} requests`);
    const target = { url: gateway, token, connections: CONNECTIONS, mix: MIX };
    const warmup = await fireLoad({ ...target, amount: WARMUP_REQUESTS });
    const afterWarmup = await memoryAfterIdle(child);
    console.log(`after warm-up: RSS ${afterWarmup.rssMB} MB; run ${REQUESTS} requests at ${CONNECTIONS} connections`);
    const run = await fireLoad({ ...target, amount: REQUESTS });
    const afterRun = await memoryAfterIdle(child);
    const rssGrowth = round((afterRun.rssMB - afterWarmup.rssMB) / afterWarmup.rssMB, 4);

    const checks = {
      noServerErrors: run.status5xx === 0 && warmup.status5xx === 0,
      noConnectionErrors: run.errors === 0 && run.timeouts === 0,
      enoughRequests: run.completed >= REQUESTS,
      memoryStable: rssGrowth <= RSS_TOLERANCE,
    };
    report(run, afterWarmup, afterRun, rssGrowth);
    writeResult('load', started, { requests: REQUESTS, connections: CONNECTIONS, mix: MIX.map((m) => m.name).join(', '), startSeconds, warmup, run, memory: { afterWarmup, afterRun, rssGrowth, tolerance: RSS_TOLERANCE }, checks });
    const failed = Object.entries(checks).filter(([, ok]) => !ok);
    if (failed.length > 0) {
      console.error(`FAILED: ${failed.map(([k]) => k).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await stopChild(child);
  }
}

function report(run: LoadRun, afterWarmup: ChildMemory, afterRun: ChildMemory, rssGrowth: number): void {
  printTable(
    ['requests', 'conns', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', '2xx', '429', 'other 4xx', '5xx', 'errors', 'timeouts'],
    [[run.completed, run.connections, run.requestsPerSecond, run.latency.p50, run.latency.p90, run.latency.p99, run.latency.max, run.status2xx, run.status429, run.status4xx - run.status429, run.status5xx, run.errors, run.timeouts]],
    `Load through the gateway (${run.durationSeconds} s)`,
  );
  printTable(
    ['error code in a 200 body', 'responses'],
    Object.entries(run.errorCodes).map(([code, n]) => [code, n]),
    'GraphQL error codes seen (FORBIDDEN is the policies at work)',
  );
  printTable(
    ['child memory', 'RSS MB', 'peak MB', 'heap used MB (after gc)'],
    [
      ['after warm-up', afterWarmup.rssMB, afterWarmup.peakMB, afterWarmup.heapUsedMB],
      ['after run', afterRun.rssMB, afterRun.peakMB, afterRun.heapUsedMB],
      ['growth', `${round(rssGrowth * 100, 1)}%`, '', ''],
    ],
  );
}

await main();
