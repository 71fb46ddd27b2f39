import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { FirmDb } from '../db/firmDb.js';
import { writeLog } from '../db/governanceTables.js';
import { toWriteLogEntry } from './writeLogChain.js';
import type { WriteLogEntry } from './writeLogEntry.js';

/** Filters of the owner's write log query; the period is `[from, to)`. */
export interface WriteLogFilter {
  actorSubject?: string;
  operation?: string;
  from?: Date;
  to?: Date;
}

/**
 * The newest `first` entries of the firm's write log that match the filter (one statement,
 * newest first by seq); with `beforeSeq`, the newest of those older than that entry (a page
 * of `writeLogConnection`).
 * @example await queryWriteLog(db, { operation: 'recordReceipt' }, 20)
 */
export async function queryWriteLog(db: FirmDb, filter: WriteLogFilter, first: number, beforeSeq?: number): Promise<WriteLogEntry[]> {
  const conditions: (SQL | undefined)[] = [
    filter.actorSubject !== undefined ? eq(writeLog.actorSubject, filter.actorSubject) : undefined,
    filter.operation !== undefined ? eq(writeLog.operation, filter.operation) : undefined,
    filter.from !== undefined ? gte(writeLog.at, filter.from) : undefined,
    filter.to !== undefined ? lt(writeLog.at, filter.to) : undefined,
    beforeSeq !== undefined ? lt(writeLog.seq, beforeSeq) : undefined,
  ];
  const rows = await db.select().from(writeLog).where(and(...conditions)).orderBy(desc(writeLog.seq)).limit(first);
  return rows.map(toWriteLogEntry);
}
