import type { FirmContext } from '../firmContext.js';
import { badInput } from '../firmErrors.js';
import { Connection } from '../paging/connection.js';
import { encodeCursor } from '../paging/cursor.js';
import { pageStart } from '../paging/pageStart.js';
import { requireOwnerAdmin } from '../ownerAdmin.js';
import { queryAccessLog, type AccessLogFilter } from './queryAccessLog.js';
import { queryAccessUsage } from './queryAccessUsage.js';
import { verifyStoredChain } from './verifyStoredChain.js';

/** Most entries one `accessLog` query returns. */
export const MAX_ACCESS_LOG_PAGE = 1000;

type Args = Record<string, unknown>;

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function optionalInstant(ctx: FirmContext, name: string, v: unknown): Date | undefined {
  if (v === null || v === undefined) return undefined;
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw badInput(ctx.firmId, `${name} must be an ISO-8601 date-time.`);
  return v;
}

function period(ctx: FirmContext, a: Args): { from?: Date; to?: Date } {
  const from = optionalInstant(ctx, 'from', a.from);
  const to = optionalInstant(ctx, 'to', a.to);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function logFilter(ctx: FirmContext, a: Args): AccessLogFilter {
  const callerFirm = optionalString(a.callerFirm);
  const type = optionalString(a.type);
  return { ...period(ctx, a), ...(callerFirm ? { callerFirm } : {}), ...(type ? { type } : {}) };
}

function pageSize(ctx: FirmContext, first: unknown): number {
  const n = typeof first === 'number' ? first : 100;
  if (!Number.isInteger(n) || n < 0 || n > MAX_ACCESS_LOG_PAGE) {
    throw badInput(ctx.firmId, `first must be an integer from 0 to ${MAX_ACCESS_LOG_PAGE}.`);
  }
  return n;
}

/**
 * `Firm.accessLog`, `Firm.accessUsage` and `Firm.accessLogVerification`: the owner's view
 * of who read its data. Only the owner's own admins get an answer (FORBIDDEN for anyone
 * else, whatever the policy says); periods are `[from, to)`; the log is newest first, and
 * `accessLogConnection` pages it by `seq` (docs/paging.md).
 * @example mergeResolverMaps([firmResolvers, accessLogResolvers])
 */
export const accessLogResolvers = {
  Firm: {
    accessLog: async (_firm: unknown, a: Args, ctx: FirmContext) => {
      requireOwnerAdmin(ctx, 'read the access log');
      return queryAccessLog(ctx.db, logFilter(ctx, a), pageSize(ctx, a.first));
    },
    accessLogConnection: async (_firm: unknown, a: Args, ctx: FirmContext) => {
      requireOwnerAdmin(ctx, 'read the access log');
      const filter = logFilter(ctx, a);
      const first = pageSize(ctx, a.first);
      const start = pageStart(ctx, { firmId: ctx.firmId, field: 'Firm.accessLogConnection', filters: { ...filter } }, a.after, 'seq');
      const entries = await queryAccessLog(ctx.db, filter, first + 1, typeof start.after === 'number' ? start.after : undefined);
      return Connection.of(entries, first, (entry) => encodeCursor(start.tag, entry.seq));
    },
    accessUsage: async (_firm: unknown, a: Args, ctx: FirmContext) => {
      requireOwnerAdmin(ctx, 'read the access log');
      return queryAccessUsage(ctx.db, period(ctx, a));
    },
    accessLogVerification: async (_firm: unknown, _a: Args, ctx: FirmContext) => {
      requireOwnerAdmin(ctx, 'read the access log');
      const v = await verifyStoredChain(ctx.db);
      return { ok: v.ok, entries: v.entries, firstBrokenSeq: v.firstBrokenSeq ?? null, reason: v.reason ?? null };
    },
  },
};
