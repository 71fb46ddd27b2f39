import { describe, expect, it } from 'vitest';
import { isFinal, NOTIFICATION_STATUSES, refuseTransition, type NotificationParty, type NotificationStatus } from '../../../subgraphs/firm/notifications/notificationStatus.js';

const REASON = 'The lot was measured out of tolerance.';

/** The machine as the issue writes it: [from, to, who, reason needed]. */
const ALLOWED: [NotificationStatus, NotificationStatus, NotificationParty, boolean][] = [
  ['CREATED', 'SENT', 'SENDER', false],
  ['CREATED', 'CANCELED', 'SENDER', true],
  ['SENT', 'RECEIVED', 'RECEIVER', false],
  ['SENT', 'ACKNOWLEDGED', 'RECEIVER', false],
  ['SENT', 'CLOSED', 'SENDER', true],
  ['RECEIVED', 'ACKNOWLEDGED', 'RECEIVER', false],
  ['RECEIVED', 'CLOSED', 'SENDER', true],
  ['ACKNOWLEDGED', 'ACCEPTED', 'RECEIVER', false],
  ['ACKNOWLEDGED', 'DECLINED', 'RECEIVER', true],
  ['ACKNOWLEDGED', 'CLOSED', 'SENDER', true],
  ['ACCEPTED', 'CLOSED', 'SENDER', true],
  ['DECLINED', 'CLOSED', 'SENDER', true],
];

describe('the quality notification status machine', () => {
  it.each(ALLOWED)('%s → %s by the %s', (from, to, by, needsReason) => {
    expect(refuseTransition(from, to, by, REASON)).toBeUndefined();
    const other: NotificationParty = by === 'SENDER' ? 'RECEIVER' : 'SENDER';
    expect(refuseTransition(from, to, other, REASON)?.code).toBe('NOTIFICATION_PARTY_INVALID');
    if (needsReason) {
      expect(refuseTransition(from, to, by, undefined)?.code).toBe('NOTIFICATION_REASON_REQUIRED');
      expect(refuseTransition(from, to, by, 'too short     ')?.code).toBe('NOTIFICATION_REASON_REQUIRED');
      expect(refuseTransition(from, to, by, 'x'.repeat(1001))?.code).toBe('NOTIFICATION_REASON_REQUIRED');
      expect(refuseTransition(from, to, by, 'x'.repeat(15))).toBeUndefined();
    } else expect(refuseTransition(from, to, by, undefined)).toBeUndefined();
  });

  it('refuses every other pair, for either party, with NOTIFICATION_TRANSITION_INVALID', () => {
    const allowed = new Set(ALLOWED.map(([f, t]) => `${f}>${t}`));
    let refused = 0;
    for (const from of NOTIFICATION_STATUSES)
      for (const to of NOTIFICATION_STATUSES) {
        if (allowed.has(`${from}>${to}`)) continue;
        for (const party of ['SENDER', 'RECEIVER'] as const) expect(refuseTransition(from, to, party, REASON)?.code).toBe('NOTIFICATION_TRANSITION_INVALID');
        refused++;
      }
    expect(refused).toBe(64 - ALLOWED.length);
  });

  it('says which states are final', () => {
    expect(NOTIFICATION_STATUSES.filter(isFinal)).toEqual(['CLOSED', 'CANCELED']);
  });
});
