import type { ColumnSpec } from './tableSpecs.js';

/** A typed value, as the drizzle tables take it: instants as Date, calendar dates as `YYYY-MM-DD`. */
export type TypedValue = string | number | Date | null;

/** Why a value was refused: a stable code and a sentence for the operator. */
export interface ValueProblem {
  code: 'MISSING_VALUE' | 'WRONG_TYPE' | 'UNKNOWN_ENUM_VALUE';
  reason: string;
}

export type ParsedValue = { ok: true; value: TypedValue } | { ok: false; problem: ValueProblem };

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const INT32 = 2_147_483_647;
/** Ids are short, printable and without surrounding blanks. */
const ID_MAX = 200;

const wrong = (reason: string): ParsedValue => ({ ok: false, problem: { code: 'WRONG_TYPE', reason } });
const shown = (raw: unknown): string => {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? String(raw);
  return `'${text.length > 60 ? `${text.slice(0, 60)}…` : text}'`;
};

function validCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function parseNumber(column: ColumnSpec, raw: string | number): ParsedValue {
  const n = typeof raw === 'number' ? raw : (column.type === 'int' ? INT : FLOAT).test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isFinite(n)) return wrong(`wrong type: ${shown(raw)} is not ${column.type === 'int' ? 'an integer' : 'a finite number'}`);
  if (column.type === 'int' && (!Number.isInteger(n) || Math.abs(n) > INT32)) {
    return wrong(`wrong type: ${shown(raw)} is not an integer between -${INT32} and ${INT32}`);
  }
  return { ok: true, value: n };
}

function parseDate(raw: string): ParsedValue {
  const m = DATE.exec(raw.trim());
  if (!m || !validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return wrong(`wrong type: ${shown(raw)} is not a calendar date (YYYY-MM-DD, e.g. 2026-03-01)`);
  }
  return { ok: true, value: raw.trim() };
}

function parseDateTime(raw: string): ParsedValue {
  const text = raw.trim();
  const m = DATETIME.exec(text);
  if (!m) {
    const noZone = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
    return wrong(
      noZone
        ? `wrong type: ${shown(raw)} has no time zone (write it in UTC with Z, e.g. 2026-03-01T08:00:00Z, or with an offset)`
        : `wrong type: ${shown(raw)} is not an ISO-8601 date and time (e.g. 2026-03-01T08:00:00Z)`,
    );
  }
  const [hh, mm, ss] = [Number(m[4]), Number(m[5]), Number(m[7] ?? '0')];
  const date = new Date(text.replace(' ', 'T'));
  if (!validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) || hh > 23 || mm > 59 || ss > 59 || Number.isNaN(date.getTime())) {
    return wrong(`wrong type: ${shown(raw)} is not a valid date and time`);
  }
  return { ok: true, value: date };
}

function parseId(column: ColumnSpec, raw: string): ParsedValue {
  if (raw !== raw.trim()) return wrong(`wrong type: ${shown(raw)} has blanks around it (an id is used as written)`);
  if (raw.length > ID_MAX) return wrong(`wrong type: ${column.name} is ${raw.length} characters long (at most ${ID_MAX})`);
  if (/[\u0000-\u001f\u007f]/.test(raw)) return wrong(`wrong type: ${shown(raw)} holds a control character`);
  return { ok: true, value: raw };
}

/** A JSON list of strings (the governance tables' `types` and `fields`), as JSON or as its text. */
function parseStringList(raw: unknown): ParsedValue {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return wrong(`wrong type: ${shown(raw)} is not JSON`);
    }
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return wrong(`wrong type: ${shown(raw)} is not a list of strings`);
  return { ok: true, value: JSON.stringify(value) };
}

/**
 * Parses one raw value of a column: a CSV cell (a string) or a JSON value. An empty string,
 * null or undefined is "no value": refused for a required column, null otherwise. Numbers
 * may come as JSON numbers or as strings; instants as ISO-8601 with a time zone; calendar
 * dates as `YYYY-MM-DD`; enum values exactly as listed.
 * @example
 * parseValue(statusColumn, 'on hold')
 * // { ok: false, problem: { code: 'UNKNOWN_ENUM_VALUE', reason: "unknown enum value 'on hold' (expected one of RELEASED, ...)" } }
 * parseValue(quantityColumn, '12.5') // { ok: true, value: 12.5 }
 */
export function parseValue(column: ColumnSpec, raw: unknown): ParsedValue {
  if (raw === undefined || raw === null || raw === '') {
    return column.required ? { ok: false, problem: { code: 'MISSING_VALUE', reason: `missing value: ${column.name} is required` } } : { ok: true, value: null };
  }
  if (column.type === 'int' || column.type === 'float') {
    if (typeof raw !== 'string' && typeof raw !== 'number') return wrong(`wrong type: expected a number, got ${shown(raw)}`);
    return parseNumber(column, raw);
  }
  if (column.type === 'json') return parseStringList(raw);
  if (typeof raw !== 'string') return wrong(`wrong type: expected a string, got ${shown(raw)}`);
  switch (column.type) {
    case 'enum': {
      const values = column.enumValues ?? [];
      if (values.includes(raw)) return { ok: true, value: raw };
      return { ok: false, problem: { code: 'UNKNOWN_ENUM_VALUE', reason: `unknown enum value ${shown(raw)} (expected one of ${values.join(', ')})` } };
    }
    case 'date':
      return parseDate(raw);
    case 'datetime':
      return parseDateTime(raw);
    case 'id':
      return parseId(column, raw);
    default:
      return { ok: true, value: raw };
  }
}
