import { and, asc, eq, gt, lte, type SQL } from 'drizzle-orm';
import { agreementsChanged } from './agreementCache.js';
import type { FirmDb } from '../db/firmDb.js';
import { accessRequests, agreements } from '../db/governanceTables.js';
import { nextSequentialId } from './nextSequentialId.js';
import type { AgreementGrant } from '../../../policies/policyFile.js';

/** An agreement in force, as the policy engine needs it (one declaration, in the policy module). */
export type { AgreementGrant } from '../../../policies/policyFile.js';

/** An access request as stored. */
export type AccessRequestRecord = typeof accessRequests.$inferSelect;
/** An agreement as stored (its state as stored: ACTIVE, REVOKED or ENDED; see `agreementState`). */
export type AgreementRecord = typeof agreements.$inferSelect;
export type AccessRequestState = AccessRequestRecord['state'];

/** A request with the agreement its grant created, if any. */
export interface AccessRequestWithAgreement extends AccessRequestRecord {
  agreement: AgreementRecord | null;
}

/** What a requester asks for; validated by the caller (see `validateAccessRequestInput`). */
export interface NewAccessRequest {
  requesterId: string;
  requestedBy: string;
  types: string[];
  fields: string[];
  purpose: string;
  days: number;
  note?: string | null;
}

export interface AccessDecisionInput {
  requestId: string;
  decision: 'GRANT' | 'REJECT';
  decidedBy: string;
  note?: string | null;
}

export type DecisionOutcome =
  | { kind: 'decided'; request: AccessRequestWithAgreement }
  | { kind: 'not-found' }
  | { kind: 'already-decided'; request: AccessRequestWithAgreement };

export type RevocationOutcome =
  | { kind: 'revoked'; agreement: AgreementRecord }
  | { kind: 'not-found' }
  | { kind: 'not-active'; agreement: AgreementRecord };

const DAY_MS = 86_400_000;

const GRANT_COLUMNS = {
  agreementId: agreements.agreementId,
  holderId: agreements.holderId,
  types: agreements.types,
  fields: agreements.fields,
  purpose: agreements.purpose,
  validFrom: agreements.validFrom,
  validUntil: agreements.validUntil,
};

/**
 * The agreements of a holder that have not ended at `now` (stored state ACTIVE and
 * `now < validUntil`, including those that begin later), in ONE SQL statement, by id:
 * what agreementCache.ts keeps per holder.
 * @example const held = await loadHeldAgreements(db, 'avionix', new Date());
 */
export async function loadHeldAgreements(db: FirmDb, holderId: string, now: Date): Promise<AgreementGrant[]> {
  return db
    .select(GRANT_COLUMNS)
    .from(agreements)
    .where(and(eq(agreements.holderId, holderId), eq(agreements.state, 'ACTIVE'), gt(agreements.validUntil, now)))
    .orderBy(asc(agreements.agreementId));
}

/**
 * The agreements in force for a holder at `now`, in ONE SQL statement: stored state
 * ACTIVE and `validFrom ≤ now < validUntil`. Not cached: a revocation acts on the very
 * next call.
 * @example const grants = await loadActiveAgreements(db, 'avionix', new Date());
 */
export async function loadActiveAgreements(db: FirmDb, holderId: string, now: Date): Promise<AgreementGrant[]> {
  return db
    .select(GRANT_COLUMNS)
    .from(agreements)
    .where(and(eq(agreements.holderId, holderId), eq(agreements.state, 'ACTIVE'), lte(agreements.validFrom, now), gt(agreements.validUntil, now)))
    .orderBy(asc(agreements.agreementId));
}

/**
 * Stores a PENDING request with the next id `<owner>-AR0001`... (one transaction).
 * @example const r = await createAccessRequest(db, 'structura', { requesterId: 'avionix', requestedBy: 'planner@avionix', types: ['Shipment'], fields: ['*'], purpose: 'planning', days: 30 }, now);
 */
export async function createAccessRequest(
  db: FirmDb,
  ownerId: string,
  request: NewAccessRequest,
  now: Date,
): Promise<AccessRequestWithAgreement> {
  return db.transaction(async (tx) => {
    const requestId = await nextSequentialId(tx, ownerId, 'AR');
    const [stored] = await tx
      .insert(accessRequests)
      .values({ ...request, note: request.note ?? null, requestId, state: 'PENDING', createdAt: now })
      .returning();
    if (!stored) throw new Error(`access request ${requestId} was not stored`);
    return { ...stored, agreement: null };
  });
}

/**
 * Decides a PENDING request, in one transaction that locks its row: REJECT marks it
 * REJECTED; GRANT marks it GRANTED and inserts the agreement (`<owner>-AG0001`...,
 * ACTIVE, valid from `now` for the request's days). A request decided already is left as
 * it is (`already-decided`).
 * @example const outcome = await decideAccessRequest(db, 'structura', { requestId: 'structura-AR0001', decision: 'GRANT', decidedBy: 'admin@structura' }, now);
 */
export async function decideAccessRequest(db: FirmDb, ownerId: string, input: AccessDecisionInput, now: Date): Promise<DecisionOutcome> {
  const outcome = await decideInTransaction(db, ownerId, input, now);
  if (outcome.kind === 'decided' && outcome.request.agreement) agreementsChanged(db);
  return outcome;
}

function decideInTransaction(db: FirmDb, ownerId: string, input: AccessDecisionInput, now: Date): Promise<DecisionOutcome> {
  return db.transaction(async (tx): Promise<DecisionOutcome> => {
    const [request] = await tx.select().from(accessRequests).where(eq(accessRequests.requestId, input.requestId)).for('update');
    if (!request) return { kind: 'not-found' };
    if (request.state !== 'PENDING') {
      const agreement = request.agreementId ? await loadAgreement(tx, request.agreementId) : null;
      return { kind: 'already-decided', request: { ...request, agreement } };
    }
    let agreement: AgreementRecord | null = null;
    if (input.decision === 'GRANT') {
      const agreementId = await nextSequentialId(tx, ownerId, 'AG');
      const [granted] = await tx
        .insert(agreements)
        .values({
          agreementId,
          requestId: request.requestId,
          holderId: request.requesterId,
          types: request.types,
          fields: request.fields,
          purpose: request.purpose,
          validFrom: now,
          validUntil: new Date(now.getTime() + request.days * DAY_MS),
          state: 'ACTIVE',
          grantedBy: input.decidedBy,
        })
        .returning();
      agreement = granted ?? null;
    }
    const [decided] = await tx
      .update(accessRequests)
      .set({
        state: input.decision === 'GRANT' ? 'GRANTED' : 'REJECTED',
        decidedAt: now,
        decidedBy: input.decidedBy,
        decisionNote: input.note ?? null,
        agreementId: agreement?.agreementId ?? null,
      })
      .where(eq(accessRequests.requestId, request.requestId))
      .returning();
    if (!decided) throw new Error(`access request ${request.requestId} was not updated`);
    return { kind: 'decided', request: { ...decided, agreement } };
  });
}

/**
 * Revokes an agreement whose stored state is ACTIVE (one UPDATE; a second statement only
 * to tell a missing agreement from one revoked or ended already).
 * @example const outcome = await revokeAgreement(db, { agreementId: 'structura-AG0001', revokedBy: 'admin@structura' }, now);
 */
export async function revokeAgreement(db: FirmDb, input: { agreementId: string; revokedBy: string }, now: Date): Promise<RevocationOutcome> {
  const [revoked] = await db
    .update(agreements)
    .set({ state: 'REVOKED', revokedAt: now, revokedBy: input.revokedBy })
    .where(and(eq(agreements.agreementId, input.agreementId), eq(agreements.state, 'ACTIVE')))
    .returning();
  if (revoked) {
    agreementsChanged(db);
    return { kind: 'revoked', agreement: revoked };
  }
  const existing = await loadAgreement(db, input.agreementId);
  return existing ? { kind: 'not-active', agreement: existing } : { kind: 'not-found' };
}

/**
 * One agreement by id, or null.
 * @example await loadAgreement(db, 'structura-AG0001');
 */
export async function loadAgreement(db: FirmDb, agreementId: string): Promise<AgreementRecord | null> {
  const [row] = await db.select().from(agreements).where(eq(agreements.agreementId, agreementId));
  return row ?? null;
}

/**
 * One access request by id, or null (without its agreement).
 * @example await loadAccessRequest(db, 'structura-AR0001');
 */
export async function loadAccessRequest(db: FirmDb, requestId: string): Promise<AccessRequestRecord | null> {
  const [row] = await db.select().from(accessRequests).where(eq(accessRequests.requestId, requestId));
  return row ?? null;
}

/**
 * Access requests with their agreements, in one statement (a left join), oldest first;
 * optionally of one requester and in one state.
 * @example await listAccessRequests(db, { requesterId: 'avionix', state: 'PENDING' });
 */
export async function listAccessRequests(
  db: FirmDb,
  filter: { requesterId?: string; state?: AccessRequestState } = {},
): Promise<AccessRequestWithAgreement[]> {
  const conditions: SQL[] = [];
  if (filter.requesterId !== undefined) conditions.push(eq(accessRequests.requesterId, filter.requesterId));
  if (filter.state !== undefined) conditions.push(eq(accessRequests.state, filter.state));
  const rows = await db
    .select({ request: accessRequests, agreement: agreements })
    .from(accessRequests)
    .leftJoin(agreements, eq(agreements.agreementId, accessRequests.agreementId))
    .where(and(...conditions))
    .orderBy(asc(accessRequests.createdAt), asc(accessRequests.requestId));
  return rows.map(({ request, agreement }) => ({ ...request, agreement }));
}

/**
 * Agreements as stored, oldest first; optionally of one holder (one statement).
 * @example await listAgreements(db, { holderId: 'avionix' });
 */
export async function listAgreements(db: FirmDb, filter: { holderId?: string } = {}): Promise<AgreementRecord[]> {
  return db
    .select()
    .from(agreements)
    .where(filter.holderId !== undefined ? eq(agreements.holderId, filter.holderId) : undefined)
    .orderBy(asc(agreements.validFrom), asc(agreements.agreementId));
}
