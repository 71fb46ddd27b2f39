import { describe, expect, it } from 'vitest';
import { anomalyIdOf, anomalyRows, SEVERITY_OF_RULE } from '../../../subgraphs/firm/spc/anomalyRows.js';
import { capabilityGroups } from '../../../subgraphs/firm/spc/capabilityGroups.js';
import type { SpcSignal } from '../../../spc/index.js';

const series = { firmId: 'circuitra', machineId: 'circuitra-M11', metric: 'reflow °C', runIds: ['circuitra-R1', null, 'circuitra-R2'] };
const signal = (index: number, rule: SpcSignal['rule'], method: SpcSignal['method'] = 'EWMA'): SpcSignal => ({
  index, time: `2026-11-0${index + 1}T00:00:00.000Z`, method, rule, value: 10 + index, limit: 9,
});

describe('anomalyRows: each SPC signal as a SensorAnomaly row', () => {
  it('carries the statistic as value, the limit as threshold, the instant, method, rule and the reading’s run', () => {
    expect(anomalyRows(series, [signal(0, 'EWMA_UPPER'), signal(1, 'EWMA_UPPER')])).toEqual([
      { firmId: 'circuitra', anomalyId: anomalyIdOf('circuitra', 'circuitra-M11', 'reflow °C', 'EWMA', 'EWMA_UPPER', '2026-11-01T00:00:00.000Z'), machineId: 'circuitra-M11', metric: 'reflow °C', value: 10, threshold: 9, detectedAt: '2026-11-01T00:00:00.000Z', severity: 'MEDIUM', runId: 'circuitra-R1', method: 'EWMA', rule: 'EWMA_UPPER' },
      expect.objectContaining({ runId: null, detectedAt: '2026-11-02T00:00:00.000Z', value: 11 }),
    ]);
  });

  it('gives the same signal the same id every time, and another machine, metric, method, rule or instant another one', () => {
    const id = anomalyIdOf('circuitra', 'M1', 'm', 'EWMA', 'EWMA_UPPER', '2026-11-01T00:00:00Z');
    expect(anomalyIdOf('circuitra', 'M1', 'm', 'EWMA', 'EWMA_UPPER', '2026-11-01T00:00:00.000Z')).toBe(id);
    expect(id).toMatch(/^circuitra-SPC-[0-9a-f]{20}$/);
    const others = [
      anomalyIdOf('circuitra', 'M2', 'm', 'EWMA', 'EWMA_UPPER', '2026-11-01T00:00:00Z'),
      anomalyIdOf('circuitra', 'M1', 'n', 'EWMA', 'EWMA_UPPER', '2026-11-01T00:00:00Z'),
      anomalyIdOf('circuitra', 'M1', 'm', 'CUSUM', 'EWMA_UPPER', '2026-11-01T00:00:00Z'),
      anomalyIdOf('circuitra', 'M1', 'm', 'EWMA', 'EWMA_LOWER', '2026-11-01T00:00:00Z'),
      anomalyIdOf('circuitra', 'M1', 'm', 'EWMA', 'EWMA_UPPER', '2026-11-01T01:00:00Z'),
    ];
    expect(new Set([id, ...others]).size).toBe(6);
  });

  it('rates a point beyond 3σ HIGH, the run rules LOW, the others MEDIUM', () => {
    expect(anomalyRows(series, [signal(0, 'WE1', 'WESTERN_ELECTRIC'), signal(1, 'WE4', 'WESTERN_ELECTRIC'), signal(2, 'CUSUM_LOWER', 'CUSUM')]).map((r) => r.severity)).toEqual(['HIGH', 'LOW', 'MEDIUM']);
    expect(Object.keys(SEVERITY_OF_RULE).sort()).toEqual(['CUSUM_LOWER', 'CUSUM_UPPER', 'EWMA_LOWER', 'EWMA_UPPER', 'WE1', 'WE2', 'WE3', 'WE4']);
  });
});

describe('capabilityGroups: Cpk per characteristic and limits', () => {
  const v = (characteristic: string, value: number, lowerLimit = 9.5, upperLimit = 10.5) => ({ characteristic, unit: 'mm', lowerLimit, upperLimit, value });

  it('computes Cpk = min(USL − μ, μ − LSL) / 3σ per group, a change of limits starting another group', () => {
    const groups = capabilityGroups([v('bore', 9.9), v('bore', 10), v('bore', 10.1), v('bore', 10.2, 9, 11), v('bore', 10.4, 9, 11), v('alpha', 1, 0, 2), v('alpha', 1.5, 0, 2)]);
    expect(groups.map((g) => [g.characteristic, g.lowerLimit, g.upperLimit, g.n])).toEqual([['alpha', 0, 2, 2], ['bore', 9, 11, 2], ['bore', 9.5, 10.5, 3]]);
    const bore = groups[2];
    expect(bore?.mean).toBeCloseTo(10, 10);
    expect(bore?.sigma).toBeCloseTo(0.1, 10);
    expect(bore?.cpk).toBeCloseTo(0.5 / 0.3, 10);
    // μ = 10.3, σ = √0.02: min(0.7, 1.3) / (3σ)
    expect(groups[1]?.cpk).toBeCloseTo(0.7 / (3 * Math.sqrt(0.02)), 10);
  });

  it('says why Cpk is missing: one value, no spread', () => {
    const [one, flat] = capabilityGroups([v('a', 10), v('b', 10), v('b', 10)]);
    expect(one).toMatchObject({ n: 1, cpk: null, reason: 'SPC_TOO_FEW_POINTS', mean: 10 });
    expect(flat).toMatchObject({ n: 2, cpk: null, reason: 'SPC_ZERO_SIGMA' });
  });
});
