import type { AgreementRecord } from './agreementStore.js';

/** The state of an agreement as both parties see it (the schema's `AgreementState`). */
export type AgreementState = 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'ENDED';

/**
 * The state an agreement reads at `now`, computed rather than stored where time or the
 * directory decide it: REVOKED or ENDED as stored first; then EXPIRED once
 * `validUntil ≤ now`; then ENDED when its holder is no longer a member of the cluster
 * (`isMember`); else ACTIVE. Pure.
 *
 * @example
 * agreementState(row, new Date(), (id) => directory.members.some((m) => m.id === id)); // 'ACTIVE'
 */
export function agreementState(
  agreement: Pick<AgreementRecord, 'state' | 'holderId' | 'validUntil'>,
  now: Date,
  isMember: (firmId: string) => boolean,
): AgreementState {
  if (agreement.state !== 'ACTIVE') return agreement.state;
  if (agreement.validUntil.getTime() <= now.getTime()) return 'EXPIRED';
  if (!isMember(agreement.holderId)) return 'ENDED';
  return 'ACTIVE';
}
