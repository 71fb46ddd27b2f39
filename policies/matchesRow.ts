import type { BoundRowFilter, FilterLiteral } from './rowFilter.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch of an ISO date or date-time; no zone means UTC, as in the schema. */
function isoTime(text: string): number | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const withZone = text.length > 10 && m[1] === undefined ? `${text}Z` : text;
  const t = Date.parse(withZone.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
}

function asNumber(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function sign(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders a row value against a filter literal: <0, 0, >0, or undefined when they do not
 * compare (then only `ne` holds). Dates (Date objects or ISO strings) compare as instants,
 * numbers (or numeric strings, as drivers return NUMERIC) as numbers, other strings by code point.
 */
function compare(rowValue: unknown, literal: FilterLiteral): number | undefined {
  let value = rowValue;
  if (typeof value === 'bigint') value = Number(value);
  if (value instanceof Date) {
    const t = typeof literal === 'string' ? isoTime(literal) : typeof literal === 'number' ? literal : undefined;
    return t === undefined || Number.isNaN(value.getTime()) ? undefined : sign(value.getTime(), t);
  }
  if (typeof value === 'boolean') return typeof literal === 'boolean' ? sign(Number(value), Number(literal)) : undefined;
  if (typeof value === 'number') {
    const n = typeof literal === 'number' ? literal : typeof literal === 'string' ? asNumber(literal) : undefined;
    return n === undefined ? undefined : sign(value, n);
  }
  if (typeof value === 'string') {
    if (typeof literal === 'number') {
      const n = asNumber(value);
      return n === undefined ? undefined : sign(n, literal);
    }
    if (typeof literal === 'boolean') return undefined;
    const a = isoTime(value);
    const b = isoTime(literal);
    if (a !== undefined && b !== undefined) return sign(a, b);
    return sign(value, literal);
  }
  return undefined;
}

/**
 * Evaluates a bound row filter on a fetched row, as its SQL translation does: a null or
 * absent field satisfies no comparison except `ne` (null is not equal to any value).
 * @example matchesRow({ kind: 'cmp', field: 'customerId', op: 'eq', value: 'skyframe' }, { customerId: 'skyframe' }) // true
 */
export function matchesRow(filter: BoundRowFilter, row: Readonly<Record<string, unknown>>): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.items.every((item) => matchesRow(item, row));
    case 'or':
      return filter.items.some((item) => matchesRow(item, row));
    case 'not':
      return !matchesRow(filter.item, row);
    case 'cmp': {
      const value = row[filter.field];
      if (value === null || value === undefined) return filter.op === 'ne';
      if (filter.op === 'in') return filter.value.some((literal) => compare(value, literal) === 0);
      const c = compare(value, filter.value);
      switch (filter.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'gt':
          return c !== undefined && c > 0;
        case 'gte':
          return c !== undefined && c >= 0;
        case 'lt':
          return c !== undefined && c < 0;
        case 'lte':
          return c !== undefined && c <= 0;
      }
    }
  }
}
