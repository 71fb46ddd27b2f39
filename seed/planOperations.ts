import type { Random } from './random.js';
import { addDays, HOUR, roundQuantity, type FirmPlan, type LotPlan, type PartPlan, type RunPlan } from './seedModel.js';
import type { Severity } from '../subgraphs/firm/db/statuses.js';

/**
 * Plans a firm's shop-floor data once its lots exist: one DONE production run per lot (plus
 * a few running, held and planned runs at `asOf`), quality inspections of every lot
 * (quarantined and scrapped lots failed one; a few others failed and passed after
 * rework), and sensor anomalies during runs (a held run always has a HIGH one).
 *
 * @example
 * for (const firm of firms) planOperations(firm, { asOf, random });
 */
export function planOperations(firm: FirmPlan, options: { asOf: Date; random: Random }): void {
  const { asOf, random } = options;
  for (const lot of firm.lots) {
    const hours = random.float(6, 72);
    const plannedEnd = addDays(lot.producedAt, random.float(-0.5, 0.25));
    const run = newRun(firm, lot.part, 'DONE', addDays(plannedEnd, -hours / 24), plannedEnd, random);
    run.plannedQuantity = roundQuantity(lot.quantity * (lot.part.uom === 'pcs' ? random.float(1, 1.1) : random.float(0.95, 1.05)), lot.part.uom);
    run.doneQuantity = lot.quantity;
    run.lot = lot;
    lot.run = run;
    inspect(firm, lot, random);
    if (random.chance(0.12)) anomaly(firm, run, severity(random), random);
  }
  const current: Array<[RunPlan['status'], number, number]> = [
    ['RUNNING', -random.float(0.1, 0.8), random.float(0.2, 1.5)],
    ['HELD', -random.float(1, 3), random.float(-0.1, 1)],
    ['PLANNED', random.float(1, 4), random.float(5, 8)],
    ['PLANNED', random.float(5, 9), random.float(10, 14)],
  ];
  for (const [status, startDays, endDays] of current) {
    const part = random.pick(firm.parts);
    const run = newRun(firm, part, status, addDays(asOf, startDays), addDays(asOf, endDays), random);
    run.plannedQuantity = roundQuantity(random.float(part.lotSize[0], part.lotSize[1]), part.uom);
    const share = status === 'RUNNING' ? random.float(0.3, 0.8) : status === 'HELD' ? random.float(0.1, 0.6) : 0;
    run.doneQuantity = share === 0 ? 0 : roundQuantity(run.plannedQuantity * share, part.uom);
    if (status === 'HELD') anomaly(firm, run, 'HIGH', random, asOf);
    if (status === 'RUNNING' && random.chance(0.5)) anomaly(firm, run, 'MEDIUM', random, asOf);
  }
  for (let i = 0; i < 2; i++) {
    const sensor = random.pick(firm.profile.sensors);
    firm.anomalies.push({
      machineId: `${firm.member.id}-M${random.int(1, firm.profile.lines.length)}${random.int(1, 4)}`,
      metric: sensor.metric, threshold: sensor.threshold, value: round(sensor.threshold * random.float(1.02, 1.12)),
      detectedAt: addDays(asOf, -random.float(0.1, 10)), severity: 'LOW', run: null, anomalyId: '',
    });
  }
}

function newRun(firm: FirmPlan, part: PartPlan, status: RunPlan['status'], plannedStart: Date, plannedEnd: Date, random: Random): RunPlan {
  const run: RunPlan = {
    part, line: random.pick(firm.profile.lines), plannedQuantity: 0, doneQuantity: 0, status, plannedStart, plannedEnd, lot: null, runId: '',
  };
  firm.runs.push(run);
  return run;
}

function inspect(firm: FirmPlan, lot: LotPlan, random: Random): void {
  const partIndex = firm.parts.indexOf(lot.part);
  const characteristics = firm.profile.characteristics;
  const first = characteristics[partIndex % characteristics.length] ?? random.pick(characteristics);
  const failed = lot.status === 'QUARANTINED' || lot.status === 'SCRAPPED';
  const reworked = !failed && random.chance(0.06);
  const at = addDays(lot.producedAt, random.float(1, 6) / 24);
  firm.inspections.push(measure(lot, first, failed || reworked, at, random));
  if (reworked) firm.inspections.push(measure(lot, first, false, addDays(at, random.float(0.5, 2)), random));
  if (random.chance(0.3)) {
    const second = random.pick(characteristics);
    if (second !== first) firm.inspections.push(measure(lot, second, false, addDays(at, 0.05), random));
  }
}

function measure(
  lot: LotPlan,
  template: FirmPlan['profile']['characteristics'][number],
  fail: boolean,
  inspectedAt: Date,
  random: Random,
): FirmPlan['inspections'][number] {
  const { nominal, tolerance } = template;
  const offset = fail ? tolerance * random.float(1.05, 1.5) * (random.chance(0.5) ? 1 : -1) : tolerance * random.float(-0.85, 0.85);
  return {
    lot, characteristic: template.characteristic, unit: template.unit, value: round(nominal + offset),
    lowerLimit: round(nominal - tolerance), upperLimit: round(nominal + tolerance),
    result: fail ? 'FAIL' : 'PASS', inspectedAt, inspectionId: '',
  };
}

function severity(random: Random): Severity {
  const roll = random.next();
  return roll < 0.55 ? 'LOW' : roll < 0.85 ? 'MEDIUM' : 'HIGH';
}

const FACTOR: Record<Severity, readonly [number, number]> = { LOW: [1.02, 1.12], MEDIUM: [1.12, 1.3], HIGH: [1.3, 1.8] };

function anomaly(firm: FirmPlan, run: RunPlan, level: Severity, random: Random, notAfter?: Date): void {
  const sensor = random.pick(firm.profile.sensors);
  const lineIndex = firm.profile.lines.indexOf(run.line) + 1;
  const span = run.plannedEnd.getTime() - run.plannedStart.getTime();
  let detectedAt = new Date(run.plannedStart.getTime() + Math.round((random.float(0.1, 0.9) * span) / HOUR) * HOUR);
  if (notAfter && detectedAt.getTime() > notAfter.getTime()) detectedAt = addDays(notAfter, -random.float(0.05, 0.3));
  const [low, high] = FACTOR[level];
  firm.anomalies.push({
    machineId: `${firm.member.id}-M${lineIndex}${random.int(1, 4)}`, metric: sensor.metric, threshold: sensor.threshold,
    value: round(sensor.threshold * random.float(low, high)), detectedAt, severity: level, run, anomalyId: '',
  });
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
