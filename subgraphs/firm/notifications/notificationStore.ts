import { and, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { FirmDb } from '../db/firmDb.js';
import { qualityNotificationEvents, qualityNotificationLots, qualityNotifications } from '../db/notificationTables.js';
import { appendWriteEntry } from '../writeLog/appendWriteEntry.js';
import type { NotificationStatus } from './notificationStatus.js';

export type NotificationRow = typeof qualityNotifications.$inferSelect;
export type NotificationEventRow = typeof qualityNotificationEvents.$inferSelect;

/** A notification as the API shows it: its row, lots, changes, progress and forwards. */
export interface NotificationView extends NotificationRow {
  lots: { firmId: string; lotId: string }[];
  messages: { at: Date; firmId: string; fromStatus: string | null; toStatus: string; reason: string | null }[];
  progress: { at: Date; hops: number; status: string; firmId: string | null }[];
  forwardedIds: string[];
  delivery: 'DELIVERED' | 'PENDING';
}

/** Who makes a change, for the event and the write log. */
export interface NotificationActor {
  firmId: string;
  subject: string | null;
  roles: readonly string[];
}

/** One change to record: a transition (or a progress report) of a notification held here. */
export interface NotificationChange {
  eventId: string;
  notificationId: string;
  at: Date;
  origin: 'LOCAL' | 'REMOTE';
  type: 'TRANSITION' | 'PROGRESS';
  actor: NotificationActor;
  fromStatus: NotificationStatus | null;
  toStatus: NotificationStatus;
  reason: string | null;
  hops: number | null;
  /** PROGRESS: the firm whose change it reports, when that firm lets the receiver of the report know. */
  subjectFirm?: string | null;
  /** The firms the firm making the change lets learn its identity (carried up with progress). */
  discloseTo?: readonly string[] | null;
  /** A LOCAL change the other party must get: pending until delivered. False: nothing to deliver. */
  deliver: boolean;
  /** False: a transition recorded as a message only (it did not follow from the status held here). */
  applyStatus?: boolean;
}

/**
 * Reads notifications in notificationId order (after `afterId` when given) with their lots,
 * changes and forwards, in four statements whatever their number.
 * @example await readNotifications(db, eq(qualityNotifications.side, 'INBOX'), 100)
 */
export async function readNotifications(db: FirmDb, where: SQL | undefined, first: number, afterId?: string): Promise<NotificationView[]> {
  const condition = afterId === undefined ? where : and(where, gt(qualityNotifications.notificationId, afterId));
  const rows = await db.select().from(qualityNotifications).where(condition).orderBy(qualityNotifications.notificationId).limit(first);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.notificationId);
  const [lots, events, children] = await Promise.all([
    db.select().from(qualityNotificationLots).where(inArray(qualityNotificationLots.notificationId, ids)).orderBy(qualityNotificationLots.notificationId, qualityNotificationLots.lineNo),
    db.select().from(qualityNotificationEvents).where(inArray(qualityNotificationEvents.notificationId, ids)).orderBy(qualityNotificationEvents.at, qualityNotificationEvents.eventId),
    db.select({ id: qualityNotifications.notificationId, parentId: qualityNotifications.parentId }).from(qualityNotifications).where(inArray(qualityNotifications.parentId, ids)),
  ]);
  return rows.map((row) => {
    const own = events.filter((e) => e.notificationId === row.notificationId);
    return {
      ...row,
      lots: lots.filter((l) => l.notificationId === row.notificationId).map((l) => ({ firmId: l.lotFirmId, lotId: l.lotId })),
      messages: own.filter((e) => e.type === 'TRANSITION').map((e) => ({ at: e.at, firmId: e.actorFirm, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason })),
      progress: own.filter((e) => e.type === 'PROGRESS').map((e) => ({ at: e.at, hops: e.hops ?? 1, status: e.toStatus, firmId: e.subjectFirm })),
      forwardedIds: children.filter((c) => c.parentId === row.notificationId).map((c) => c.id),
      delivery: own.some((e) => e.origin === 'LOCAL' && e.deliveredAt === null) ? 'PENDING' : 'DELIVERED',
    };
  });
}

/** One notification held here, or undefined. */
export async function readNotification(db: FirmDb, notificationId: string): Promise<NotificationView | undefined> {
  return (await readNotifications(db, eq(qualityNotifications.notificationId, notificationId), 1))[0];
}

/**
 * Records a change INSIDE the caller's transaction: the event, the notification's status (a
 * transition), and an entry of the firm's hash-chained write log, or none of them.
 */
export async function recordChange(tx: FirmDb, change: NotificationChange): Promise<void> {
  await tx.insert(qualityNotificationEvents).values({
    eventId: change.eventId,
    notificationId: change.notificationId,
    at: change.at,
    origin: change.origin,
    type: change.type,
    actorFirm: change.actor.firmId,
    actorSubject: change.actor.subject,
    fromStatus: change.fromStatus,
    toStatus: change.toStatus,
    reason: change.reason,
    hops: change.hops,
    subjectFirm: change.subjectFirm ?? null,
    discloseTo: change.discloseTo ? [...change.discloseTo] : null,
    deliveredAt: change.deliver ? null : change.at,
  });
  if (change.type === 'TRANSITION' && change.applyStatus !== false) {
    await tx.update(qualityNotifications).set({ status: change.toStatus, updatedAt: change.at }).where(eq(qualityNotifications.notificationId, change.notificationId));
  }
  await appendWriteEntry(tx, {
    at: change.at,
    actorFirm: change.actor.firmId,
    actorSubject: change.actor.subject ?? `firm:${change.actor.firmId}`,
    roles: change.actor.roles,
    operation: change.origin === 'LOCAL' ? 'qualityNotification' : 'deliverQualityNotification',
    detail: `${change.notificationId} ${change.type === 'PROGRESS' ? `progress ${change.hops ?? 1} hops: ` : ''}${change.fromStatus ?? '-'} → ${change.toStatus}`,
    changes: [
      { table: 'quality_notifications', upserted: change.type === 'TRANSITION' ? 1 : 0, deleted: 0, keys: change.type === 'TRANSITION' ? [change.notificationId] : [] },
      { table: 'quality_notification_events', upserted: 1, deleted: 0, keys: [change.eventId] },
    ],
  });
}

/** Inserts a notification and its lots (inside the caller's transaction). */
export async function insertNotification(tx: FirmDb, row: NotificationRow, lots: readonly { firmId: string; lotId: string }[]): Promise<void> {
  await tx.insert(qualityNotifications).values(row);
  await tx.insert(qualityNotificationLots).values(lots.map((l, i) => ({ notificationId: row.notificationId, lineNo: i + 1, lotFirmId: l.firmId, lotId: l.lotId })));
}

/** The sender of a notification held here (one statement), or undefined. */
export async function senderOf(db: FirmDb, notificationId: string): Promise<string | undefined> {
  const [row] = await db.select({ senderId: qualityNotifications.senderId }).from(qualityNotifications).where(eq(qualityNotifications.notificationId, notificationId)).limit(1);
  return row?.senderId;
}

/** True when an event is already stored here (a delivery that arrives again). */
export async function hasEvent(db: FirmDb, eventId: string): Promise<boolean> {
  const [row] = await db.select({ id: qualityNotificationEvents.eventId }).from(qualityNotificationEvents).where(eq(qualityNotificationEvents.eventId, eventId)).limit(1);
  return row !== undefined;
}

/** A LOCAL change still to deliver, with its notification and lots. */
export interface PendingChange extends NotificationEventRow {
  notification: NotificationRow;
  lots: { firmId: string; lotId: string }[];
}

/** The LOCAL changes still to deliver, oldest first (two statements). */
export async function pendingChanges(db: FirmDb, limit: number): Promise<PendingChange[]> {
  const rows = await db
    .select({ event: qualityNotificationEvents, notification: qualityNotifications })
    .from(qualityNotificationEvents)
    .innerJoin(qualityNotifications, eq(qualityNotifications.notificationId, qualityNotificationEvents.notificationId))
    .where(and(eq(qualityNotificationEvents.origin, 'LOCAL'), isNull(qualityNotificationEvents.deliveredAt)))
    .orderBy(qualityNotificationEvents.at, qualityNotificationEvents.eventId)
    .limit(limit);
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.notification.notificationId))];
  const lots = await db.select().from(qualityNotificationLots).where(inArray(qualityNotificationLots.notificationId, ids)).orderBy(qualityNotificationLots.lineNo);
  return rows.map((r) => ({
    ...r.event,
    notification: r.notification,
    lots: lots.filter((l) => l.notificationId === r.notification.notificationId).map((l) => ({ firmId: l.lotFirmId, lotId: l.lotId })),
  }));
}

/** Marks a change delivered, or records a failed attempt and when to try again. */
export async function markDelivery(db: FirmDb, eventId: string, outcome: { deliveredAt: Date } | { error: string; nextAttemptAt: Date }): Promise<void> {
  const t = qualityNotificationEvents;
  if ('deliveredAt' in outcome) await db.update(t).set({ deliveredAt: outcome.deliveredAt, lastError: null }).where(eq(t.eventId, eventId));
  else await db.update(t).set({ attempts: sql`${t.attempts} + 1`, lastError: outcome.error.slice(0, 500), nextAttemptAt: outcome.nextAttemptAt }).where(eq(t.eventId, eventId));
}
