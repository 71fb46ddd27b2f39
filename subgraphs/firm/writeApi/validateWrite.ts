import type { ChangeSet, RowKeyValues } from '../data/applyChanges.js';
import { parseValue } from '../data/parseValue.js';
import { missingReferenceReason, RowTracker } from '../data/rowTracker.js';
import { isTableName, TABLE_SPECS, tableSpec, type TableName, type TableSpec } from '../data/tableSpecs.js';
import { validateRow, type TypedRow } from '../data/validateRow.js';
import type { InputProblem } from './writeRefusal.js';

/** Most rows (rows to upsert and keys to delete, together) one write carries; more is refused, not cut. */
export const MAX_WRITE_ROWS = 1000;

/** A row or a key as the client sent it (GraphQL input object: fields left out are absent). */
export type RawRow = Readonly<Record<string, unknown>>;

/** Rows by table, as `writeRows`' `upsert` and `delete` arguments carry them. */
export type RawRows = Readonly<Record<string, readonly RawRow[] | null | undefined>>;

/** A write as the client sent it. */
export interface WriteInput {
  upsert?: RawRows | null;
  delete?: RawRows | null;
}

export type WriteSection = 'upsert' | 'delete';

/** The input path of a row (no column) or of one of its values: `upsert.lots[3].status` by default. */
export type KeyOf = (section: WriteSection, table: TableName, index: number, column?: string) => string;

/** Which of these keys of a single-key table exist in the firm's database (`existingKeys` of the core). */
export type ExistingKeys = (spec: TableSpec, keys: readonly string[]) => Promise<ReadonlySet<string>>;

/** A write checked: the typed change set to apply, or every problem found. */
export type CheckedWrite = { ok: true; changes: ChangeSet; rows: number } | { ok: false; problems: InputProblem[] };

/**
 * `upsert.lots[3].status`: the argument, the table's list, the row and the field.
 * @example defaultKeyOf('delete', 'bomLines', 0, 'lineNo') // 'delete.bomLines[0].lineNo'
 */
export const defaultKeyOf: KeyOf = (section, table, index, column) => `${section}.${table}[${index}]${column ? `.${column}` : ''}`;

interface Location {
  section: WriteSection;
  table: TableName;
  index: number;
}

function listsOf(rows: RawRows | null | undefined): [string, readonly RawRow[]][] {
  return Object.entries(rows ?? {}).flatMap(([table, list]) => (list && list.length > 0 ? [[table, list] as [string, readonly RawRow[]]] : []));
}

/** The key values of a row to delete, each parsed as its column (the core's parseValue); problems otherwise. */
function keyValues(spec: TableSpec, raw: RawRow, at: (column?: string) => string, problems: InputProblem[]): RowKeyValues | undefined {
  const key: RowKeyValues = {};
  let ok = true;
  for (const name of Object.keys(raw)) {
    if (!spec.key.includes(name)) {
      problems.push({ key: at(name), code: 'UNKNOWN_COLUMN', reason: `unknown column '${name}' (a key of ${spec.file} has ${spec.key.join(', ')})` });
      ok = false;
    }
  }
  for (const name of spec.key) {
    const column = spec.columns.find((c) => c.name === name);
    if (!column) throw new Error(`validateWrite: ${spec.table} has no key column ${name}`);
    const parsed = parseValue(column, raw[name]);
    if (!parsed.ok) {
      problems.push({ key: at(name), code: parsed.problem.code, reason: parsed.problem.reason });
      ok = false;
    } else if (typeof parsed.value === 'string' || typeof parsed.value === 'number') {
      key[name] = parsed.value;
    }
  }
  return ok ? key : undefined;
}

/**
 * Checks a write exactly as the import checks its rows, with the data-format core: each row
 * against its table (`validateRow`: columns, required values, types, enum values, ids, dates,
 * the owner), duplicate keys within the write (`RowTracker`), then the in-firm references that
 * no row of the write satisfies against the database (`existing`, one statement per target
 * table) — `MISSING_REFERENCE` with the core's reason. Keys to delete are parsed as their
 * columns. Every problem names its input path (`keyOf`) and carries the core's code and
 * reason. A write of more than {@link MAX_WRITE_ROWS} rows, or of none, is refused whole.
 * Pure but for `existing`, which is injected.
 * @example
 * const checked = await validateWrite({ upsert: { lots: [{ lotId: 'L1', status: 'on hold' }] } }, 'skyframe', lookup);
 * // { ok: false, problems: [{ key: 'upsert.lots[0].partId', code: 'MISSING_VALUE', reason: 'missing value: partId is required' }, ...,
 * //   { key: 'upsert.lots[0].status', code: 'UNKNOWN_ENUM_VALUE', reason: "unknown enum value 'on hold' (expected one of RELEASED, ...)" }] }
 */
export async function validateWrite(input: WriteInput, firmId: string, existing: ExistingKeys, keyOf: KeyOf = defaultKeyOf): Promise<CheckedWrite> {
  const problems: InputProblem[] = [];
  const upsertInput = listsOf(input.upsert);
  const deleteInput = listsOf(input.delete);
  const sections: [WriteSection, [string, readonly RawRow[]][]][] = [
    ['upsert', upsertInput],
    ['delete', deleteInput],
  ];
  for (const [section, lists] of sections) {
    for (const [table] of lists) {
      if (!isTableName(table)) problems.push({ key: `${section}.${table}`, code: 'UNKNOWN_TABLE', reason: `unknown table '${table}' (tables: ${TABLE_SPECS.map((s) => s.table).join(', ')})` });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const count = sections.reduce((n, [, lists]) => n + lists.reduce((m, [, rows]) => m + rows.length, 0), 0);
  if (count === 0) {
    return { ok: false, problems: [{ key: 'upsert', code: 'NOTHING_TO_WRITE', reason: 'nothing to write: give rows to upsert or keys to delete' }] };
  }
  if (count > MAX_WRITE_ROWS) {
    const key = upsertInput.length > 0 ? 'upsert' : 'delete';
    return {
      ok: false,
      problems: [{ key, code: 'TOO_MANY_ROWS', reason: `a write carries at most ${MAX_WRITE_ROWS} rows (upserts and keys to delete together), this one ${count}: split it, or import the data` }],
    };
  }

  const upsertLists = new Map(upsertInput as [TableName, readonly RawRow[]][]);
  const deleteLists = new Map(deleteInput as [TableName, readonly RawRow[]][]);
  const tracker = new RowTracker<Location>();
  const describe = (l: Location): string => keyOf(l.section, l.table, l.index);
  const upserts: Partial<Record<TableName, TypedRow[]>> = {};
  for (const spec of TABLE_SPECS) {
    const rows = upsertLists.get(spec.table);
    if (!rows) continue;
    const typed: TypedRow[] = [];
    rows.forEach((raw, index) => {
      const at = (column?: string): string => keyOf('upsert', spec.table, index, column);
      const result = validateRow(spec, raw, { firmId });
      if (!result.ok) {
        for (const p of result.problems) problems.push({ key: at(p.column || undefined), code: p.code, reason: p.reason });
        return;
      }
      const duplicate = tracker.add(spec, result.row, { section: 'upsert', table: spec.table, index }, describe);
      if (duplicate) problems.push({ key: at(duplicate.column || undefined), code: duplicate.code, reason: duplicate.reason });
      else typed.push(result.row);
    });
    upserts[spec.table] = typed;
  }
  const deletes: Partial<Record<TableName, RowKeyValues[]>> = {};
  for (const spec of TABLE_SPECS) {
    const keys = deleteLists.get(spec.table);
    if (!keys) continue;
    const typed: RowKeyValues[] = [];
    keys.forEach((raw, index) => {
      const key = keyValues(spec, raw, (column) => keyOf('delete', spec.table, index, column), problems);
      if (key) typed.push(key);
    });
    deletes[spec.table] = typed;
  }
  if (problems.length > 0) return { ok: false, problems };

  const missing: { location: Location; problem: InputProblem }[] = [];
  for (const [table, references] of tracker.pendingReferences()) {
    const target = tableSpec(table);
    const found = await existing(target, [...references.keys()]);
    for (const [key, ref] of references) {
      if (found.has(key)) continue;
      const { section, table: from, index } = ref.location;
      missing.push({
        location: ref.location,
        problem: { key: keyOf(section, from, index, ref.column), code: 'MISSING_REFERENCE', reason: missingReferenceReason(ref.column, target, key) },
      });
    }
  }
  if (missing.length > 0) {
    const rank = (l: Location): number => TABLE_SPECS.findIndex((s) => s.table === l.table);
    missing.sort((a, b) => rank(a.location) - rank(b.location) || a.location.index - b.location.index);
    return { ok: false, problems: missing.map((m) => m.problem) };
  }
  return { ok: true, changes: { upserts, deletes }, rows: count };
}
