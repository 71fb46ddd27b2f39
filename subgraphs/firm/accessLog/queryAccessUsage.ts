import { sql } from 'drizzle-orm';
import { accessLog } from '../db/governanceTables.js';
import type { FirmDb } from '../db/firmDb.js';
import { accessLogWhere } from './queryAccessLog.js';
import { rowsOf } from '../db/rowsOf.js';

/** Reads (entries) and rows returned, per partner, type and purpose: the GraphQL `AccessUsage`. */
export interface AccessUsage {
  callerFirm: string;
  type: string;
  purpose: string | null;
  /** Entries (requests) that returned rows of the type. */
  reads: number;
  /** Rows of the type returned, summed over those entries. */
  rows: number;
}

interface UsageRow {
  caller_firm: string;
  type: string;
  purpose: string | null;
  read_count: number | string;
  row_count: number | string;
}

/**
 * Usage figures over the period `[from, to)`, computed in SQL: each entry's `reads`
 * expanded with `jsonb_array_elements`, grouped by caller firm, type and purpose, ordered
 * the same way.
 * @example await queryAccessUsage(db, { from: new Date('2025-01-01') })
 */
export async function queryAccessUsage(db: FirmDb, period: { from?: Date; to?: Date }): Promise<AccessUsage[]> {
  const where = accessLogWhere(period);
  const result = await db.execute(sql`
    select ${accessLog.callerFirm} as caller_firm, r.value->>'type' as type, ${accessLog.purpose} as purpose,
           count(*)::int as read_count, coalesce(sum((r.value->>'rows')::bigint), 0)::text as row_count
    from ${accessLog} cross join lateral jsonb_array_elements(${accessLog.reads}) as r(value)
    ${where ? sql`where ${where}` : sql``}
    group by 1, 2, 3
    order by 1, 2, 3 nulls first`);
  return rowsOf<UsageRow>(result).map((r) => ({
    callerFirm: r.caller_firm,
    type: r.type,
    purpose: r.purpose,
    reads: Number(r.read_count),
    rows: Number(r.row_count),
  }));
}
