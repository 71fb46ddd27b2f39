import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { NOTIFICATION_KINDS, NOTIFICATION_SEVERITIES, NOTIFICATION_STATUSES } from '../notifications/notificationStatus.js';
import { enumCheck } from './constraints.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const NOTIFICATION_SIDES = ['OUTBOX', 'INBOX'] as const;
export const NOTIFICATION_EVENT_TYPES = ['TRANSITION', 'PROGRESS'] as const;

/**
 * Quality notifications (docs/quality-notifications.md): each lives in BOTH parties'
 * databases under the same id, in the sender's outbox and the receiver's inbox, with the
 * status both agree on. `parent_id` links an investigation this firm forwarded to its own
 * suppliers (an OUTBOX row) to the one it received (an INBOX row).
 */
export const qualityNotifications = pgTable(
  'quality_notifications',
  {
    firmId: text('firm_id').notNull(),
    notificationId: text('notification_id').primaryKey(),
    side: text('side', { enum: NOTIFICATION_SIDES }).notNull(),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    senderId: text('sender_id').notNull(),
    receiverId: text('receiver_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    severity: text('severity', { enum: NOTIFICATION_SEVERITIES }).notNull(),
    /** YYYY-MM-DD. */
    targetDate: text('target_date'),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull(),
    parentId: text('parent_id'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    index('quality_notifications_side_status_idx').on(t.side, t.status),
    index('quality_notifications_parent_idx').on(t.parentId),
    enumCheck('quality_notifications_side_check', t.side, NOTIFICATION_SIDES),
    enumCheck('quality_notifications_kind_check', t.kind, NOTIFICATION_KINDS),
    enumCheck('quality_notifications_severity_check', t.severity, NOTIFICATION_SEVERITIES),
    enumCheck('quality_notifications_status_check', t.status, NOTIFICATION_STATUSES),
  ],
);

/** The affected lots of a notification (1-50), any member's. */
export const qualityNotificationLots = pgTable(
  'quality_notification_lots',
  {
    notificationId: text('notification_id').notNull(),
    lineNo: integer('line_no').notNull(),
    lotFirmId: text('lot_firm_id').notNull(),
    lotId: text('lot_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.notificationId, t.lineNo] }),
    foreignKey({ name: 'quality_notification_lots_fk', columns: [t.notificationId], foreignColumns: [qualityNotifications.notificationId] }).onDelete('cascade'),
  ],
);

/**
 * Every transition of a notification (and, on a forwarded investigation's original, the
 * progress further down the chain), made here (`origin` LOCAL, delivered to the other party
 * until `delivered_at` is set) or received from the other party (REMOTE). The event id is the
 * same in both databases: a delivery that arrives twice is stored once.
 */
export const qualityNotificationEvents = pgTable(
  'quality_notification_events',
  {
    eventId: text('event_id').primaryKey(),
    notificationId: text('notification_id').notNull(),
    at: instant('at').notNull(),
    origin: text('origin', { enum: ['LOCAL', 'REMOTE'] }).notNull(),
    type: text('type', { enum: NOTIFICATION_EVENT_TYPES }).notNull(),
    actorFirm: text('actor_firm').notNull(),
    actorSubject: text('actor_subject'),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    /** PROGRESS: how many tiers below this notification's receiver the reported step happened. */
    hops: integer('hops'),
    /** PROGRESS: the firm whose change it reports, only when that firm lets this one know (notificationDisclosure.ts). */
    subjectFirm: text('subject_firm'),
    /** The firms that the firm making the change lets learn its identity in progress reports. */
    discloseTo: jsonb('disclose_to').$type<string[]>(),
    deliveredAt: instant('delivered_at'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at'),
    lastError: text('last_error'),
  },
  (t) => [
    index('quality_notification_events_notification_idx').on(t.notificationId, t.at),
    index('quality_notification_events_pending_idx').on(t.origin, t.deliveredAt),
    foreignKey({ name: 'quality_notification_events_fk', columns: [t.notificationId], foreignColumns: [qualityNotifications.notificationId] }).onDelete('cascade'),
    enumCheck('quality_notification_events_type_check', t.type, NOTIFICATION_EVENT_TYPES),
    enumCheck('quality_notification_events_to_check', t.toStatus, NOTIFICATION_STATUSES),
  ],
);

export const notificationTables = { qualityNotifications, qualityNotificationLots, qualityNotificationEvents };
