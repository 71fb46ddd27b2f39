/**
 * A peer gateway: the same supergraph run by another federation gateway from npm (Hive
 * Gateway's runtime) in front of the same firms, through the stand-alone owner router
 * (router/startOwnerRouterServer.ts), against our gateway (@apollo/gateway with the owner
 * router inside). Both run in one child process with the demo cluster (in-memory PGlite, 40
 * lots per firm, rate limits off; `bench/lib/peerGatewayCluster.ts`); autocannon runs here,
 * on the other core.
 *
 * First a check: both gateways return the same lot ids (and error codes) for the genealogy
 * walk, first 5; exit 1 if not. Then the subgraph requests one query costs through each,
 * and throughput: for each query, autocannon at 16 connections for `seconds` against ours,
 * then the peer, then ours, then the peer (A/B/A/B, after a short warm-up of each; after
 * each run, a pause until the cluster has finished the queries autocannon left in flight):
 * requests per second, latency p50 / p99, non-2xx responses; ratio ours / peer.
 *
 *   node bin/run.mjs bench/peerGateway.ts [seconds]     (default 10 per run; ~2 min)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { postGraphQL } from '../test/harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../test/harness/queries.js';
import { firstLine, PROJECT_ROOT, stopChild } from './lib/child.js';
import { fireLoad, type LoadRun, type MixEntry } from './lib/fireLoad.js';
import { errorCodes, lotIdsIn } from './lib/lotIds.js';
import type { SubgraphRequestCounts } from './lib/peerGatewayCluster.js';
import { writeResult } from './lib/results.js';
import { round } from './lib/stats.js';
import { printTable } from './lib/table.js';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 16;
const ROUNDS = 2;
const WARMUP_SECONDS = 3;
/** Sequential queries over which the subgraph requests of one query are counted. */
const COUNTED_QUERIES = 5;

const QUERIES: readonly MixEntry[] = [
  { name: 'genealogy first 5', query: GENEALOGY_QUERY, variables: { first: 5 } },
  { name: '{ firms { id } }', query: '{ firms { id } }' },
];
const GATEWAYS = ['ours', 'peer'] as const;
type Gateway = (typeof GATEWAYS)[number];

interface Run {
  query: string;
  gateway: Gateway;
  round: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses whose body holds an error with this code (FORBIDDEN: the policies at work). */
  errorCodes: Record<string, number>;
  /** Per query the cluster served in the run (counted by its registry request, in-flight ones included): firm requests and SQL statements. */
  firmRequestsPerQuery: number;
  sqlPerQuery: number;
  loadAverage1m: number;
}

interface Summary {
  query: string;
  ours: { requestsPerSecond: number; p50: number; p99: number; non2xx: number };
  peer: { requestsPerSecond: number; p50: number; p99: number; non2xx: number };
  /** ours / peer requests per second (> 1: ours serves more), and peer / ours latency p50. */
  rpsRatio: number;
  p50Ratio: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);

async function main(): Promise<void> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/run.mjs', 'bench/lib/peerGatewayCluster.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    const t0 = performance.now();
    const ready = await firstLine(child, (line) => (line.startsWith('{"ours"') ? (JSON.parse(line) as { ours: string; peer: string; router: string; token: string }) : undefined), 180_000);
    const startSeconds = round((performance.now() - t0) / 1000, 1);
    const url: Record<Gateway, string> = { ours: ready.ours, peer: ready.peer };
    const { token } = ready;
    console.log(`cluster, our gateway, Hive gateway and owner router up in ${startSeconds} s (pid ${child.pid}); load average ${loadavg()[0]?.toFixed(2)}`);
    const counts = async (): Promise<SubgraphRequestCounts> => {
      const reply = firstLine(child, (line) => (line.startsWith('{"counts"') ? (JSON.parse(line) as { counts: SubgraphRequestCounts }).counts : undefined), 10_000);
      child.stdin.write('counts\n');
      return reply;
    };

    // autocannon stops at the end of a run with up to CONNECTIONS queries still in the
    // cluster: wait until no subgraph request has been sent for a while, so that no run
    // inherits the previous one's work.
    const total = (c: SubgraphRequestCounts): number => c.registry + c.firm + c.links + c.router.firm + c.router.links + c.router.registry;
    const settle = async (): Promise<void> => {
      const deadline = Date.now() + 60_000;
      let last = total(await counts());
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        const now = total(await counts());
        if (now === last) return;
        last = now;
      }
    };

    // 1. The same answer through both.
    const genealogy = QUERIES[0] as MixEntry;
    const answers = await Promise.all(GATEWAYS.map((g) => postGraphQL(url[g], genealogy.query, { token, variables: genealogy.variables ?? {} })));
    const [oursAnswer, peerAnswer] = answers as [Awaited<ReturnType<typeof postGraphQL>>, Awaited<ReturnType<typeof postGraphQL>>];
    const oursLots = lotIdsIn(oursAnswer.data);
    const peerLots = lotIdsIn(peerAnswer.data);
    const check = {
      lotIds: oursLots.length,
      sameLotIds: oursLots.length > 0 && JSON.stringify(oursLots) === JSON.stringify(peerLots),
      sameData: JSON.stringify(oursAnswer.data) === JSON.stringify(peerAnswer.data),
      errorCodes: { ours: errorCodes(oursAnswer.errors), peer: errorCodes(peerAnswer.errors) },
    };
    printTable(
      ['gateway', 'status', 'lot objects', 'same lot ids', 'same data', 'error codes'],
      GATEWAYS.map((g, i) => {
        const a = answers[i] as Awaited<ReturnType<typeof postGraphQL>>;
        return [g, a.status, lotIdsIn(a.data).length, check.sameLotIds, check.sameData, JSON.stringify(errorCodes(a.errors))];
      }),
      `Check: ${genealogy.name} through both gateways`,
    );
    if (!check.sameLotIds) {
      console.error(`FAILED: the gateways disagree on the lot ids\n ours ${oursLots.join(',')}\n peer ${peerLots.join(',')}`);
      writeResult('peerGateway', started, { check, failed: 'sameLotIds' });
      process.exitCode = 1;
      return;
    }

    // 2. Subgraph requests of one query through each.
    const perQuery: Record<string, Record<Gateway, Record<string, number>>> = {};
    for (const q of QUERIES) {
      perQuery[q.name] = { ours: {}, peer: {} };
      for (const g of GATEWAYS) {
        const before = await counts();
        for (let i = 0; i < COUNTED_QUERIES; i++) {
          const r = await postGraphQL(url[g], q.query, { token, variables: q.variables ?? {} });
          if (r.status !== 200) throw new Error(`${g} answered ${r.status} for ${q.name}`);
        }
        const after = await counts();
        const per = (a: number, b: number): number => round((a - b) / COUNTED_QUERIES, 2);
        const row: Record<string, number> = {
          sql: per(after.sql, before.sql),
          registry: per(after.registry, before.registry),
          firm: per(after.firm, before.firm),
          links: per(after.links, before.links),
        };
        if (g === 'peer') {
          row['router /firm'] = per(after.router.firm, before.router.firm);
          row['router /links'] = per(after.router.links, before.router.links);
          row['router /registry'] = per(after.router.registry, before.router.registry);
        }
        (perQuery[q.name] as Record<Gateway, Record<string, number>>)[g] = row;
      }
    }
    printTable(
      ['query', 'gateway', 'to registry', 'to firms /firm', 'to firms /links', 'gateway → router /firm, /links, /registry', 'SQL statements'],
      QUERIES.flatMap((q) =>
        GATEWAYS.map((g) => {
          const c = perQuery[q.name]?.[g] ?? {};
          return [q.name, g, c.registry ?? 0, c.firm ?? 0, c.links ?? 0, g === 'peer' ? `${c['router /firm']}, ${c['router /links']}, ${c['router /registry']}` : '(inside the gateway)', c.sql ?? 0];
        }),
      ),
      `Subgraph requests per query (mean of ${COUNTED_QUERIES})`,
    );

    // 3. Throughput, A/B/A/B.
    for (const q of QUERIES) {
      for (const g of GATEWAYS) {
        await fireLoad({ url: url[g], token, connections: CONNECTIONS, durationSeconds: WARMUP_SECONDS, mix: [q] });
        await settle();
      }
    }
    const runs: Run[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      for (const q of QUERIES) {
        for (const g of GATEWAYS) {
          const before = await counts();
          const run: LoadRun = await fireLoad({ url: url[g], token, connections: CONNECTIONS, durationSeconds: SECONDS, mix: [q] });
          await settle();
          const after = await counts();
          const served = Math.max(after.registry - before.registry, 1);
          runs.push({
            query: q.name,
            gateway: g,
            round: r,
            requestsPerSecond: run.requestsPerSecond,
            p50: run.latency.p50,
            p99: run.latency.p99,
            completed: run.completed,
            non2xx: run.completed - run.status2xx,
            errors: run.errors,
            timeouts: run.timeouts,
            errorCodes: run.errorCodes,
            firmRequestsPerQuery: round((after.firm - before.firm) / served, 2),
            sqlPerQuery: round((after.sql - before.sql) / served, 2),
            loadAverage1m: round(loadavg()[0] ?? 0, 2),
          });
          console.log(`round ${r} ${q.name} ${g}: ${run.requestsPerSecond} req/s, p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms, load ${loadavg()[0]?.toFixed(2)}`);
        }
      }
    }
    printTable(
      ['query', 'gateway', 'round', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'timeouts', 'error codes in bodies', 'firm req / query', 'SQL / query', 'load 1m'],
      runs.map((x) => [x.query, x.gateway, x.round, x.requestsPerSecond, x.p50, x.p99, x.non2xx, x.errors, x.timeouts, JSON.stringify(x.errorCodes), x.firmRequestsPerQuery, x.sqlPerQuery, x.loadAverage1m]),
      `Throughput: ${CONNECTIONS} connections, ${SECONDS} s per run`,
    );
    const summaries: Summary[] = QUERIES.map((q) => {
      const of = (g: Gateway): Summary['ours'] => {
        const xs = runs.filter((x) => x.query === q.name && x.gateway === g);
        return {
          requestsPerSecond: round(mean(xs.map((x) => x.requestsPerSecond)), 1),
          p50: round(mean(xs.map((x) => x.p50)), 1),
          p99: round(mean(xs.map((x) => x.p99)), 1),
          non2xx: xs.reduce((s, x) => s + x.non2xx, 0),
        };
      };
      const ours = of('ours');
      const peer = of('peer');
      return { query: q.name, ours, peer, rpsRatio: round(ours.requestsPerSecond / peer.requestsPerSecond, 2), p50Ratio: round(peer.p50 / ours.p50, 2) };
    });
    printTable(
      ['query', 'ours req/s', 'peer req/s', 'ratio ours / peer', 'ours p50 / p99 ms', 'peer p50 / p99 ms', 'p50 peer / ours', 'non-2xx ours / peer'],
      summaries.map((s) => [s.query, s.ours.requestsPerSecond, s.peer.requestsPerSecond, s.rpsRatio, `${s.ours.p50} / ${s.ours.p99}`, `${s.peer.p50} / ${s.peer.p99}`, s.p50Ratio, `${s.ours.non2xx} / ${s.peer.non2xx}`]),
      `Ours (@apollo/gateway + owner router inside) vs peer (Hive Gateway → stand-alone owner router): mean of ${ROUNDS} rounds`,
    );
    const loads = runs.map((x) => x.loadAverage1m);
    writeResult('peerGateway', started, {
      seconds: SECONDS,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      startSeconds,
      check,
      subgraphRequestsPerQuery: perQuery,
      runs,
      summaries,
      loadAverage1mDuringRuns: { min: Math.min(...loads), max: Math.max(...loads) },
    });
  } finally {
    await stopChild(child);
  }
}

await main();
