import { and, asc, gt, lte } from 'drizzle-orm';
import { writeLog } from '../db/governanceTables.js';
import type { StoredChain } from '../hashChain/storedChain.js';
import { hashWriteEntry, type WriteLogContent, type WriteLogEntry } from './writeLogEntry.js';

/** A stored write log row as a chained entry. */
export function toWriteLogEntry(row: typeof writeLog.$inferSelect): WriteLogEntry {
  return { ...row, roles: row.roles, changes: row.changes };
}

/**
 * The write log as a stored hash chain (`write_log`, head `write_log_head`, whose row
 * migration 0004 inserts).
 * @example await verifyStoredLog(db, WRITE_LOG_CHAIN)
 */
export const WRITE_LOG_CHAIN: StoredChain<WriteLogContent> = {
  name: 'write log',
  headTable: 'write_log_head',
  hashOf: hashWriteEntry,
  async readBatch(db, after, upTo, limit) {
    const rows = await db
      .select()
      .from(writeLog)
      .where(and(gt(writeLog.seq, after), upTo === undefined ? undefined : lte(writeLog.seq, upTo)))
      .orderBy(asc(writeLog.seq))
      .limit(limit);
    return rows.map(toWriteLogEntry);
  },
  async insert(db, entries) {
    await db.insert(writeLog).values(entries.map((e) => ({ ...e, roles: [...e.roles], changes: e.changes.map((c) => ({ ...c, keys: [...c.keys] })) })));
  },
};
