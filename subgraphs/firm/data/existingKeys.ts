import { getTableColumns, inArray } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { FirmDb } from '../db/firmDb.js';
import type { TableSpec } from './tableSpecs.js';

/** Keys looked up per statement. */
const KEYS_PER_STATEMENT = 10_000;

/**
 * Which of these keys of a single-key table exist in the database (one statement per
 * 10,000 keys): what an import or a write checks its pending references against.
 * @example const found = await existingKeys(tx, tableSpec('parts'), ['P1', 'P9']); // Set { 'P1' }
 */
export async function existingKeys(db: FirmDb, spec: TableSpec, keys: readonly string[]): Promise<Set<string>> {
  const [keyName] = spec.key;
  if (spec.key.length !== 1 || keyName === undefined) throw new Error(`existingKeys: ${spec.table} has a composite key`);
  const column = (getTableColumns(spec.drizzle) as Record<string, AnyPgColumn>)[keyName] as AnyPgColumn;
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const chunk = keys.slice(i, i + KEYS_PER_STATEMENT);
    const rows = await db.select({ key: column }).from(spec.drizzle as PgTable).where(inArray(column, chunk));
    for (const r of rows as Array<{ key: unknown }>) found.add(String(r.key));
  }
  return found;
}
