import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { accessLog } from '../db/governanceTables.js';
import type { FirmDb } from '../db/firmDb.js';
import { toChainedEntry } from './accessLogChain.js';
import type { ChainedEntry } from './verifyChain.js';

/** Filters of the owner's access log query; the period is `[from, to)`. */
export interface AccessLogFilter {
  callerFirm?: string;
  /** Entries that returned rows of this type, or refused one of its fields. */
  type?: string;
  from?: Date;
  to?: Date;
}

/** The SQL conditions of a filter (the period and caller use the log's indexes). */
export function accessLogWhere(filter: AccessLogFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    filter.callerFirm !== undefined ? eq(accessLog.callerFirm, filter.callerFirm) : undefined,
    filter.from !== undefined ? gte(accessLog.at, filter.from) : undefined,
    filter.to !== undefined ? lt(accessLog.at, filter.to) : undefined,
    filter.type !== undefined
      ? sql`(${accessLog.reads} @> ${JSON.stringify([{ type: filter.type }])}::jsonb
          or exists (select 1 from jsonb_array_elements_text(${accessLog.deniedFields}) as d(f) where starts_with(d.f, ${`${filter.type}.`})))`
      : undefined,
  ];
  return and(...conditions);
}

/**
 * The newest `first` entries of the firm's access log that match the filter; with
 * `beforeSeq`, the newest of those older than that entry (a page of `accessLogConnection`).
 * @example await queryAccessLog(db, { callerFirm: 'skyframe', type: 'Lot' }, 50)
 */
export async function queryAccessLog(db: FirmDb, filter: AccessLogFilter, first: number, beforeSeq?: number): Promise<ChainedEntry[]> {
  const where = and(accessLogWhere(filter), beforeSeq === undefined ? undefined : lt(accessLog.seq, beforeSeq));
  const rows = await db.select().from(accessLog).where(where).orderBy(desc(accessLog.seq)).limit(first);
  return rows.map(toChainedEntry);
}
