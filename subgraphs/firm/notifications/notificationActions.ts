import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Directory } from '../../../cluster/directory.js';
import { FIRM_ROLE } from '../../../identity/firmToken.js';
import type { FirmContext } from '../firmContext.js';
import { notFound } from '../firmErrors.js';
import { disclosedTo, namedTo } from './notificationDisclosure.js';
import { readDraft, type DraftProblem, type NotificationDraft } from './notificationInput.js';
import { NOTIFICATION_STATUSES, refuseTransition, type NotificationParty, type NotificationStatus } from './notificationStatus.js';
import { hasEvent, insertNotification, readNotification, recordChange, senderOf, type NotificationActor, type NotificationView } from './notificationStore.js';

/** The role of the owner's users who create, move and forward notifications. */
export const QUALITY_ROLE = 'quality';

function refused(ctx: FirmContext, code: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, firmId: ctx.firmId, ...extra } });
}

function badDraft(ctx: FirmContext, problems: readonly DraftProblem[]): GraphQLError {
  const [first] = problems;
  return refused(ctx, 'BAD_USER_INPUT', problems.map((p) => `${p.key}: ${p.problem}`).join('; '), { key: first?.key, problem: first?.problem, problems });
}

const isSupplierOf = (d: Directory, supplier: string, customer: string): boolean => d.relationships.some((r) => r.supplier === supplier && r.customer === customer);

/** An investigation goes to a direct supplier, about its lots; an alert to a direct customer, about the sender's lots. */
function checkParties(ctx: FirmContext, draft: NotificationDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const { kind, receiverId } = draft;
  if (kind === 'INVESTIGATION' && !isSupplierOf(ctx.directory, receiverId, ctx.firmId)) problems.push({ key: 'input.receiverId', problem: `${receiverId} is not a direct supplier of ${ctx.firmId}: an investigation goes to a direct supplier` });
  if (kind === 'ALERT' && !isSupplierOf(ctx.directory, ctx.firmId, receiverId)) problems.push({ key: 'input.receiverId', problem: `${receiverId} is not a direct customer of ${ctx.firmId}: an alert goes to a direct customer` });
  const owner = kind === 'INVESTIGATION' ? receiverId : ctx.firmId;
  draft.lots.forEach((l, i) => {
    if (l.firmId !== owner) problems.push({ key: `input.lots[${i}]`, problem: `an ${kind === 'INVESTIGATION' ? 'investigation asks about lots of its receiver' : "alert is about the sender's own lots"} (${owner}), not of ${l.firmId}` });
  });
  return problems;
}

function requireQualityUser(ctx: FirmContext, what: string): NotificationActor {
  const { caller } = ctx.access;
  if (caller.firmId !== ctx.firmId || !caller.roles.includes(QUALITY_ROLE)) {
    throw refused(ctx, 'FORBIDDEN', `Only firm ${ctx.firmId}'s own users with the ${QUALITY_ROLE} role may ${what}.`, { role: QUALITY_ROLE });
  }
  return { firmId: ctx.firmId, subject: caller.subject, roles: caller.roles };
}

const today = (ctx: FirmContext): string => ctx.now.toISOString().slice(0, 10);

async function create(ctx: FirmContext, draft: NotificationDraft, actor: NotificationActor, parentId: string | null, send: boolean): Promise<NotificationView> {
  const notificationId = `QN-${ctx.firmId}-${randomUUID()}`;
  const at = ctx.now;
  await ctx.db.transaction(async (tx) => {
    await insertNotification(
      tx,
      { firmId: ctx.firmId, notificationId, side: 'OUTBOX', kind: draft.kind, senderId: ctx.firmId, receiverId: draft.receiverId, title: draft.title, description: draft.description, severity: draft.severity, targetDate: draft.targetDate, status: 'CREATED', parentId, createdAt: at, updatedAt: at },
      draft.lots,
    );
    const base = { notificationId, at, origin: 'LOCAL', type: 'TRANSITION', actor, reason: null, hops: null } as const;
    await recordChange(tx, { ...base, eventId: randomUUID(), fromStatus: null, toStatus: 'CREATED', deliver: false });
    if (send) await recordChange(tx, { ...base, eventId: randomUUID(), fromStatus: 'CREATED', toStatus: 'SENT', deliver: true });
  });
  if (send) ctx.notifications?.kick();
  const view = await readNotification(ctx.db, notificationId);
  if (!view) throw new Error(`notification ${notificationId} was not stored`);
  return view;
}

/**
 * `createQualityNotification`: a new notification in the firm's outbox, CREATED (sent with
 * `updateQualityNotification(status: SENT)`).
 */
export async function createNotification(ctx: FirmContext, input: Record<string, unknown>): Promise<NotificationView> {
  const actor = requireQualityUser(ctx, 'create quality notifications');
  const read = readDraft(input, today(ctx));
  if ('problems' in read) throw badDraft(ctx, read.problems);
  const problems = checkParties(ctx, read.draft);
  if (problems.length > 0) throw badDraft(ctx, problems);
  return create(ctx, read.draft, actor, null, false);
}

/**
 * `updateQualityNotification`: one transition as the party this firm is (sender of its outbox
 * copies, receiver of its inbox ones), refused with the status machine's code; the change is
 * delivered to the other party (unless nobody else has the notification yet: a cancel).
 */
export async function updateNotification(ctx: FirmContext, notificationId: string, status: string, reason: string | undefined): Promise<NotificationView> {
  const actor = requireQualityUser(ctx, 'change quality notifications');
  const current = await readNotification(ctx.db, notificationId);
  if (!current) throw notFound(ctx.firmId, 'QualityNotification', notificationId);
  const to = status as NotificationStatus;
  const party: NotificationParty = current.side === 'OUTBOX' ? 'SENDER' : 'RECEIVER';
  const refusal = refuseTransition(current.status, to, party, reason);
  if (refusal) throw refused(ctx, refusal.code, refusal.message, { notificationId, status: current.status });
  const deliver = !(current.status === 'CREATED' && to === 'CANCELED');
  await ctx.db.transaction((tx) =>
    recordChange(tx, { eventId: randomUUID(), notificationId, at: ctx.now, origin: 'LOCAL', type: 'TRANSITION', actor, fromStatus: current.status, toStatus: to, reason: reason?.trim() ?? null, hops: null, deliver, ...(current.side === 'INBOX' ? { discloseTo: disclosedTo(ctx) } : {}) }),
  );
  if (deliver) ctx.notifications?.kick();
  const view = await readNotification(ctx.db, notificationId);
  if (!view) throw new Error(`notification ${notificationId} vanished`);
  return view;
}

/**
 * `forwardQualityNotification`: an investigation this firm received, forwarded to one of its
 * own direct suppliers as a new investigation linked to it (`parentId`), SENT at once. The
 * original's sender then sees the forwarded one's progress, not whom it went to.
 */
export async function forwardNotification(ctx: FirmContext, notificationId: string, input: Record<string, unknown>): Promise<NotificationView> {
  const actor = requireQualityUser(ctx, 'forward quality notifications');
  const original = await readNotification(ctx.db, notificationId);
  if (!original) throw notFound(ctx.firmId, 'QualityNotification', notificationId);
  if (original.side !== 'INBOX' || original.kind !== 'INVESTIGATION' || !['RECEIVED', 'ACKNOWLEDGED', 'ACCEPTED'].includes(original.status)) {
    throw refused(ctx, 'NOTIFICATION_TRANSITION_INVALID', `only an investigation this firm received and has not closed or declined can be forwarded (${notificationId} is a ${original.status} ${original.kind} of the ${original.side.toLowerCase()})`, { notificationId });
  }
  const read = readDraft(
    { kind: 'INVESTIGATION', title: original.title, description: original.description, severity: original.severity, targetDate: original.targetDate, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) },
    today(ctx),
  );
  if ('problems' in read) throw badDraft(ctx, read.problems);
  const problems = checkParties(ctx, read.draft);
  if (problems.length > 0) throw badDraft(ctx, problems);
  return create(ctx, read.draft, actor, notificationId, true);
}

/** What a delivery carries: the notification as the other party holds it and one change. */
export interface Delivery {
  notificationId: string;
  kind: 'INVESTIGATION' | 'ALERT';
  senderId: string;
  receiverId: string;
  title: string;
  description: string;
  severity: 'MINOR' | 'MAJOR' | 'CRITICAL' | 'LIFE_THREATENING';
  targetDate: string | null;
  lots: { firmId: string; lotId: string }[];
  createdAt: Date;
  eventId: string;
  at: Date;
  type: string;
  fromStatus: NotificationStatus | null;
  toStatus: NotificationStatus;
  reason: string | null;
  hops: number | null;
  subjectFirm: string | null;
  discloseTo: string[] | null;
}

/**
 * `deliverQualityNotification`: stores a change the other party made, once (by event id), in
 * one transaction with the firm's write log. The first delivery of a sent notification puts it
 * in the receiver's inbox and makes it RECEIVED (a change delivered back). A transition that
 * does not follow from the status held here is stored as a message and changes no status. A
 * change on an investigation this firm forwarded is reported up the chain as progress on the
 * one it came from. Only the other party's firm token may deliver.
 */
export async function receiveDelivery(ctx: FirmContext, d: Delivery): Promise<{ stored: boolean; status: NotificationStatus }> {
  const caller = ctx.access.caller;
  const side = d.receiverId === ctx.firmId ? 'INBOX' : d.senderId === ctx.firmId ? 'OUTBOX' : undefined;
  const other = side === 'INBOX' ? d.senderId : d.receiverId;
  if (!side || !caller.roles.includes(FIRM_ROLE) || caller.firmId !== other || other === ctx.firmId) {
    throw refused(ctx, 'FORBIDDEN', `Only the other party of a quality notification, as a firm, may deliver its changes to firm ${ctx.firmId}.`);
  }
  const type = d.type;
  if (type !== 'TRANSITION' && type !== 'PROGRESS') throw refused(ctx, 'BAD_USER_INPUT', `type must be TRANSITION or PROGRESS, got ${type.slice(0, 40)}`);
  const actor: NotificationActor = { firmId: caller.firmId, subject: caller.subject, roles: caller.roles };
  let held = await readNotification(ctx.db, d.notificationId);
  if (held && (held.senderId !== d.senderId || held.receiverId !== d.receiverId)) throw refused(ctx, 'FORBIDDEN', `notification ${d.notificationId} is not between these firms`);
  if (await hasEvent(ctx.db, d.eventId)) return { stored: true, status: held?.status ?? d.toStatus };
  const relationOk = d.kind === 'INVESTIGATION' ? isSupplierOf(ctx.directory, d.receiverId, d.senderId) : isSupplierOf(ctx.directory, d.senderId, d.receiverId);
  if (!relationOk) throw refused(ctx, 'FORBIDDEN', `${d.senderId} and ${d.receiverId} do not trade as an ${d.kind === 'INVESTIGATION' ? 'investigation' : 'alert'} needs`);

  let receivedToo = false;
  await ctx.db.transaction(async (tx) => {
    if (!held) {
      if (side !== 'INBOX' || d.type !== 'TRANSITION' || d.toStatus !== 'SENT') throw refused(ctx, 'NOT_FOUND', `notification ${d.notificationId} is not held here`);
      await insertNotification(
        tx,
        { firmId: ctx.firmId, notificationId: d.notificationId, side: 'INBOX', kind: d.kind, senderId: d.senderId, receiverId: d.receiverId, title: d.title, description: d.description, severity: d.severity, targetDate: d.targetDate, status: 'SENT', parentId: null, createdAt: d.createdAt, updatedAt: d.at },
        d.lots,
      );
      await recordChange(tx, { eventId: d.eventId, notificationId: d.notificationId, at: d.at, origin: 'REMOTE', type: 'TRANSITION', actor, fromStatus: 'CREATED', toStatus: 'SENT', reason: null, hops: null, deliver: false });
      const me: NotificationActor = { firmId: ctx.firmId, subject: null, roles: [FIRM_ROLE] };
      await recordChange(tx, { eventId: randomUUID(), notificationId: d.notificationId, at: ctx.now, origin: 'LOCAL', type: 'TRANSITION', actor: me, fromStatus: 'SENT', toStatus: 'RECEIVED', reason: null, hops: null, deliver: true, discloseTo: disclosedTo(ctx) });
      receivedToo = true;
      return;
    }
    const party: NotificationParty = side === 'INBOX' ? 'SENDER' : 'RECEIVER';
    const applies = d.type === 'TRANSITION' && refuseTransition(held.status, d.toStatus, party, d.reason ?? undefined) === undefined;
    await recordChange(tx, {
      eventId: d.eventId,
      notificationId: d.notificationId,
      at: d.at,
      origin: 'REMOTE',
      type,
      actor,
      fromStatus: d.fromStatus,
      toStatus: d.toStatus,
      reason: d.reason,
      hops: d.type === 'PROGRESS' ? (d.hops ?? 1) : null,
      subjectFirm: d.type === 'PROGRESS' ? d.subjectFirm : null,
      discloseTo: d.discloseTo,
      deliver: false,
      applyStatus: applies,
    });
    // Up the chain: a change of an investigation this firm forwarded is progress of the one it came from.
    if (held.side === 'OUTBOX' && held.parentId) {
      const me: NotificationActor = { firmId: ctx.firmId, subject: null, roles: [FIRM_ROLE] };
      const hops = d.type === 'PROGRESS' ? (d.hops ?? 1) + 1 : 1;
      // Named to the original's sender only if the firm that changed lets it know (notificationDisclosure.ts).
      const upstream = (await senderOf(tx, held.parentId)) ?? '';
      const subjectFirm = namedTo(upstream, d.type === 'PROGRESS' ? d.subjectFirm : caller.firmId, d.discloseTo);
      await recordChange(tx, { eventId: randomUUID(), notificationId: held.parentId, at: ctx.now, origin: 'LOCAL', type: 'PROGRESS', actor: me, fromStatus: null, toStatus: d.toStatus, reason: null, hops, deliver: true, subjectFirm, discloseTo: d.discloseTo });
      receivedToo = true;
    }
  });
  if (receivedToo) ctx.notifications?.kick();
  held = await readNotification(ctx.db, d.notificationId);
  return { stored: true, status: held?.status ?? d.toStatus };
}

/** The statuses, for argument checks. */
export const isNotificationStatus = (v: unknown): v is NotificationStatus => typeof v === 'string' && (NOTIFICATION_STATUSES as readonly string[]).includes(v);
