import { sql } from 'drizzle-orm';
import type { FirmDb } from './firmDb.js';
import { rowsOf } from './rowsOf.js';

/**
 * The CHECK and foreign-key constraints of the firm's database that some existing row breaks
 * (added NOT VALID by migration 0003 and left so: they hold for every new or changed row, not
 * for the old ones), as `table.constraint`. The firm names them at start; repair the rows,
 * then `ALTER TABLE <table> VALIDATE CONSTRAINT <constraint>`.
 * @example for (const c of await unvalidatedConstraints(db)) console.warn(`constraint ${c} is NOT VALID`);
 */
export async function unvalidatedConstraints(db: FirmDb): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(
      sql`select conrelid::regclass::text || '.' || conname as name from pg_constraint
          where connamespace = current_schema()::regnamespace and contype in ('c', 'f') and not convalidated order by 1`,
    ),
  );
  return rows.map((r) => r.name);
}
