import { parseValue, type TypedValue, type ValueProblem } from './parseValue.js';
import type { TableSpec } from './tableSpecs.js';

/** A row with every column of its table, typed as the drizzle table takes it. */
export type TypedRow = Record<string, TypedValue>;

/** Why a row (or one of its values) was refused. */
export interface RowProblem {
  /** The column (CSV header, JSON key, input field); `''` for the row as a whole. */
  column: string;
  code: ValueProblem['code'] | 'UNKNOWN_COLUMN' | 'NOT_OWN_FIRM' | 'DUPLICATE_KEY' | 'MISSING_REFERENCE';
  reason: string;
}

export type RowResult = { ok: true; row: TypedRow } | { ok: false; problems: RowProblem[] };

/** What a row is checked against besides its table. */
export interface RowContext {
  /** The firm that imports or writes: `firmId` may be left out (it is this firm) and may name no other. */
  firmId: string;
}

/**
 * Checks one raw row (CSV cells as strings, or JSON values) against its table: every column
 * known, required values present, each value of its type (`id`, `text`, `int`, `float`,
 * `enum`, `date`, `datetime`), the owner `firmId` absent or this firm. Returns the typed row
 * (every column present, missing optional values as null, `firmId` filled in), or every
 * problem found, each naming its column. Pure: references to other rows and duplicate keys
 * are checked by the caller, which sees the other rows (`checkReferences`, `KeyRegistry`).
 * @example
 * const result = validateRow(tableSpec('lots'), { lotId: 'L1', partId: 'P1', quantity: '10', uom: 'pcs',
 *   producedAt: '2026-03-01T08:00:00Z', status: 'on hold' }, { firmId: 'titanforge' });
 * // { ok: false, problems: [{ column: 'status', code: 'UNKNOWN_ENUM_VALUE',
 * //   reason: "unknown enum value 'on hold' (expected one of RELEASED, QUARANTINED, CONSUMED, SHIPPED, SCRAPPED)" }] }
 */
export function validateRow(spec: TableSpec, raw: Readonly<Record<string, unknown>>, context: RowContext): RowResult {
  const problems: RowProblem[] = [];
  const row: TypedRow = {};
  for (const name of Object.keys(raw)) {
    if (!spec.columns.some((c) => c.name === name)) {
      problems.push({ column: name, code: 'UNKNOWN_COLUMN', reason: unknownColumnReason(spec, name) });
    }
  }
  for (const column of spec.columns) {
    const value = raw[column.name];
    if (column.owner && (value === undefined || value === null || value === '')) {
      row[column.name] = context.firmId;
      continue;
    }
    const parsed = parseValue(column, value);
    if (!parsed.ok) {
      problems.push({ column: column.name, ...parsed.problem });
      continue;
    }
    if (column.owner && parsed.value !== context.firmId) {
      problems.push({
        column: column.name,
        code: 'NOT_OWN_FIRM',
        reason: `firmId '${String(parsed.value)}' is not this firm (${context.firmId}): a firm writes its own rows only`,
      });
      continue;
    }
    row[column.name] = parsed.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, row };
}

/**
 * The reason for a column the table does not have, listing those it has.
 * @example unknownColumnReason(tableSpec('parts'), 'colour') // "unknown column 'colour' (parts has firmId, partId, ...)"
 */
export function unknownColumnReason(spec: TableSpec, name: string): string {
  return `unknown column '${name}' (${spec.file} has ${spec.columns.map((c) => c.name).join(', ')})`;
}

/**
 * Checks a CSV header (or the keys a JSON table declares) before any row: every name known,
 * none twice, every required column but `firmId` present.
 * @example checkColumns(tableSpec('parts'), ['partId', 'name']) // problems for partNumber, category, uom, unitCost
 */
export function checkColumns(spec: TableSpec, names: readonly string[]): RowProblem[] {
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.push({ column: name, code: 'UNKNOWN_COLUMN', reason: `column '${name}' appears twice` });
    seen.add(name);
    if (!spec.columns.some((c) => c.name === name)) problems.push({ column: name, code: 'UNKNOWN_COLUMN', reason: unknownColumnReason(spec, name) });
  }
  for (const column of spec.columns) {
    if (column.required && !column.owner && !seen.has(column.name)) {
      problems.push({ column: column.name, code: 'MISSING_VALUE', reason: `missing column: ${column.name} is required` });
    }
  }
  return problems;
}
