import type { CoarsenSpec, DateGrain } from './policyFile.js';

const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function decimals(step: number): number {
  const text = String(step);
  const e = /e-(\d+)$/.exec(text);
  if (e) return Number(e[1]);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

function roundToStep(value: number, step: number): number {
  const rounded = Math.round(value / step) * step;
  return Number(rounded.toFixed(Math.min(20, decimals(step))));
}

function truncate(at: Date, grain: DateGrain): Date {
  const day = Math.floor(at.getTime() / DAY) * DAY;
  if (grain === 'day') return new Date(day);
  if (grain === 'week') return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/**
 * A value coarsened as a rule says. Numbers (and numeric strings, as drivers return NUMERIC)
 * are rounded to the nearest multiple of `step`; dates (Date, or ISO string) are truncated
 * in UTC to the day, the ISO week (Monday 00:00) or the month, keeping their form: a Date
 * stays a Date, an ISO date-time string becomes an ISO date-time string, a date-only string
 * stays date-only. null and undefined stay as they are. Fails closed: a value that cannot be
 * coarsened (a word where a number was expected...) becomes null, never the exact value.
 * @example coarsenValue(1234, { step: 50 })                           // 1250
 * @example coarsenValue('2026-11-27T08:30:00Z', { to: 'week' })       // '2026-11-23T00:00:00.000Z'
 */
export function coarsenValue(value: unknown, spec: CoarsenSpec): unknown {
  if (value === null || value === undefined) return value;
  if (spec.step !== undefined) {
    const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) return null;
    const rounded = roundToStep(n, spec.step);
    return typeof value === 'string' ? String(rounded) : rounded;
  }
  if (spec.to !== undefined) {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : truncate(value, spec.to);
    if (typeof value !== 'string') return null;
    const dateOnly = DATE_ONLY.test(value);
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
    const at = new Date(dateOnly ? `${value}T00:00:00Z` : hasZone ? value : `${value}Z`);
    if (Number.isNaN(at.getTime())) return null;
    const out = truncate(at, spec.to).toISOString();
    return dateOnly ? out.slice(0, 10) : out;
  }
  return null;
}
