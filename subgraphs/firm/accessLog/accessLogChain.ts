import { and, asc, gt, lte } from 'drizzle-orm';
import { accessLog } from '../db/governanceTables.js';
import type { StoredChain } from '../hashChain/storedChain.js';
import type { AccessLogContent } from './canonicalEntry.js';
import { hashEntry } from './hashEntry.js';
import type { ChainedEntry } from './verifyChain.js';

/** A stored access log row as a chained entry. */
export function toChainedEntry(row: typeof accessLog.$inferSelect): ChainedEntry {
  return { ...row, roles: row.roles, reads: row.reads, deniedFields: row.deniedFields };
}

/**
 * The access log as a stored hash chain (`access_log`, head `access_log_head`, whose row
 * migration 0001 inserts): what the shared walk, verification and locked append need.
 * @example await verifyStoredLog(db, ACCESS_LOG_CHAIN)
 */
export const ACCESS_LOG_CHAIN: StoredChain<AccessLogContent> = {
  name: 'access log',
  headTable: 'access_log_head',
  hashOf: hashEntry,
  async readBatch(db, after, upTo, limit) {
    const rows = await db
      .select()
      .from(accessLog)
      .where(and(gt(accessLog.seq, after), upTo === undefined ? undefined : lte(accessLog.seq, upTo)))
      .orderBy(asc(accessLog.seq))
      .limit(limit);
    return rows.map(toChainedEntry);
  },
  async insert(db, entries) {
    await db.insert(accessLog).values(entries.map((e) => ({ ...e, roles: [...e.roles], reads: [...e.reads], deniedFields: [...e.deniedFields] })));
  },
};
