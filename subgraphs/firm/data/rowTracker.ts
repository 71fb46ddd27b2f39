import type { RowProblem, TypedRow } from './validateRow.js';
import { rowKey, type StoredTableName, type TableName, type TableSpec } from './tableSpecs.js';

/** A reference no tracked row satisfies (yet): where it was first seen, and through which column. */
export interface PendingReference<L> {
  column: string;
  location: L;
}

/**
 * Remembers the keys of the rows of one import (or one write) and the in-firm references
 * they make, so that a key given twice is refused where it is repeated, and a reference is
 * left to check against the database only when no row of the import satisfies it. Pure;
 * `L` is whatever says where a row came from (a file and line, an input index).
 * @example
 * const tracker = new RowTracker<{ file: string; line: number }>();
 * tracker.add(tableSpec('lots'), lot, { file: 'lots.csv', line: 2 }); // undefined, or a DUPLICATE_KEY problem
 * for (const [table, refs] of tracker.pendingReferences()) await checkAgainstDatabase(table, [...refs.keys()]);
 */
export class RowTracker<L> {
  private readonly keys = new Map<StoredTableName, Map<string, L>>();
  private readonly pending = new Map<TableName, Map<string, PendingReference<L>>>();

  /** Tracks a valid row; a key already tracked is a DUPLICATE_KEY problem naming where it was first. */
  add(spec: TableSpec, row: TypedRow, location: L, describe: (first: L) => string = String): RowProblem | undefined {
    const key = rowKey(spec, row);
    const seen = this.keysOf(spec.table);
    const first = seen.get(key);
    if (first !== undefined) {
      return {
        column: spec.key[spec.key.length - 1] ?? '',
        code: 'DUPLICATE_KEY',
        reason: `duplicate key ${spec.key.join(' + ')} '${key}' (first at ${describe(first)})`,
      };
    }
    seen.set(key, location);
    this.pending.get(spec.table as TableName)?.delete(key);
    for (const ref of spec.references) {
      const value = row[ref.column];
      if (value === null || value === undefined) continue;
      if (ref.whenOwnFirm !== undefined && row[ref.whenOwnFirm] !== row.firmId) continue;
      const target = String(value);
      if (this.keysOf(ref.table).has(target)) continue;
      let waiting = this.pending.get(ref.table);
      if (!waiting) this.pending.set(ref.table, (waiting = new Map()));
      if (!waiting.has(target)) waiting.set(target, { column: ref.column, location });
    }
    return undefined;
  }

  /** Whether a row of `table` with this key was tracked. */
  has(table: StoredTableName, key: string): boolean {
    return this.keysOf(table).has(key);
  }

  /** Rows tracked, all tables. */
  get size(): number {
    let n = 0;
    for (const m of this.keys.values()) n += m.size;
    return n;
  }

  /** The references no tracked row satisfies, by target table and key: check these against the database. */
  pendingReferences(): ReadonlyMap<TableName, ReadonlyMap<string, PendingReference<L>>> {
    return new Map([...this.pending].filter(([, refs]) => refs.size > 0));
  }

  private keysOf(table: StoredTableName): Map<string, L> {
    let m = this.keys.get(table);
    if (!m) this.keys.set(table, (m = new Map()));
    return m;
  }
}

/**
 * The reason for a reference that neither the import nor the database satisfies.
 * @example missingReferenceReason('partId', 'parts', 'P9') // "part... 'P9' does not exist in parts (...)"
 */
export function missingReferenceReason(column: string, target: TableSpec, key: string): string {
  return `${column} '${key}' does not exist: no row of ${target.file} with ${target.key.join(' + ')} '${key}', neither in this import nor in the database`;
}
