import type { FirmDb } from './firmDb.js';

const exclusive = new WeakSet<FirmDb>();

/**
 * Marks a database that only this process can write: an embedded PGlite database (a PGlite
 * data directory is never opened by two processes). What this process writes is then all
 * that changes, so this process may cache rows and drop the cache on its own writes. A
 * PostgreSQL database is shared (scaled-out firms, an administrator's tools) and is never
 * marked.
 */
export function markExclusive(db: FirmDb): void {
  exclusive.add(db);
}

/** Whether only this process writes `db` (see {@link markExclusive}). */
export function isExclusive(db: FirmDb): boolean {
  return exclusive.has(db);
}
