import { sql } from 'drizzle-orm';
import type { FirmDb } from '../db/firmDb.js';
import { accessRequests, agreements } from '../db/governanceTables.js';

/** The id series of the governance tables: access requests `AR`, agreements `AG`, each with its advisory lock key. */
const ID_SERIES = {
  AR: { table: accessRequests, column: accessRequests.requestId, lock: 7_120_001 },
  AG: { table: agreements, column: agreements.agreementId, lock: 7_120_002 },
} as const;

export type IdSeries = keyof typeof ID_SERIES;

/**
 * The next id of a series in a firm's database: `<owner>-AR0001`, `<owner>-AR0002`...
 * (four digits at least, more once past 9999). Must run inside a transaction: it takes a
 * transaction-scoped advisory lock of the series (`pg_advisory_xact_lock`), held until
 * commit or rollback, so that two concurrent transactions never compute the same number
 * (the second waits for the first's insert). Works the same on PGlite and PostgreSQL.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   const requestId = await nextSequentialId(tx, 'structura', 'AR'); // 'structura-AR0001'
 *   await tx.insert(accessRequests).values({ requestId, ... });
 * });
 */
export async function nextSequentialId(tx: FirmDb, ownerId: string, series: IdSeries): Promise<string> {
  const { table, column, lock } = ID_SERIES[series];
  await tx.execute(sql`select pg_advisory_xact_lock(${lock})`);
  const [row] = await tx
    .select({ last: sql<number | string | null>`max(cast(substring(${column} from '[0-9]+$') as integer))` })
    .from(table);
  const last = Number(row?.last ?? 0);
  return `${ownerId}-${series}${String(last + 1).padStart(4, '0')}`;
}
