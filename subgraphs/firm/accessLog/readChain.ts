import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { accessLog, accessLogHead } from '../db/governanceTables.js';
import type { FirmDb } from '../db/firmDb.js';
import { HEAD_ID } from './appendEntry.js';
import type { ChainHead, ChainedEntry } from './verifyChain.js';

/** Rows read per statement when walking the chain. */
export const CHAIN_BATCH = 1000;

/** A stored access log row as a chained entry. */
export function toChainedEntry(row: typeof accessLog.$inferSelect): ChainedEntry {
  return { ...row, roles: row.roles, reads: row.reads, deniedFields: row.deniedFields };
}

/**
 * The stored access log in seq order (up to `upTo` when given), read in batches of
 * {@link CHAIN_BATCH} by seq (an index range scan on the primary key), so a log of any
 * length is walked in bounded memory.
 * @example for await (const entry of readChain(db)) console.log(entry.seq, entry.hash);
 */
export async function* readChain(db: FirmDb, options: { upTo?: number; batch?: number } = {}): AsyncGenerator<ChainedEntry> {
  const batch = options.batch ?? CHAIN_BATCH;
  const upTo = options.upTo === undefined ? undefined : lte(accessLog.seq, options.upTo);
  let after = -2_147_483_648; // the smallest integer column value
  for (;;) {
    const rows = await db
      .select()
      .from(accessLog)
      .where(and(gt(accessLog.seq, after), upTo))
      .orderBy(asc(accessLog.seq))
      .limit(batch);
    for (const row of rows) yield toChainedEntry(row);
    const last = rows.at(-1);
    if (!last || rows.length < batch) return;
    after = last.seq;
  }
}

/**
 * The stored head of the chain, or undefined when its row is missing (tampering: the
 * migration inserts it).
 * @example const head = await readHead(db); console.log(head?.seq, head?.hash);
 */
export async function readHead(db: FirmDb): Promise<ChainHead | undefined> {
  const [head] = await db.select().from(accessLogHead).where(eq(accessLogHead.id, HEAD_ID));
  return head ? { seq: head.seq, hash: head.hash } : undefined;
}
