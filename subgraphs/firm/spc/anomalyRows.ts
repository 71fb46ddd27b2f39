import { createHash } from 'node:crypto';
import type { SpcRule, SpcSignal } from '../../../spc/index.js';
import type { Severity } from '../db/statuses.js';

/** The series a detection charted: whose machine, which metric, and each point's run. */
export interface ChartedSeries {
  firmId: string;
  machineId: string;
  metric: string;
  /** The run of each point (by the point's index), as its reading names it. */
  runIds: readonly (string | null)[];
}

/** A SensorAnomaly row as the write API takes it (`upsert.sensorAnomalies[i]`). */
export type AnomalyRow = {
  firmId: string;
  anomalyId: string;
  machineId: string;
  metric: string;
  value: number;
  threshold: number;
  detectedAt: string;
  severity: Severity;
  runId: string | null;
  method: string;
  rule: string;
};

/**
 * How serious a signal is: a point beyond 3σ (WE1) is HIGH; an EWMA or CUSUM signal, or 2 of
 * 3 beyond 2σ (WE2), MEDIUM; the run rules WE3 and WE4 (a small sustained shift) LOW.
 */
export const SEVERITY_OF_RULE: Readonly<Record<SpcRule, Severity>> = {
  EWMA_UPPER: 'MEDIUM',
  EWMA_LOWER: 'MEDIUM',
  CUSUM_UPPER: 'MEDIUM',
  CUSUM_LOWER: 'MEDIUM',
  WE1: 'HIGH',
  WE2: 'MEDIUM',
  WE3: 'LOW',
  WE4: 'LOW',
};

/**
 * The id of the anomaly a signal is: the same machine, metric, method, rule and instant
 * always give the same id, so that running a detection again writes nothing new.
 * @example anomalyIdOf('circuitra', 'circuitra-M11', 'reflow oven peak temperature °C', 'EWMA', 'EWMA_UPPER', '2026-11-20T06:00:00.000Z') // 'circuitra-SPC-…'
 */
export function anomalyIdOf(firmId: string, machineId: string, metric: string, method: string, rule: string, time: string): string {
  const digest = createHash('sha256').update([machineId, metric, method, rule, new Date(time).toISOString()].join('\n')).digest('hex');
  return `${firmId}-SPC-${digest.slice(0, 20)}`;
}

/**
 * Each signal as a SensorAnomaly row: the charted statistic as `value`, the limit it crossed
 * as `threshold`, the signalling point's instant and run, the method and rule, and a
 * severity by rule ({@link SEVERITY_OF_RULE}). Pure.
 * @example anomalyRows(series, ewma(points))
 */
export function anomalyRows(series: ChartedSeries, signals: readonly SpcSignal[]): AnomalyRow[] {
  return signals.map((s) => ({
    firmId: series.firmId,
    anomalyId: anomalyIdOf(series.firmId, series.machineId, series.metric, s.method, s.rule, s.time),
    machineId: series.machineId,
    metric: series.metric,
    value: s.value,
    threshold: s.limit,
    detectedAt: s.time,
    severity: SEVERITY_OF_RULE[s.rule],
    runId: series.runIds[s.index] ?? null,
    method: s.method,
    rule: s.rule,
  }));
}
