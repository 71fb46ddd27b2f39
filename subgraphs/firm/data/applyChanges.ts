import { getTableColumns, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FirmDb } from '../db/firmDb.js';
import type { LoggedChange } from '../db/governanceTables.js';
import { GOVERNANCE_SPECS, rowKey, tableSpec, TABLE_SPECS, type StoredTableName, type TableName, type TableSpec } from './tableSpecs.js';
import type { TypedRow } from './validateRow.js';
import { upsertStatement } from './upsertStatement.js';
import { rowsOf } from '../db/rowsOf.js';

/** The key values of a row to delete (`{ orderId: 'PO1', lineNo: 2 }`), typed as in {@link TypedRow}. */
export type RowKeyValues = Record<string, string | number>;

/** Rows to upsert and keys to delete, by table; rows are validated ({@link validateRow}). */
export interface ChangeSet {
  upserts?: Partial<Record<TableName, readonly TypedRow[]>>;
  deletes?: Partial<Record<TableName, readonly RowKeyValues[]>>;
}

/** Two rows of one upsert with the same key (a programming error of the caller: validate first). */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  readonly code = 'DUPLICATE_KEY' as const;
  constructor(
    readonly spec: TableSpec,
    readonly key: string,
  ) {
    super(`duplicate key ${spec.key.join(' + ')} '${key}' in one write to ${spec.file}`);
  }
}

/** At most this many keys per table are listed in a {@link LoggedChange}. */
export const LOGGED_KEYS = 100;

/** Bind parameters per delete statement: far below PostgreSQL's 65,535. */
const PARAMETERS_PER_STATEMENT = 30_000;

/** Rows per upsert statement (one parameter per column, an array of this many values). */
const ROWS_PER_UPSERT = 5000;


function columnsOf(spec: TableSpec): Record<string, AnyPgColumn> {
  return getTableColumns(spec.drizzle) as Record<string, AnyPgColumn>;
}

/** Rows per upsert statement for a table. */
export function batchSize(_spec: TableSpec): number {
  return ROWS_PER_UPSERT;
}

/**
 * Writes rows and deletions of several tables into one open transaction, in batches of
 * multi-row statements (a statement per batch, never per row), and counts what changed.
 * An upsert is `INSERT ... SELECT FROM unnest(one array per column) ON CONFLICT (key) DO
 * UPDATE ... WHERE the row differs` ({@link upsertStatement}), so a row
 * written again unchanged is not counted and not rewritten: importing the same data twice
 * changes nothing. The database's own constraints (CHECKs, deferred in-firm foreign keys)
 * still apply at commit.
 * @example
 * await db.transaction(async (tx) => {
 *   const writer = new ChangeWriter(tx);
 *   await writer.upsert('lots', [lotRow]);
 *   await writer.delete('shipmentLots', [{ shipmentId: 'SH1', lotId: 'L1' }]);
 *   await appendWriteLogEntry(tx, { ..., changes: writer.changes() });
 * });
 */
export class ChangeWriter {
  private readonly changed = new Map<StoredTableName, LoggedChange>();

  constructor(private readonly tx: FirmDb) {}

  /**
   * Upserts rows of one table (any number: they are sent in batches). The rows of one call
   * must have distinct keys: a key given twice throws a {@link DuplicateKeyError} before anything is sent.
   */
  async upsert(table: TableName, rows: readonly TypedRow[]): Promise<void> {
    await this.upsertRows(tableSpec(table), rows);
  }

  /** {@link upsert} by spec: also for the governance tables an export restores ({@link GOVERNANCE_SPECS}). */
  async upsertRows(spec: TableSpec, rows: readonly TypedRow[]): Promise<void> {
    const seen = new Set<string>();
    for (const row of rows) {
      const key = rowKey(spec, row);
      if (seen.has(key)) throw new DuplicateKeyError(spec, key);
      seen.add(key);
    }
    const size = batchSize(spec);
    for (let i = 0; i < rows.length; i += size) await this.upsertBatch(spec, rows.slice(i, i + size));
  }

  /** Deletes rows of one table by key; keys that match no row are not counted. */
  async delete(table: TableName, keys: readonly RowKeyValues[]): Promise<void> {
    const spec = tableSpec(table);
    const size = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / spec.key.length));
    for (let i = 0; i < keys.length; i += size) await this.deleteBatch(spec, keys.slice(i, i + size));
  }

  /** What changed so far, one entry per table written (in {@link TABLE_SPECS} order), as the write log records it. */
  changes(): LoggedChange[] {
    return [...TABLE_SPECS, ...GOVERNANCE_SPECS].map((s) => this.changed.get(s.table)).filter((c): c is LoggedChange => c !== undefined);
  }

  private record(spec: TableSpec, kind: 'upserted' | 'deleted', keys: string[]): void {
    if (keys.length === 0) return;
    let entry = this.changed.get(spec.table);
    if (!entry) this.changed.set(spec.table, (entry = { table: spec.table, upserted: 0, deleted: 0, keys: [] }));
    entry[kind] += keys.length;
    for (const key of keys) {
      if (entry.keys.length < LOGGED_KEYS) entry.keys.push(key);
      else entry.truncated = true;
    }
  }

  private async upsertBatch(spec: TableSpec, rows: readonly TypedRow[]): Promise<void> {
    if (rows.length === 0) return;
    const written = rowsOf<Record<string, unknown>>(await this.tx.execute(upsertStatement(spec, rows)));
    this.record(spec, 'upserted', written.map((r) => rowKey(spec, r)));
  }

  private async deleteBatch(spec: TableSpec, keys: readonly RowKeyValues[]): Promise<void> {
    if (keys.length === 0) return;
    const columns = columnsOf(spec);
    const keyColumns = spec.key.map((k) => columns[k] as AnyPgColumn);
    const tuples = sql.join(
      keys.map((k) => sql`(${sql.join(spec.key.map((name, i) => sql`${k[name] ?? null}::${sql.raw(sqlType(keyColumns[i]))}`), sql`, `)})`),
      sql`, `,
    );
    const target = sql`(${sql.join(keyColumns.map((c) => sql`${c}`), sql`, `)})`;
    const returning = Object.fromEntries(spec.key.map((k) => [k, columns[k] as AnyPgColumn]));
    const deleted = await this.tx.delete(spec.drizzle as PgTable).where(sql`${target} IN (${tuples})`).returning(returning);
    this.record(spec, 'deleted', (deleted as Array<Record<string, unknown>>).map((r) => rowKey(spec, r)));
  }
}

function sqlType(column: AnyPgColumn | undefined): string {
  return column?.columnType === 'PgInteger' ? 'integer' : 'text';
}

/**
 * Applies a {@link ChangeSet} in ONE transaction: deletions first (children before parents),
 * then upserts (parents before children), batched; `inTransaction` runs last, inside the
 * same transaction, with what changed (append the write log entry there, so that the entry
 * and the change commit together or not at all). Resolves with what changed per table.
 * @example
 * const changes = await applyChanges(db, { upserts: { lots: [lotRow] }, deletes: { qualityInspections: [{ inspectionId: 'QI1' }] } }, {
 *   inTransaction: (tx, changes) => appendWriteLogEntry(tx, { actor, operation: 'upsertLots', changes }),
 * });
 * // [{ table: 'lots', upserted: 1, deleted: 0, keys: ['L1'] }, { table: 'qualityInspections', upserted: 0, deleted: 1, keys: ['QI1'] }]
 */
export async function applyChanges(
  db: FirmDb,
  set: ChangeSet,
  options: { inTransaction?: (tx: FirmDb, changes: LoggedChange[]) => Promise<void> } = {},
): Promise<LoggedChange[]> {
  return db.transaction(async (tx) => {
    const writer = new ChangeWriter(tx);
    for (const spec of [...TABLE_SPECS].reverse()) {
      const keys = set.deletes?.[spec.table];
      if (keys && keys.length > 0) await writer.delete(spec.table, keys);
    }
    for (const spec of TABLE_SPECS) {
      const rows = set.upserts?.[spec.table];
      if (rows && rows.length > 0) await writer.upsert(spec.table, rows);
    }
    const changes = writer.changes();
    await options.inTransaction?.(tx, changes);
    return changes;
  });
}
