import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterFirm } from '../../local/startCluster.js';
import { readChain, readHead } from '../../subgraphs/firm/accessLog/readChain.js';
import { verifyStoredChain } from '../../subgraphs/firm/accessLog/verifyStoredChain.js';
import { at, postGraphQL, readMetric, type GraphQLResult } from '../harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { carriesData, startRecordingProxy } from '../harness/recordingProxy.js';
import { routeFirmThrough } from '../harness/routeFirmThrough.js';
import { runLoad } from '../harness/runLoad.js';
import { startExtraGateway, type ExtraGateway } from '../harness/startExtraGateway.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

/**
 * The per-firm timeout of the slow-firm and breaker gateways: short, yet long enough for
 * healthy firms on a loaded 2-core machine (the whole suite runs two files at a time).
 */
const FIRM_TIMEOUT_MS = 1_500;
/** The request deadline of the deadline gateway, under its (longer) per-firm timeout. */
const DEADLINE_MS = 2_000;
/** precimach's own lots, read directly by its customer structura. */
const PRECIMACH_LOTS = '{ firm(id: "precimach") { lots(first: 3) { lotId status } } }';
const CIRCUITRA_LOTS = '{ firm(id: "circuitra") { lots(first: 3) { lotId status } } }';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every lot of a genealogy answer (an object with firmId and status), without its
 * components, leaving out the lots of `skip` and everything found below them.
 */
function lotsOf(value: unknown, skip: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    const o = v as Json;
    if (typeof o['firmId'] === 'string' && 'status' in o) {
      if (o['firmId'] === skip) return;
      const { components, ...own } = o;
      out.push(JSON.stringify(own));
      walk(components);
      return;
    }
    Object.values(o).forEach(walk);
  };
  walk(value);
  return out.sort();
}

/**
 * The lots of a firm in a genealogy answer that carry its data: a field other than the keys
 * is non-null (a lot whose own fetch failed still shows the keys its customer gave).
 */
function dataLotsOf(value: unknown, firmId: string): string[] {
  return lotsOf(value, '')
    .map((l) => JSON.parse(l) as Json)
    .filter((l) => l['firmId'] === firmId && carriesData({ ...l, firmId: null, lotId: null }))
    .map((l) => String(l['lotId']));
}

const codesOf = (r: GraphQLResult) => new Set((r.errors ?? []).map((e) => String(e.extensions?.['code'])));
const errorsWith = (r: GraphQLResult, code: string) => (r.errors ?? []).filter((e) => e.extensions?.['code'] === code);

describe(`faults: a firm killed, slow, or failing repeatedly (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let precimach: ClusterFirm;
  const extra: ExtraGateway[] = [];
  /** Genealogy (2 finished lots, 4 tiers) as the lead's planner, through the cluster's gateway, all firms up. */
  let baseline: GraphQLResult;

  const gateway = async (id: string, options: Parameters<typeof startExtraGateway>[2]): Promise<ExtraGateway> => {
    const gw = await startExtraGateway(cluster, id, options);
    extra.push(gw);
    return gw;
  };
  const genealogy = (url: string) => postGraphQL(url, GENEALOGY_QUERY, { token: cluster.token('skyframe'), variables: { first: 2 } });

  beforeAll(async () => {
    cluster = await startTestCluster({ directoryRefreshMs: 0, seed: { lotsPerFirm: 6 } });
    const firm = cluster.firms.get('precimach');
    if (!firm) throw new Error('no precimach');
    precimach = firm;
    await genealogy(cluster.gatewayUrl); // warm-up: first plans, first statements
    baseline = await genealogy(cluster.gatewayUrl);
    expect(dataLotsOf(baseline.data, 'precimach').length).toBeGreaterThan(0);
    expect([...codesOf(baseline)]).toEqual(['FORBIDDEN']);
  });
  afterAll(async () => {
    for (const gw of extra) await gw.close();
    await cluster?.stop();
  });

  it('a firm killed during a traversal costs its own part only: 200, partial data, FIRM_UNAVAILABLE naming it', async () => {
    const server = precimach.server;
    if (!server) throw new Error('precimach not running');
    // The kill lands mid-request: the gateway's first request to precimach is in flight
    // (accepted by the proxy in front of it) when the firm is stopped.
    let killing: Promise<void> | undefined;
    const proxy = await startRecordingProxy(server.url, {
      beforeForward: () => (killing ??= precimach.stop()),
    });
    const restore = await routeFirmThrough(cluster, 'precimach', proxy.url, []);
    let r: GraphQLResult;
    try {
      r = await genealogy(cluster.gatewayUrl);
    } finally {
      await restore();
      await precimach.start();
      await proxy.close();
    }
    expect(killing).toBeDefined();
    expect(proxy.exchanges.length).toBeGreaterThan(0);
    expect(proxy.exchanges.every((e) => e.status === undefined)).toBe(true); // no answer got out
    expect(r.status).toBe(200);
    expect([...codesOf(r)].sort()).toEqual(['FIRM_UNAVAILABLE', 'FORBIDDEN']);
    const down = errorsWith(r, 'FIRM_UNAVAILABLE');
    expect(down.every((e) => e.extensions?.['firmId'] === 'precimach' && /precimach/.test(e.message))).toBe(true);
    // Every other firm's lot is there, field for field, except those only reachable through precimach's.
    expect(lotsOf(r.data, 'precimach')).toEqual(lotsOf(baseline.data, 'precimach'));
    expect(dataLotsOf(r.data, 'precimach')).toEqual([]);
    // Restarted on the same port with the same database: whole again.
    const again = await genealogy(cluster.gatewayUrl);
    expect(again.data).toEqual(baseline.data);
  });

  it('a slow firm delays nobody beyond its timeout; a request deadline cuts every pending fetch short', async () => {
    const gw = await gateway('slow-firm', { firmTimeoutMs: FIRM_TIMEOUT_MS });
    const deadline = await gateway('deadline', { firmTimeoutMs: 10_000, requestTimeoutMs: DEADLINE_MS });
    const server = precimach.server;
    if (!server) throw new Error('precimach not running');
    const circuitraBaseline = await postGraphQL(gw.url, CIRCUITRA_LOTS, { token: cluster.token('avionix') });
    let started = Date.now();
    expect((await genealogy(gw.url)).data).toEqual(baseline.data);
    const wholeMs = Date.now() - started;

    const proxy = await startRecordingProxy(server.url, { delayMs: 6_000 });
    const restore = await routeFirmThrough(cluster, 'precimach', proxy.url, [gw.directory, deadline.directory]);
    try {
      started = Date.now();
      const [slow, other] = await Promise.all([
        genealogy(gw.url).then((r) => ({ r, ms: Date.now() - started })),
        postGraphQL(gw.url, CIRCUITRA_LOTS, { token: cluster.token('avionix') }).then((r) => ({ r, ms: Date.now() - started })),
      ]);
      // Meanwhile, a query that does not touch precimach is answered as fast as ever, whole.
      expect(other.r.data).toEqual(circuitraBaseline.data);
      expect(other.r.errors).toBeUndefined();
      expect(other.ms).toBeLessThan(FIRM_TIMEOUT_MS);
      // The genealogy waits for precimach at one plan step only (its lots are not fetched
      // again once null): whole-query time + one timeout + a margin.
      expect(slow.r.status).toBe(200);
      expect(slow.ms).toBeLessThan(wholeMs + FIRM_TIMEOUT_MS + 1_000);
      expect([...codesOf(slow.r)].sort()).toEqual(['FIRM_TIMEOUT', 'FORBIDDEN']);
      expect(errorsWith(slow.r, 'FIRM_TIMEOUT').every((e) => e.extensions?.['firmId'] === 'precimach')).toBe(true);
      expect(lotsOf(slow.r.data, 'precimach')).toEqual(lotsOf(baseline.data, 'precimach'));
      expect(dataLotsOf(slow.r.data, 'precimach')).toEqual([]);

      // Per-firm timeout 10 s, request deadline 2 s: the answer comes at the deadline, partial.
      started = Date.now();
      const cut = await genealogy(deadline.url);
      const cutMs = Date.now() - started;
      expect(cut.status).toBe(200);
      expect(cutMs).toBeGreaterThanOrEqual(DEADLINE_MS);
      expect(cutMs).toBeLessThan(DEADLINE_MS + 1_000);
      const timedOut = errorsWith(cut, 'REQUEST_TIMEOUT');
      expect(timedOut.some((e) => e.extensions?.['firmId'] === 'precimach' && /precimach/.test(e.message))).toBe(true);
      expect(timedOut.every((e) => typeof e.extensions?.['firmId'] === 'string')).toBe(true);
      expect(codesOf(cut).has('FIRM_TIMEOUT')).toBe(false);
      // What was fetched before the deadline is intact: the lead's lots and tier 1 below them.
      const tier01 = (d: unknown) => lotsOf(d, 'precimach').filter((l) => /"firmId":"(skyframe|structura|avionix)"/.test(l));
      expect(tier01(cut.data)).toEqual(tier01(baseline.data));
      expect(tier01(cut.data).length).toBeGreaterThan(2);
      console.info(`[faults] genealogy whole ${wholeMs} ms; precimach slow ${slow.ms} ms (timeout ${FIRM_TIMEOUT_MS}); other firm ${other.ms} ms; deadline ${DEADLINE_MS} → ${cutMs} ms`);
    } finally {
      await restore();
      await proxy.close();
    }
  });

  it('the circuit breaker skips a firm failing repeatedly without asking it, then lets a probe through once it is back', async () => {
    const gw = await gateway('breaker', { firmTimeoutMs: FIRM_TIMEOUT_MS, circuitBreaker: { failureThreshold: 3, cooldownMs: 1_500 } });
    const server = precimach.server;
    if (!server) throw new Error('precimach not running');
    const proxy = await startRecordingProxy(server.url);
    const restore = await routeFirmThrough(cluster, 'precimach', proxy.url, [gw.directory]);
    const lots = () => postGraphQL(gw.url, PRECIMACH_LOTS, { token: cluster.token('structura') });
    try {
      const whole = await lots();
      expect(at(whole.data, 'firm.lots.0.lotId')).toEqual(expect.any(String));
      await precimach.stop();
      for (let i = 0; i < 3; i++) {
        const r = await lots();
        expect(r.status).toBe(200);
        expect(r.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['firmId']])).toEqual([['FIRM_UNAVAILABLE', 'precimach']]);
      }
      expect(proxy.exchanges).toHaveLength(4);
      const circuit = gw.router.stats.circuits.get('precimach');
      expect(circuit).toMatchObject({ state: 'open', consecutiveFailures: 3, opened: 1 });

      // Open: answered at once, with an error naming the firm and when it will be retried; nothing sent.
      await precimach.start(); // back already, but the cool-down is not over
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        const r = await lots();
        expect(Date.now() - started).toBeLessThan(FIRM_TIMEOUT_MS); // nothing waited for
        expect(r.status).toBe(200);
        expect(at(r.data, 'firm.lots')).toBeNull();
        expect(r.errors).toHaveLength(1);
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FIRM_CIRCUIT_OPEN', firmId: 'precimach' });
        expect(r.errors?.[0]?.message).toBe(
          `firm precimach is skipped after 3 consecutive failures (circuit open); it will be retried at ${new Date(circuit?.retryAt ?? 0).toISOString()}`,
        );
      }
      expect(proxy.exchanges).toHaveLength(4);
      expect(gw.router.stats.byOwner.get('precimach')).toBe(4);
      expect(await readMetric(gw.url, 'dataspace_firm_circuits_open')).toBe(1);
      expect(await readMetric(gw.url, 'dataspace_fetches_firm_circuit_open_total')).toBe(2);
      const health = (await (await fetch(new URL('/health', gw.url))).json()) as Json;
      expect(health['openCircuits']).toEqual(['precimach']);
      // Other firms are not affected by precimach's circuit.
      const other = await postGraphQL(gw.url, CIRCUITRA_LOTS, { token: cluster.token('avionix') });
      expect(other.errors).toBeUndefined();

      // After the cool-down, the next request is the probe; it succeeds and closes the circuit.
      await sleep(Math.max(0, (circuit?.retryAt ?? 0) - Date.now()) + 20);
      expect(gw.router.stats.circuits.get('precimach')?.state).toBe('half-open');
      const probed = await lots();
      expect(probed.errors).toBeUndefined();
      expect(probed.data).toEqual(whole.data);
      expect(gw.router.stats.circuits.get('precimach')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
      expect((await lots()).data).toEqual(whole.data);
      expect(proxy.exchanges).toHaveLength(6);
      expect(await readMetric(gw.url, 'dataspace_firm_circuits_open')).toBe(0);
    } finally {
      await precimach.start();
      await restore();
      await proxy.close();
    }
  });

  it('a firm killed under load and restarted loses no access-log entry for any response that carried its data', async () => {
    // No rate limit at this gateway: the test is about the access log under load, and a fast
    // machine would exceed 50 requests a second from structura.
    const gw = await gateway('load', {
      firmTimeoutMs: 5_000,
      requestTimeoutMs: 15_000,
      circuitBreaker: { failureThreshold: 5, cooldownMs: 300 },
      limits: { rateLimit: false },
    });
    const server = precimach.server;
    if (!server) throw new Error('precimach not running');
    const db = precimach.database.db;
    const headBefore = (await readHead(db))?.seq ?? 0;
    const proxy = await startRecordingProxy(server.url);
    const restore = await routeFirmThrough(cluster, 'precimach', proxy.url, [gw.directory]);
    const okBefore = gw.router.stats.outcomes.get('precimach')?.get('ok') ?? 0;
    const tokens = { structura: cluster.token('structura'), skyframe: cluster.token('skyframe') };
    const events: { stoppedAt?: number; restartedAt?: number } = {};
    const started = Date.now();
    let samples: Awaited<ReturnType<typeof runLoad<{ kind: 'lots' | 'genealogy'; r: GraphQLResult }>>>;
    try {
      const fault = (async () => {
        await sleep(1_500);
        await precimach.stop();
        events.stoppedAt = Date.now();
        await sleep(1_000);
        await precimach.start();
        events.restartedAt = Date.now();
      })();
      samples = await runLoad({
        concurrency: 8,
        durationMs: 5_000,
        request: async (worker) => {
          if (worker % 4 === 3) return { kind: 'genealogy' as const, r: await postGraphQL(gw.url, GENEALOGY_QUERY, { token: tokens.skyframe, variables: { first: 1 } }) };
          return { kind: 'lots' as const, r: await postGraphQL(gw.url, PRECIMACH_LOTS, { token: tokens.structura }) };
        },
      });
      await fault;
    } finally {
      await precimach.start();
      await restore();
      await proxy.close();
    }
    const { stoppedAt = 0, restartedAt = 0 } = events;

    // Zero 5xx from the gateway: every answer is a 200, partial at worst, and errors only name precimach.
    expect(samples.every((s) => s.result.r.status === 200)).toBe(true);
    for (const { result } of samples) {
      for (const e of result.r.errors ?? []) {
        const code = String(e.extensions?.['code']);
        if (code === 'FORBIDDEN') continue;
        expect(['FIRM_UNAVAILABLE', 'FIRM_CIRCUIT_OPEN', 'FIRM_TIMEOUT']).toContain(code);
        expect(e.extensions?.['firmId']).toBe('precimach');
      }
    }
    const precimachData = (s: (typeof samples)[number]): boolean =>
      s.result.kind === 'lots'
        ? carriesData(at(s.result.r.data, 'firm.lots'))
        : dataLotsOf(s.result.r.data, 'precimach').length > 0;
    const withData = samples.filter(precimachData);
    const failed = samples.filter((s) => (s.result.r.errors ?? []).some((e) => e.extensions?.['code'] !== 'FORBIDDEN'));
    // The outage was seen, and precimach's data flowed again after the restart.
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((s) => s.endedAt >= stoppedAt)).toBe(true);
    expect(withData.some((s) => s.startedAt > restartedAt + 500)).toBe(true);

    // Every answer that carried precimach's data has its entry in precimach's log, with the
    // same operation hash, dated no later than the answer left the firm. (The `links`
    // answers only echo the keys they were sent: no data, no entry.)
    const entries = [];
    for await (const e of readChain(db)) if (e.seq > headBefore) entries.push(e);
    const bearing = proxy.exchanges.filter((e) => e.dataBearing);
    expect(bearing.length).toBeGreaterThanOrEqual(withData.length);
    expect(entries.length).toBeGreaterThanOrEqual(bearing.length);
    expect(entries.length).toBeLessThanOrEqual(proxy.exchanges.length); // at most one entry per request received
    expect(new Set(entries.map((e) => e.callerFirm))).toEqual(new Set(['structura', 'skyframe']));
    // Each answer is matched to a distinct entry of the same operation created while its own
    // request was at the firm (between the proxy receiving it and the answer coming back):
    // intervals sorted by end, each takes the earliest free entry inside it (optimal).
    const unmatched: string[] = [];
    for (const hash of new Set(bearing.map((e) => e.operationHash))) {
      const answers = bearing.filter((e) => e.operationHash === hash).sort((a, b) => a.answeredAt - b.answeredAt);
      const free = entries.filter((e) => e.operationHash === hash).map((e) => e.at.getTime()).sort((a, b) => a - b);
      for (const answer of answers) {
        const i = free.findIndex((t) => t >= answer.receivedAt && t <= answer.answeredAt);
        if (i >= 0) free.splice(i, 1);
        else unmatched.push(`${answer.path} ${hash.slice(0, 8)} at [${answer.receivedAt - stoppedAt}, ${answer.answeredAt - stoppedAt}] ms from the kill`);
      }
    }
    expect(unmatched).toEqual([]);
    // The gateway's own count agrees: every fetch it saw succeed was an answer the firm let out.
    const okFetches = (gw.router.stats.outcomes.get('precimach')?.get('ok') ?? 0) - okBefore;
    expect(okFetches).toBe(proxy.exchanges.filter((e) => e.status === 200).length);
    const chain = await verifyStoredChain(db);
    expect(chain.ok).toBe(true);

    const outcomes = Object.fromEntries(gw.router.stats.outcomes.get('precimach') ?? []);
    console.info(
      `[faults] load ${Date.now() - started} ms: ${samples.length} responses (${withData.length} with precimach data, ${failed.length} partial), ` +
        `precimach down ${restartedAt - stoppedAt} ms; proxy saw ${proxy.exchanges.length} requests (${bearing.length} answered with data); ` +
        `${entries.length} log entries; gateway outcomes ${JSON.stringify(outcomes)}; circuit opened ${gw.router.stats.circuits.get('precimach')?.opened ?? 0}×`,
    );
  });
});
