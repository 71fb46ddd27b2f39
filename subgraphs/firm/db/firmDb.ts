import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { FirmTables } from './tables.js';

/**
 * A firm's database handle, the same type on both drivers (PGlite and postgres.js):
 * query builders (`db.select().from(lots)`), inserts, transactions, and the relational
 * API over {@link FirmTables} (`db.query.lots.findMany()`).
 */
export type FirmDb = PgDatabase<PgQueryResultHKT, FirmTables>;

/** Which driver serves a {@link FirmDb}. */
export type FirmDriver = 'pglite' | 'postgres';
