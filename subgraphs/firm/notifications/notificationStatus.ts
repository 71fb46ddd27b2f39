/** The states of a quality notification, as Trace-X names them. */
export const NOTIFICATION_STATUSES = ['CREATED', 'SENT', 'RECEIVED', 'ACKNOWLEDGED', 'ACCEPTED', 'DECLINED', 'CLOSED', 'CANCELED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const NOTIFICATION_SEVERITIES = ['MINOR', 'MAJOR', 'CRITICAL', 'LIFE_THREATENING'] as const;
export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];

/** An investigation goes to suppliers (is this lot of yours defective?); an alert to customers (these lots I shipped you are). */
export const NOTIFICATION_KINDS = ['INVESTIGATION', 'ALERT'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Which side of a notification acts. */
export type NotificationParty = 'SENDER' | 'RECEIVER';

interface Transition {
  by: NotificationParty;
  /** A reason of 15-1000 characters is required. */
  reason: boolean;
}

const S = (reason = false): Transition => ({ by: 'SENDER', reason });
const R = (reason = false): Transition => ({ by: 'RECEIVER', reason });

/**
 * The status machine, exactly: CREATED → SENT | CANCELED; SENT → RECEIVED | ACKNOWLEDGED |
 * CLOSED; RECEIVED → ACKNOWLEDGED | CLOSED; ACKNOWLEDGED → ACCEPTED | DECLINED | CLOSED;
 * ACCEPTED | DECLINED → CLOSED. The sender sends, cancels and closes; the receiver receives,
 * acknowledges, accepts and declines. Decline, close and cancel need a reason.
 */
export const TRANSITIONS: Readonly<Record<NotificationStatus, Partial<Record<NotificationStatus, Transition>>>> = {
  CREATED: { SENT: S(), CANCELED: S(true) },
  SENT: { RECEIVED: R(), ACKNOWLEDGED: R(), CLOSED: S(true) },
  RECEIVED: { ACKNOWLEDGED: R(), CLOSED: S(true) },
  ACKNOWLEDGED: { ACCEPTED: R(), DECLINED: R(true), CLOSED: S(true) },
  ACCEPTED: { CLOSED: S(true) },
  DECLINED: { CLOSED: S(true) },
  CLOSED: {},
  CANCELED: {},
};

export const REASON_MIN = 15;
export const REASON_MAX = 1000;

/** Why a transition is refused: each a stable error code. */
export type TransitionRefusal =
  | { code: 'NOTIFICATION_TRANSITION_INVALID'; message: string }
  | { code: 'NOTIFICATION_PARTY_INVALID'; message: string }
  | { code: 'NOTIFICATION_REASON_REQUIRED'; message: string };

/**
 * May `party` move a notification from `from` to `to`, with this reason? `undefined` when it
 * may, else the refusal with its code.
 * @example refuseTransition('SENT', 'ACCEPTED', 'RECEIVER', undefined) // { code: 'NOTIFICATION_TRANSITION_INVALID', ... }
 */
export function refuseTransition(from: NotificationStatus, to: NotificationStatus, party: NotificationParty, reason: string | undefined): TransitionRefusal | undefined {
  const t = TRANSITIONS[from][to];
  if (!t) {
    const allowed = Object.keys(TRANSITIONS[from]);
    return { code: 'NOTIFICATION_TRANSITION_INVALID', message: `a ${from} notification cannot become ${to} (${allowed.length > 0 ? `it can become ${allowed.join(' or ')}` : 'it is final'})` };
  }
  if (t.by !== party) return { code: 'NOTIFICATION_PARTY_INVALID', message: `only the ${t.by.toLowerCase()} may make a ${from} notification ${to}` };
  const length = reason?.trim().length ?? 0;
  if (t.reason && (length < REASON_MIN || length > REASON_MAX)) {
    return { code: 'NOTIFICATION_REASON_REQUIRED', message: `${to} needs a reason of ${REASON_MIN} to ${REASON_MAX} characters (got ${length})` };
  }
  return undefined;
}

/** True for the states nothing follows. */
export const isFinal = (status: NotificationStatus): boolean => Object.keys(TRANSITIONS[status]).length === 0;
