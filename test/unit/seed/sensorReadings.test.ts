import { describe, expect, it } from 'vitest';
import { DEMO_TOPOLOGY } from '../../../demo/topology.js';
import { generateCluster } from '../../../seed/generateCluster.js';
import { DRIFTING_SERIES, READINGS_PER_SERIES } from '../../../seed/planSensorReadings.js';
import { detect, type SpcMethod } from '../../../spc/index.js';

const HOUR = 3_600_000;

describe('generated sensor readings', () => {
  const cluster = generateCluster(DEMO_TOPOLOGY, { seed: 42, lotsPerFirm: 12 });
  const series = Object.values(cluster.firms).flatMap((firm) => {
    const byKey = new Map<string, typeof firm.sensorReadings>();
    for (const r of firm.sensorReadings) byKey.set(`${r.machineId}|${r.metric}`, [...(byKey.get(`${r.machineId}|${r.metric}`) ?? []), r]);
    return [...byKey.values()].map((readings) => ({ firm, readings }));
  });
  const signals = (method: SpcMethod, readings: (typeof series)[number]['readings'], n: number) =>
    detect(method, readings.map((r) => ({ time: r.at.toISOString(), value: r.value })), n);

  it('are the same for the same seed, and one hourly series per line of every firm', () => {
    expect(generateCluster(DEMO_TOPOLOGY, { seed: 42, lotsPerFirm: 12 }).firms.circuitra?.sensorReadings).toEqual(cluster.firms.circuitra?.sensorReadings);
    for (const { readings } of series) {
      expect(readings).toHaveLength(READINGS_PER_SERIES);
      readings.forEach((r, i) => i > 0 && expect(r.at.getTime() - (readings[i - 1]?.at.getTime() ?? 0)).toBe(HOUR));
    }
    expect(series.length).toBe(Object.keys(cluster.firms).length * 3);
    expect(new Set(series.flatMap((s) => s.readings.map((r) => r.readingId))).size).toBe(series.length * READINGS_PER_SERIES);
  });

  it('point at runs of their own firm only', () => {
    for (const { firm, readings } of series) {
      const runs = new Set(firm.productionRuns.map((r) => r.runId));
      for (const r of readings) if (r.runId) expect(runs.has(r.runId), r.readingId).toBe(true);
    }
  });

  it('drift in exactly one series, which EWMA flags (with 20 or 50 in-control points) and no other series trips', () => {
    for (const n of [20, 50]) {
      const flagged = series.filter(({ readings }) => signals('EWMA', readings, n).length > 0).map(({ readings }) => readings[0]?.machineId);
      expect(flagged, `inControlPoints ${n}`).toEqual([DRIFTING_SERIES.machineId]);
    }
  });

  it("puts the drift's signals in a run that made a lot", () => {
    const drift = series.find(({ readings }) => readings[0]?.machineId === DRIFTING_SERIES.machineId);
    const found = signals('EWMA', drift?.readings ?? [], 50);
    const runIds = new Set(found.map((s) => drift?.readings[s.index]?.runId).filter((id): id is string => typeof id === 'string'));
    expect(runIds.size).toBeGreaterThan(0);
    const lots = cluster.firms.circuitra?.lots.filter((l) => l.runId && runIds.has(l.runId)) ?? [];
    expect(lots.length).toBeGreaterThan(0);
    expect(found.every((s) => s.rule === 'EWMA_UPPER')).toBe(true);
  });
});
