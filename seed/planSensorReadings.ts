import { ewma } from '../spc/ewma.js';
import type { FirmSeed } from './clusterSeed.js';
import { createRandom, type Random } from './random.js';
import { HOUR, type FirmPlan, type RunPlan } from './seedModel.js';

/** Readings per series: one an hour, about a week. */
export const READINGS_PER_SERIES = 160;

/** The one series of the demo cluster that drifts (docs/spc.md): circuitra's first line's first sensor. */
export const DRIFTING_SERIES = { firmId: 'circuitra', machineId: 'circuitra-M11' } as const;

/** How far the drifting series' mean moves, in σ of its noise, once its ramp is over. */
export const DRIFT_SIGMAS = 1.5;

/** Points over which the drift ramps up from 0 to {@link DRIFT_SIGMAS}. */
const RAMP_POINTS = 12;

/** The drift never starts before this point, so that a detection has an in-control phase of 50 points. */
const EARLIEST_DRIFT = 60;

/**
 * The sensor time series of a firm (ids assigned): one series per production line, on the
 * line's first machine (`<firm>-M<line>1`, as the anomalies name machines) and of one of the
 * sector's sensors, {@link READINGS_PER_SERIES} hourly readings ending when the line's last
 * DONE run ended. Each reading carries the run planned on that line at its time (the first
 * such run), or none. Values are the sensor's threshold × 0.9 plus normal noise of 1 % of the
 * threshold, drawn again until the EWMA chart flags none of it; exactly one series of the demo cluster ({@link DRIFTING_SERIES}) drifts: from the
 * start of the run it ends with, its mean ramps up by {@link DRIFT_SIGMAS} σ over 12 readings.
 *
 * The noise comes from a generator of its own, seeded from the cluster's seed and the firm's
 * id, so that adding readings changes none of the other tables' random sequence.
 * @example planSensorReadings(firm, 42) // FirmSeed['sensorReadings']
 */
export function planSensorReadings(firm: FirmPlan, seed: number): FirmSeed['sensorReadings'] {
  const firmId = firm.member.id;
  const random = createRandom(seedOf(seed, firmId));
  const { lines, sensors } = firm.profile;
  const rows: FirmSeed['sensorReadings'] = [];
  lines.forEach((line, index) => {
    const sensor = sensors[index % sensors.length];
    if (!sensor) return;
    const machineId = `${firmId}-M${index + 1}1`;
    const onLine = firm.runs.filter((r) => r.line === line).sort((a, b) => a.plannedStart.getTime() - b.plannedStart.getTime());
    const lastDone = onLine.filter((r) => r.status === 'DONE').at(-1);
    const end = lastDone ? lastDone.plannedEnd.getTime() : Date.UTC(2026, 11, 1);
    const start = end - (READINGS_PER_SERIES - 1) * HOUR;
    const drifts = firmId === DRIFTING_SERIES.firmId && machineId === DRIFTING_SERIES.machineId;
    const onset = lastDone ? Math.max(EARLIEST_DRIFT, Math.ceil((lastDone.plannedStart.getTime() - start) / HOUR)) : EARLIEST_DRIFT;
    const mean = sensor.threshold * 0.9;
    const sigma = sensor.threshold * 0.01;
    const noise = inControlNoise(random);
    for (let i = 0; i < READINGS_PER_SERIES; i++) {
      const at = new Date(start + i * HOUR);
      const shift = drifts && i >= onset ? Math.min(1, (i - onset + 1) / RAMP_POINTS) * DRIFT_SIGMAS * sigma : 0;
      rows.push({
        firmId, readingId: `${firmId}-SR${index + 1}-${String(i + 1).padStart(4, '0')}`, machineId, metric: sensor.metric, at,
        value: round(mean + shift + sigma * (noise[i] ?? 0)), unit: unitOf(sensor.metric), runId: runAt(onLine, at)?.runId ?? null,
      });
    }
  });
  return rows;
}

/** The in-control phases a detection is documented and tested with (docs/spc.md). */
const IN_CONTROL_PHASES = [20, 50] as const;

/**
 * Standard normal noise for one series that the EWMA chart (λ 0.2, L 3) does not flag with
 * either documented in-control phase: a draw that would (a false alarm, about one series in
 * three at this length) is drawn again, so that the one drift is the demo's only EWMA signal.
 */
function inControlNoise(random: Random): number[] {
  for (let attempt = 0; attempt < 100; attempt++) {
    const noise = Array.from({ length: READINGS_PER_SERIES }, () => normal(random));
    const points = noise.map((value, i) => ({ time: String(i), value }));
    if (IN_CONTROL_PHASES.every((n) => ewma(points, { inControlPoints: n }).length === 0)) return noise;
  }
  throw new Error('planSensorReadings: no in-control noise in 100 draws');
}

function runAt(runs: readonly RunPlan[], at: Date): RunPlan | undefined {
  const t = at.getTime();
  return runs.find((r) => r.plannedStart.getTime() <= t && t <= r.plannedEnd.getTime());
}

/** The unit at the end of a metric's name (`spindle vibration mm/s` → `mm/s`). */
function unitOf(metric: string): string | null {
  const last = metric.split(' ').at(-1);
  return last && /[^a-z]/.test(last) ? last : null;
}

/** A standard normal draw (Box-Muller). */
function normal(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function seedOf(seed: number, firmId: string): number {
  let h = (seed ^ 0x5eed5eed) >>> 0;
  for (const ch of firmId) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
