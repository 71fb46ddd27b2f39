import { and, eq, type SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { qualityNotifications } from '../db/notificationTables.js';
import type { FirmContext } from '../firmContext.js';
import { badInput, notFound, ownerMismatch } from '../firmErrors.js';
import { Connection } from '../paging/connection.js';
import { encodeCursor } from '../paging/cursor.js';
import { pageStart } from '../paging/pageStart.js';
import { createNotification, forwardNotification, isNotificationStatus, receiveDelivery, updateNotification, type Delivery } from './notificationActions.js';
import { readNotification, readNotifications, type NotificationView } from './notificationStore.js';

type Args = Record<string, unknown>;

function ownFirm(ctx: FirmContext, firmId: unknown): void {
  if (firmId !== ctx.firmId) throw ownerMismatch(ctx.firmId, 'QualityNotification', String(firmId));
}

/** A firm's notifications are its own users' business only. */
function ownUsersOnly(ctx: FirmContext): void {
  if (ctx.access.caller.firmId !== ctx.firmId) {
    throw new GraphQLError(`Only firm ${ctx.firmId}'s own users read its quality notifications.`, { extensions: { code: 'FORBIDDEN', firmId: ctx.firmId, type: 'QualityNotification' } });
  }
}

function pageSize(ctx: FirmContext, a: Args): number {
  const first = a.first ?? 100;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || first > 1000) throw badInput(ctx.firmId, 'first must be an integer from 0 to 1000.');
  return first;
}

function filterOf(a: Args): SQL | undefined {
  const where: SQL[] = [];
  if (typeof a.side === 'string') where.push(eq(qualityNotifications.side, a.side as 'OUTBOX' | 'INBOX'));
  if (isNotificationStatus(a.status)) where.push(eq(qualityNotifications.status, a.status));
  return and(...where);
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

function view(n: NotificationView): Record<string, unknown> {
  return {
    ...n,
    createdAt: iso(n.createdAt),
    updatedAt: iso(n.updatedAt),
    messages: n.messages.map((m) => ({ ...m, at: iso(m.at) })),
    progress: n.progress.map((p) => ({ ...p, at: iso(p.at) })),
  };
}

function deliveryOf(ctx: FirmContext, value: unknown): Delivery {
  const d = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const date = (key: string): Date => {
    const raw = d[key];
    // The DateTime scalar may hand over a Date already: String() of it would drop the milliseconds.
    const t = raw instanceof Date ? raw : new Date(String(raw));
    if (Number.isNaN(t.getTime())) throw badInput(ctx.firmId, `delivery.${key} must be a date-time.`);
    return t;
  };
  if (!isNotificationStatus(d.toStatus) || (d.fromStatus !== null && d.fromStatus !== undefined && !isNotificationStatus(d.fromStatus))) throw badInput(ctx.firmId, 'delivery.toStatus and fromStatus must be notification statuses.');
  return {
    ...(d as unknown as Delivery),
    fromStatus: (d.fromStatus as Delivery['fromStatus']) ?? null,
    targetDate: typeof d.targetDate === 'string' ? d.targetDate : null,
    reason: typeof d.reason === 'string' ? d.reason : null,
    hops: typeof d.hops === 'number' ? d.hops : null,
    subjectFirm: typeof d.subjectFirm === 'string' ? d.subjectFirm : null,
    discloseTo: Array.isArray(d.discloseTo) ? d.discloseTo.filter((x): x is string => typeof x === 'string' && x.length <= 200).slice(0, 1000) : null,
    createdAt: date('createdAt'),
    at: date('at'),
  };
}

/** `Firm.qualityNotifications`, `Firm.qualityNotification` and the notification mutations. */
export const notificationResolvers = {
  Firm: {
    qualityNotifications: async (_f: unknown, a: Args, ctx: FirmContext) => {
      ownUsersOnly(ctx);
      return (await readNotifications(ctx.db, filterOf(a), pageSize(ctx, a))).map(view);
    },
    qualityNotificationsConnection: async (_f: unknown, a: Args, ctx: FirmContext) => {
      ownUsersOnly(ctx);
      const first = pageSize(ctx, a);
      const filters = { side: typeof a.side === 'string' ? a.side : null, status: typeof a.status === 'string' ? a.status : null };
      const start = pageStart(ctx, { firmId: ctx.firmId, field: 'Firm.qualityNotificationsConnection', filters }, a.after, 'id');
      const rows = await readNotifications(ctx.db, filterOf(a), first + 1, typeof start.after === 'string' ? start.after : undefined);
      return Connection.of(rows.map(view), first, (n) => encodeCursor(start.tag, String(n.notificationId)));
    },
    qualityNotification: async (_f: unknown, a: Args, ctx: FirmContext) => {
      ownUsersOnly(ctx);
      const n = await readNotification(ctx.db, String(a.notificationId));
      if (!n) throw notFound(ctx.firmId, 'QualityNotification', String(a.notificationId));
      return view(n);
    },
  },
  QualityNotification: {
    lots: (n: NotificationView) => n.lots,
  },
  Mutation: {
    createQualityNotification: async (_r: unknown, a: Args, ctx: FirmContext) => {
      ownFirm(ctx, a.firmId);
      return view(await createNotification(ctx, (a.input ?? {}) as Args));
    },
    updateQualityNotification: async (_r: unknown, a: Args, ctx: FirmContext) => {
      ownFirm(ctx, a.firmId);
      return view(await updateNotification(ctx, String(a.notificationId), String(a.status), typeof a.reason === 'string' ? a.reason : undefined));
    },
    forwardQualityNotification: async (_r: unknown, a: Args, ctx: FirmContext) => {
      ownFirm(ctx, a.firmId);
      return view(await forwardNotification(ctx, String(a.notificationId), (a.input ?? {}) as Args));
    },
    deliverQualityNotification: async (_r: unknown, a: Args, ctx: FirmContext) => {
      ownFirm(ctx, a.firmId);
      return receiveDelivery(ctx, deliveryOf(ctx, a.delivery));
    },
  },
};
