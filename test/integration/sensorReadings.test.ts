import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIFTING_SERIES, READINGS_PER_SERIES } from '../../seed/planSensorReadings.js';
import { detect } from '../../spc/index.js';
import type { FirmDb } from '../../subgraphs/firm/db/firmDb.js';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

const METRIC = 'reflow oven peak temperature °C';
const MACHINE = DRIFTING_SERIES.machineId;

const READINGS = `query Readings($firmId: ID!, $machineId: ID, $metric: String, $from: DateTime, $to: DateTime, $first: Int) {
  firm(id: $firmId) { sensorReadings(machineId: $machineId, metric: $metric, from: $from, to: $to, first: $first) { readingId machineId metric at value unit runId } }
}`;
const READINGS_PAGE = `query Page($firmId: ID!, $machineId: ID, $after: String) {
  firm(id: $firmId) { sensorReadingsConnection(machineId: $machineId, first: 100, after: $after) { nodes { readingId } pageInfo { hasNextPage endCursor } } }
}`;
const ANOMALIES = `query Anomalies($firmId: ID!) {
  firm(id: $firmId) { sensorAnomalies(first: 1000) { anomalyId machineId method rule value threshold detectedAt severity runId productionRun { runId } lots { lotId runId } } }
}`;
const DETECT = `mutation Detect($firmId: ID!, $input: SensorAnomalyDetectionInput!) {
  detectSensorAnomalies(firmId: $firmId, input: $input) {
    seq method points mean sigma written changes { table upserted keys }
    anomalies { anomalyId machineId metric method rule value threshold detectedAt severity runId productionRun { runId lot { lotId } } lots { lotId runId } }
  }
}`;
const WRITE = `mutation Write($firmId: ID!, $upsert: RowsInput) { writeRows(firmId: $firmId, upsert: $upsert) { seq changes { table upserted } } }`;
const WRITE_LOG = `query WriteLog($firmId: ID!) { firm(id: $firmId) { writeLog(operation: "detectSensorAnomalies", first: 10) { seq actorSubject roles operation detail changes { table upserted } } writeLogVerification { ok } } }`;
const CAPABILITY = `query Cpk($firmId: ID!, $characteristic: String) {
  firm(id: $firmId) {
    processCapability(characteristic: $characteristic) { characteristic unit lowerLimit upperLimit n mean sigma cpk reason }
    qualityInspections(first: 1000) { characteristic value lowerLimit upperLimit }
  }
}`;

const codes = (r: GraphQLResult): unknown[] => (r.errors ?? []).map((e) => e.extensions?.['code']);

describe(`SPC on a firm's own sensor readings, through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let tokens: Record<'quality' | 'erp' | 'planner' | 'admin' | 'customerQuality' | 'customerPlanner' | 'lead', string>;
  const gql = (token: string, query: string, variables: Json = {}) => postGraphQL(cluster.gatewayUrl, query, { token, variables });

  const dbOf = (firmId: string): FirmDb => {
    const firm = cluster.firms.get(firmId);
    if (!firm) throw new Error(`no firm ${firmId}`);
    return firm.database.db;
  };
  async function spcAnomalies(firmId = 'circuitra'): Promise<number> {
    const rows = (await dbOf(firmId).execute(sql.raw('select count(*)::int as n from sensor_anomalies where method is not null'))) as unknown;
    const list = Array.isArray(rows) ? rows : ((rows as { rows: { n: number }[] }).rows ?? []);
    return Number((list[0] as { n: number } | undefined)?.n ?? 0);
  }

  beforeAll(async () => {
    cluster = await startTestCluster();
    tokens = {
      quality: cluster.token('circuitra', { roles: ['quality'], subject: 'qe@circuitra' }),
      erp: cluster.token('circuitra', { roles: ['integration'], subject: 'mes@circuitra' }),
      planner: cluster.token('circuitra', { roles: ['planner'] }),
      admin: cluster.token('circuitra', { roles: ['admin'] }),
      customerQuality: cluster.token('avionix', { roles: ['quality'], subject: 'qe@avionix' }),
      customerPlanner: cluster.token('avionix', { roles: ['planner'] }),
      lead: cluster.token('skyframe', { roles: ['quality'] }),
    };
  });
  afterAll(async () => cluster?.stop());

  it("shows the owner's own users the readings, filtered by machine, metric and time range in SQL, page by page", async () => {
    const r = await gql(tokens.planner, READINGS, { firmId: 'circuitra', machineId: MACHINE, metric: METRIC, first: 1000 });
    expect(r.errors).toBeUndefined();
    const rows = at(r.data, 'firm.sensorReadings') as Json[];
    expect(rows).toHaveLength(READINGS_PER_SERIES);
    expect(new Set(rows.map((x) => x.machineId))).toEqual(new Set([MACHINE]));
    expect(rows.every((x) => x.unit === '°C' && typeof x.value === 'number')).toBe(true);
    const times = rows.map((x) => String(x.at)).sort();
    const [from, to] = [times[10], times[30]];
    const window = await gql(tokens.planner, READINGS, { firmId: 'circuitra', machineId: MACHINE, from, to, first: 1000 });
    expect((at(window.data, 'firm.sensorReadings') as Json[]).map((x) => x.at).sort()).toEqual(times.slice(10, 30));

    const seen: unknown[] = [];
    let after: unknown = null;
    do {
      const page = await gql(tokens.planner, READINGS_PAGE, { firmId: 'circuitra', machineId: MACHINE, after });
      expect(page.errors).toBeUndefined();
      seen.push(...(at(page.data, 'firm.sensorReadingsConnection.nodes') as Json[]).map((n) => n.readingId));
      after = at(page.data, 'firm.sensorReadingsConnection.pageInfo.hasNextPage') ? at(page.data, 'firm.sensorReadingsConnection.pageInfo.endCursor') : null;
    } while (after);
    expect(seen).toEqual(rows.map((x) => x.readingId).sort());
  });

  it('refuses an empty or invalid time range on the list (BAD_USER_INPUT)', async () => {
    const empty = await gql(tokens.planner, READINGS, { firmId: 'circuitra', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(at(empty.data, 'firm.sensorReadings')).toBeNull();
  });

  it("gives a customer's quality engineer no reading (FORBIDDEN, logged as denied at the owner) and no signal before a detection", async () => {
    const r = await gql(tokens.customerQuality, READINGS, { firmId: 'circuitra', machineId: MACHINE });
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.errors?.[0]?.extensions).toMatchObject({ firmId: 'circuitra', type: 'SensorReading' });
    expect(at(r.data, 'firm.sensorReadings')).toBeNull();
    const log = await gql(tokens.admin, '{ firm(id: "circuitra") { accessLog(callerFirm: "avionix", first: 5) { callerSubject deniedFields } } }');
    expect((at(log.data, 'firm.accessLog') as Json[]).find((e) => e.callerSubject === 'qe@avionix')).toBeDefined();
    const anomalies = await gql(tokens.customerQuality, ANOMALIES, { firmId: 'circuitra' });
    expect(anomalies.errors).toBeUndefined();
    expect((at(anomalies.data, 'firm.sensorAnomalies') as Json[]).filter((a) => a.method !== null)).toEqual([]);
  });

  it('detects the seeded drift with EWMA: every signal a SensorAnomaly linked to its run and the lots that run made, recorded in the write log', async () => {
    const readings = at((await gql(tokens.planner, READINGS, { firmId: 'circuitra', machineId: MACHINE, metric: METRIC, first: 1000 })).data, 'firm.sensorReadings') as Json[];
    const series = [...readings].sort((a, b) => (String(a.at) < String(b.at) ? -1 : 1));
    const expected = detect('EWMA', series.map((x) => ({ time: String(x.at), value: Number(x.value) })), 50);
    expect(expected.length).toBeGreaterThan(0);

    const r = await gql(tokens.quality, DETECT, { firmId: 'circuitra', input: { machineId: MACHINE, metric: METRIC, method: 'EWMA', inControlPoints: 50 } });
    expect(r.errors).toBeUndefined();
    const result = at(r.data, 'detectSensorAnomalies') as Json;
    expect(result).toMatchObject({ method: 'EWMA', points: READINGS_PER_SERIES, written: expected.length });
    expect(result.changes).toEqual([expect.objectContaining({ table: 'sensorAnomalies', upserted: expected.length })]);
    const anomalies = result.anomalies as Json[];
    expect(anomalies.map((a) => [a.detectedAt, a.rule, a.value, a.threshold])).toEqual(expected.map((s) => [s.time, s.rule, s.value, s.limit]));
    for (const [i, a] of anomalies.entries()) {
      expect(a).toMatchObject({ machineId: MACHINE, metric: METRIC, method: 'EWMA', severity: 'MEDIUM' });
      expect(a.runId).toBe(series[expected[i]?.index ?? -1]?.runId ?? null);
    }
    const linked = anomalies.filter((a) => a.runId !== null);
    expect(linked.length).toBeGreaterThan(0);
    for (const a of linked) {
      expect(at(a, 'productionRun.runId')).toBe(a.runId);
      const lots = a.lots as Json[];
      expect(lots.length).toBeGreaterThan(0);
      for (const lot of lots) expect(lot.runId).toBe(a.runId);
    }

    const log = await gql(tokens.admin, WRITE_LOG, { firmId: 'circuitra' });
    expect(at(log.data, 'firm.writeLog')).toEqual([
      { seq: result.seq, actorSubject: 'qe@circuitra', roles: ['quality'], operation: 'detectSensorAnomalies', detail: `EWMA on ${MACHINE} / ${METRIC}: ${READINGS_PER_SERIES} readings, ${expected.length} signals`, changes: [{ table: 'sensorAnomalies', upserted: expected.length }] },
    ]);
    expect(at(log.data, 'firm.writeLogVerification.ok')).toBe(true);
  });

  it('is idempotent: a second run on the same readings writes nothing and answers the same anomalies', async () => {
    const before = await spcAnomalies();
    const input = { machineId: MACHINE, metric: METRIC, method: 'EWMA', inControlPoints: 50 };
    const r = await gql(tokens.erp, DETECT, { firmId: 'circuitra', input });
    expect(r.errors).toBeUndefined();
    expect(at(r.data, 'detectSensorAnomalies.written')).toBe(0);
    expect(at(r.data, 'detectSensorAnomalies.changes')).toEqual([]);
    expect((at(r.data, 'detectSensorAnomalies.anomalies') as Json[]).length).toBe(before);
    expect(await spcAnomalies()).toBe(before);
  });

  it("shows the customer's quality engineer the signals with their run's lots, still without the readings", async () => {
    const r = await gql(tokens.customerQuality, ANOMALIES, { firmId: 'circuitra' });
    expect(r.errors).toBeUndefined();
    const signals = (at(r.data, 'firm.sensorAnomalies') as Json[]).filter((a) => a.method === 'EWMA');
    expect(signals.length).toBe(await spcAnomalies());
    expect(signals.some((a) => (a.lots as Json[]).length > 0)).toBe(true);
    // A customer planner (not quality) sees no anomaly of circuitra's at all.
    const planner = await gql(tokens.customerPlanner, ANOMALIES, { firmId: 'circuitra' });
    expect(codes(planner)).toContain('FORBIDDEN');
  });

  it("refuses a detection to anyone but the owner's quality or integration users, with FORBIDDEN; nothing is written", async () => {
    const before = await spcAnomalies();
    const input = { machineId: MACHINE, metric: METRIC, method: 'CUSUM' };
    for (const token of [tokens.customerQuality, tokens.lead, tokens.planner, tokens.admin]) {
      const r = await gql(token, DETECT, { firmId: 'circuitra', input });
      expect(codes(r)).toEqual(['FORBIDDEN']);
      expect(r.errors?.[0]?.extensions).toMatchObject({ firmId: 'circuitra', roles: ['quality', 'integration'] });
      expect(at(r.data, 'detectSensorAnomalies')).toBeNull();
    }
    expect(await spcAnomalies()).toBe(before);
  });

  it('refuses bad input with BAD_USER_INPUT naming the input and a stable problem; nothing is written', async () => {
    const before = await spcAnomalies();
    const refuse = async (input: Json) => {
      const r = await gql(tokens.quality, DETECT, { firmId: 'circuitra', input: { machineId: MACHINE, metric: METRIC, method: 'EWMA', ...input } });
      expect(codes(r), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      return r.errors?.[0]?.extensions ?? {};
    };
    await refuse({ method: 'SHEWHART' });
    expect(await refuse({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toMatchObject({ firmId: 'circuitra' });
    expect(await refuse({ inControlPoints: 1 })).toMatchObject({ key: 'input.inControlPoints', problem: 'WRONG_TYPE' });
    expect(await refuse({ inControlPoints: READINGS_PER_SERIES + 1 })).toMatchObject({ key: 'input.inControlPoints', problem: 'SPC_TOO_FEW_POINTS' });
    expect(await refuse({ machineId: 'circuitra-M99' })).toMatchObject({ problem: 'SPC_TOO_FEW_POINTS' });
    expect(await spcAnomalies()).toBe(before);
  });

  it('detects a shift in readings its MES has just written (CUSUM and Western Electric), in the window asked for', async () => {
    const run = at((await gql(tokens.planner, '{ firm(id: "circuitra") { productionRuns(first: 1) { runId } } }')).data, 'firm.productionRuns') as Json[];
    const runId = String(run[0]?.runId);
    const base = Date.UTC(2026, 10, 10);
    // A saw-tooth around 100 (σ ≈ 1.1) for 30 readings, then 100 + 4.
    const values = Array.from({ length: 40 }, (_, i) => 100 + [-1.5, -0.5, 0.5, 1.5][i % 4]! + (i >= 30 ? 4 : 0));
    const sensorReadings = values.map((value, i) => ({ readingId: `circuitra-T${String(i).padStart(3, '0')}`, machineId: 'circuitra-M99', metric: 'test load N', at: new Date(base + i * 60_000).toISOString(), value, unit: 'N', runId }));
    const w = await gql(tokens.erp, WRITE, { firmId: 'circuitra', upsert: { sensorReadings } });
    expect(w.errors).toBeUndefined();
    expect(at(w.data, 'writeRows.changes')).toEqual([{ table: 'sensorReadings', upserted: 40 }]);

    const cusum = await gql(tokens.quality, DETECT, { firmId: 'circuitra', input: { machineId: 'circuitra-M99', metric: 'test load N', method: 'CUSUM', inControlPoints: 30 } });
    expect(cusum.errors).toBeUndefined();
    const signals = at(cusum.data, 'detectSensorAnomalies.anomalies') as Json[];
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((s) => s.rule === 'CUSUM_UPPER' && s.runId === runId && String(s.detectedAt) >= new Date(base + 30 * 60_000).toISOString())).toBe(true);

    // Only the window asked for is charted: before the shift there is nothing to find.
    const quiet = await gql(tokens.quality, DETECT, {
      firmId: 'circuitra',
      input: { machineId: 'circuitra-M99', metric: 'test load N', method: 'WESTERN_ELECTRIC', inControlPoints: 12, to: new Date(base + 30 * 60_000).toISOString() },
    });
    expect(quiet.errors).toBeUndefined();
    expect(at(quiet.data, 'detectSensorAnomalies')).toMatchObject({ points: 30, written: 0, anomalies: [] });
    const we = await gql(tokens.quality, DETECT, { firmId: 'circuitra', input: { machineId: 'circuitra-M99', metric: 'test load N', method: 'WESTERN_ELECTRIC', inControlPoints: 12 } });
    expect(we.errors).toBeUndefined();
    expect((at(we.data, 'detectSensorAnomalies.anomalies') as Json[]).some((a) => a.rule === 'WE1' && a.severity === 'HIGH')).toBe(true);
  });

  it("computes Cpk per characteristic over the inspections the caller may read, under the owner's policy", async () => {
    const r = await gql(tokens.quality, CAPABILITY, { firmId: 'circuitra' });
    expect(r.errors).toBeUndefined();
    const groups = at(r.data, 'firm.processCapability') as Json[];
    const inspections = at(r.data, 'firm.qualityInspections') as Json[];
    expect(groups.reduce((n, g) => n + Number(g.n), 0)).toBe(inspections.length);
    for (const g of groups.filter((x) => x.cpk !== null)) {
      const values = inspections.filter((q) => q.characteristic === g.characteristic && q.lowerLimit === g.lowerLimit && q.upperLimit === g.upperLimit).map((q) => Number(q.value));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const sigma = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
      expect(g.n).toBe(values.length);
      expect(Number(g.cpk)).toBeCloseTo(Math.min(Number(g.upperLimit) - mean, mean - Number(g.lowerLimit)) / (3 * sigma), 9);
    }
    const one = String(groups[0]?.characteristic);
    const only = await gql(tokens.quality, CAPABILITY, { firmId: 'circuitra', characteristic: one });
    expect(new Set((at(only.data, 'firm.processCapability') as Json[]).map((g) => g.characteristic))).toEqual(new Set([one]));

    // A customer planner sees inspections only for a quality investigation (circuitra's rule): without the purpose, FORBIDDEN.
    const customer = await gql(tokens.customerPlanner, CAPABILITY, { firmId: 'circuitra' });
    expect(codes(customer)).toContain('FORBIDDEN');
    expect(at(customer.data, 'firm.processCapability')).toBeNull();
    const investigating = await gql(cluster.token('avionix', { roles: ['planner'], purpose: 'quality-investigation' }), CAPABILITY, { firmId: 'circuitra' });
    expect(investigating.errors).toBeUndefined();
    expect(at(investigating.data, 'firm.processCapability')).toEqual(groups);
  });
});
