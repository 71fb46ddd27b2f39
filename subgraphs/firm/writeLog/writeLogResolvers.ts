import type { FirmContext } from '../firmContext.js';
import { badInput } from '../firmErrors.js';
import { verifyStoredLog } from '../hashChain/storedChain.js';
import { ownerRoleOnly } from '../ownerRole.js';
import { Connection } from '../paging/connection.js';
import { encodeCursor } from '../paging/cursor.js';
import { pageStart } from '../paging/pageStart.js';
import { tableChangeView } from '../writeApi/tableChangeView.js';
import { queryWriteLog, type WriteLogFilter } from './queryWriteLog.js';
import { WRITE_LOG_CHAIN } from './writeLogChain.js';

/** Most entries one `writeLog` query returns. */
export const MAX_WRITE_LOG_PAGE = 1000;

interface WriteLogArgs {
  actorSubject?: string | null;
  operation?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

function pageSize(ctx: FirmContext, a: WriteLogArgs): number {
  const first = a.first ?? 100;
  if (!Number.isInteger(first) || first < 0 || first > MAX_WRITE_LOG_PAGE) throw badInput(ctx.firmId, `first must be an integer from 0 to ${MAX_WRITE_LOG_PAGE}.`);
  return first;
}

function filterOf(ctx: FirmContext, a: WriteLogArgs): WriteLogFilter {
  const filter: WriteLogFilter = {};
  if (a.actorSubject) filter.actorSubject = a.actorSubject;
  if (a.operation) filter.operation = a.operation;
  for (const name of ['from', 'to'] as const) {
    const v = a[name];
    if (v === null || v === undefined) continue;
    if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw badInput(ctx.firmId, `${name} must be an ISO-8601 date-time.`);
    filter[name] = v;
  }
  return filter;
}

/**
 * `Firm.writeLog`, `Firm.writeLogConnection` (page by page by seq, docs/paging.md) and
 * `Firm.writeLogVerification`: the owner's view of who wrote its data (the write API,
 * imports, receipts), newest first, and the check of its hash chain. The
 * owner's own admins only (declared once: FORBIDDEN for anyone else, whatever the policy says).
 * @example mergeResolverMaps([firmResolvers, writeLogResolvers])
 */
export const writeLogResolvers = ownerRoleOnly('admin', 'read the write log', {
  Firm: {
    writeLog: async (_firm: unknown, a: WriteLogArgs, ctx: FirmContext) => {
      const entries = await queryWriteLog(ctx.db, filterOf(ctx, a), pageSize(ctx, a));
      return entries.map((e) => ({ ...e, changes: e.changes.map(tableChangeView) }));
    },
    writeLogConnection: async (_firm: unknown, a: WriteLogArgs, ctx: FirmContext) => {
      const filter = filterOf(ctx, a);
      const first = pageSize(ctx, a);
      const start = pageStart(ctx, { firmId: ctx.firmId, field: 'Firm.writeLogConnection', filters: { ...filter } }, a.after, 'seq');
      const entries = await queryWriteLog(ctx.db, filter, first + 1, typeof start.after === 'number' ? start.after : undefined);
      const views = entries.map((e) => ({ ...e, changes: e.changes.map(tableChangeView) }));
      return Connection.of(views, first, (entry) => encodeCursor(start.tag, entry.seq));
    },
    writeLogVerification: async (_firm: unknown, _a: unknown, ctx: FirmContext) => {
      const v = await verifyStoredLog(ctx.db, WRITE_LOG_CHAIN);
      return { ok: v.ok, entries: v.entries, firstBrokenSeq: v.firstBrokenSeq ?? null, reason: v.reason ?? null, headHash: v.head.hash };
    },
  },
});
