import type { SpcPoint } from '../../../spc/index.js';

/** Points at 1-minute steps from 2026-01-01T00:00Z, one per value. */
export function series(values: readonly number[]): SpcPoint[] {
  return values.map((value, i) => ({ time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), value }));
}
