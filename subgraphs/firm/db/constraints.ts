import { sql, type SQL } from 'drizzle-orm';
import { check, foreignKey, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * The database defends itself (migration 0003): a CHECK per enum column, and a foreign key
 * per in-firm pointer (a lot's part, an order line's order, a shipment lot's lot...), each
 * `DEFERRABLE INITIALLY DEFERRED` in the migration (checked at commit, so one transaction may
 * write a lot and the run that produced it in either order) and added `NOT VALID` then
 * validated where the existing rows allow (see the migration). Every pointed-at column is a
 * primary key; every pointing column is indexed (in tables.ts) for the checks on delete.
 */

/**
 * A CHECK that an enum column holds one of its values.
 * @example enumCheck('lots_status_check', t.status, LOT_STATUSES)
 */
export function enumCheck(name: string, column: AnyPgColumn, values: readonly string[]): ReturnType<typeof check> {
  const list: SQL = sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', '));
  return check(name, sql`${column} in (${list})`);
}

/**
 * A foreign key from a column to another table's key in the same firm's database.
 * @example inFirm('lots_part_fk', t.partId, (): AnyPgColumn => parts.partId)
 */
export const inFirm = (name: string, column: AnyPgColumn, target: () => AnyPgColumn): ReturnType<typeof foreignKey> =>
  foreignKey({ name, columns: [column], foreignColumns: [target()] });
