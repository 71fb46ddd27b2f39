import type { FirmDb } from '../db/firmDb.js';
import { heldAgreements } from './agreementCache.js';
import { loadHeldAgreements, type AgreementGrant } from './agreementStore.js';

/**
 * What {@link activeAgreementsFor} needs of a request: a `FirmContext` has it all, and so
 * has what the subgraph's context factory holds before it builds the context.
 */
export interface AgreementLookup {
  /** The owner (this subgraph's firm). */
  firmId: string;
  db: FirmDb;
  /** The request's instant. */
  now: Date;
  /** The directory as the request found it (a `Directory` will do). */
  directory: { members: ReadonlyArray<{ id: string }> };
  access: { caller: { firmId: string } };
}

/** One lookup per request object, never shared between requests. */
const perRequest = new WeakMap<object, Promise<AgreementGrant[]>>();

/** The grants of `held` in force at `now` (`validFrom ≤ now < validUntil`). */
function inForce(held: readonly AgreementGrant[], now: Date): AgreementGrant[] {
  const t = now.getTime();
  return held.filter((g) => g.validFrom.getTime() <= t && t < g.validUntil.getTime());
}

/**
 * The agreements the caller's firm holds from this owner and that are in force at the
 * request's instant. On PostgreSQL, ONE SQL statement per request (memoized on the
 * request's context object, never across requests). On the embedded database, which only
 * this process writes, the holder's agreements are kept between requests until this
 * process grants or revokes one (agreementCache.ts): no statement at all on most requests.
 * Either way a revocation acts on the very next request. None, and no statement, for the
 * owner's own users and for a caller whose firm is no longer a member of the directory
 * (its agreements have ended).
 *
 * @example
 * // in the firm subgraph's context factory, before the policy is applied:
 * const grants = await activeAgreementsFor({ firmId, db, now, directory: verified.directory, access: { caller: verified.caller } });
 * // → [{ agreementId: 'structura-AG0001', holderId: 'avionix', types: ['Shipment'], fields: ['*'], purpose: 'planning', validFrom, validUntil }]
 */
export function activeAgreementsFor(ctx: AgreementLookup): Promise<AgreementGrant[]> {
  const known = perRequest.get(ctx);
  if (known) return known;
  const holderId = ctx.access.caller.firmId;
  const isMember = ctx.directory.members.some((m) => m.id === holderId);
  const { db, now } = ctx;
  const grants =
    holderId === ctx.firmId || !isMember
      ? Promise.resolve([])
      : heldAgreements(db, holderId, () => loadHeldAgreements(db, holderId, now)).then((held) => inForce(held, now));
  perRequest.set(ctx, grants);
  return grants;
}
