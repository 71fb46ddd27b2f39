import type { FirmDb } from '../db/firmDb.js';
import { loadActiveAgreements, type AgreementGrant } from './agreementStore.js';

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

/**
 * The agreements the caller's firm holds from this owner and that are in force at the
 * request's instant: ONE SQL statement per request (memoized on the request's context
 * object, never across requests, so a revocation acts on the very next request). None,
 * and no statement, for the owner's own users and for a caller whose firm is no longer a
 * member of the directory (its agreements have ended).
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
  const grants = holderId === ctx.firmId || !isMember ? Promise.resolve([]) : loadActiveAgreements(ctx.db, holderId, ctx.now);
  perRequest.set(ctx, grants);
  return grants;
}
