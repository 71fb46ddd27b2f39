/**
 * The rows of a raw `db.execute(sql...)`: an array on postgres.js, `{ rows }` on PGlite.
 * @example const rows = rowsOf<{ n: number }>(await db.execute(sql`select 1 as n`));
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
