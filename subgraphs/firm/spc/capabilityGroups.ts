import { cpk, SpcError, type CpkResult } from '../../../spc/index.js';

/** One inspection as Cpk needs it. */
export interface InspectionValue {
  characteristic: string;
  unit: string | null;
  lowerLimit: number;
  upperLimit: number;
  value: number;
}

/** The schema's `ProcessCapability`: Cpk of one characteristic at one set of limits. */
export interface CapabilityView {
  characteristic: string;
  unit: string | null;
  lowerLimit: number;
  upperLimit: number;
  n: number;
  mean: number;
  sigma: number;
  cpk: number | null;
  reason: string | null;
}

/**
 * Cpk per characteristic, unit and specification limits (inspections whose limits changed
 * are another group), in characteristic then limit order. A group Cpk cannot be computed for
 * (one value, no spread) has `cpk: null` and the statistic's code as `reason`. Pure.
 * @example capabilityGroups([{ characteristic: 'bore', unit: 'mm', lowerLimit: 9.5, upperLimit: 10.5, value: 9.9 }, ...])
 */
export function capabilityGroups(values: readonly InspectionValue[]): CapabilityView[] {
  const groups = new Map<string, { head: InspectionValue; values: number[] }>();
  for (const v of values) {
    const key = JSON.stringify([v.characteristic, v.unit, v.lowerLimit, v.upperLimit]);
    const group = groups.get(key) ?? { head: v, values: [] };
    group.values.push(v.value);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort(
    (a, b) => (a.head.characteristic < b.head.characteristic ? -1 : a.head.characteristic > b.head.characteristic ? 1 : a.head.lowerLimit - b.head.lowerLimit || a.head.upperLimit - b.head.upperLimit),
  );
  return sorted.map(({ head, values: sample }) => {
    const base = { characteristic: head.characteristic, unit: head.unit, lowerLimit: head.lowerLimit, upperLimit: head.upperLimit, n: sample.length };
    const mean = sample.reduce((s, x) => s + x, 0) / sample.length;
    try {
      const [result] = cpk([{ characteristic: head.characteristic, values: sample, lsl: head.lowerLimit, usl: head.upperLimit }]) as [CpkResult];
      return { ...base, mean: result.mean, sigma: result.sigma, cpk: result.cpk, reason: null };
    } catch (error) {
      if (!(error instanceof SpcError)) throw error;
      return { ...base, mean, sigma: 0, cpk: null, reason: error.code };
    }
  });
}
