import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFirmDatabase, type FirmDatabase } from '../../../subgraphs/firm/db/openFirmDatabase.js';
import { activeAgreementsFor } from '../../../subgraphs/firm/agreements/activeAgreementsFor.js';
import {
  createAccessRequest,
  decideAccessRequest,
  listAccessRequests,
  listAgreements,
  loadActiveAgreements,
  revokeAgreement,
  type NewAccessRequest,
} from '../../../subgraphs/firm/agreements/agreementStore.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../../harness/createTestDatabase.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

const ask = (requesterId: string, over: Partial<NewAccessRequest> = {}): NewAccessRequest => ({
  requesterId,
  requestedBy: `planner@${requesterId}`,
  types: ['Shipment'],
  fields: ['eta', 'status'],
  purpose: 'planning',
  days: 30,
  ...over,
});

describe.each(testDatabaseKinds())('agreement store on %s', (kind) => {
  let testDb: TestDatabase;
  let firm: FirmDatabase;
  /** Requester → its request id (concurrent creations take their numbers in any order). */
  const idOf = (requester: string): string => requestIds.get(requester) ?? 'missing';
  const requestIds = new Map<string, string>();

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    firm = await openFirmDatabase({ databaseUrl: testDb.url, dataDir: testDb.dataDir });
  });
  afterAll(async () => {
    await firm?.close();
    await testDb?.drop();
  });

  it('stores requests PENDING with sequential per-firm ids, also when created concurrently', async () => {
    const first = await createAccessRequest(firm.db, 'structura', ask('avionix', { note: 'for the Q3 plan' }), T0);
    expect(first).toMatchObject({ requestId: 'structura-AR0001', requesterId: 'avionix', requestedBy: 'planner@avionix', state: 'PENDING', note: 'for the Q3 plan', agreement: null });
    expect(first.createdAt.toISOString()).toBe(T0.toISOString());
    const more = await Promise.all(['skyframe', 'precimach', 'circuitra', 'alumill'].map((f) => createAccessRequest(firm.db, 'structura', ask(f), T0)));
    expect(more.map((r) => r.requestId).sort()).toEqual(['structura-AR0002', 'structura-AR0003', 'structura-AR0004', 'structura-AR0005']);
    for (const r of [first, ...more]) requestIds.set(r.requesterId, r.requestId);
  });

  it('grants in one transaction: the request GRANTED, an ACTIVE agreement from now for its days', async () => {
    const before = firm.statements();
    const outcome = await decideAccessRequest(firm.db, 'structura', { requestId: 'structura-AR0001', decision: 'GRANT', decidedBy: 'admin@structura', note: 'ok' }, at(1));
    expect(firm.statements() - before).toBeLessThanOrEqual(5);
    expect(outcome.kind).toBe('decided');
    if (outcome.kind !== 'decided') return;
    expect(outcome.request).toMatchObject({ state: 'GRANTED', decidedBy: 'admin@structura', decisionNote: 'ok', agreementId: 'structura-AG0001' });
    expect(outcome.request.agreement).toMatchObject({
      agreementId: 'structura-AG0001',
      requestId: 'structura-AR0001',
      holderId: 'avionix',
      types: ['Shipment'],
      fields: ['eta', 'status'],
      purpose: 'planning',
      state: 'ACTIVE',
      grantedBy: 'admin@structura',
    });
    expect(outcome.request.agreement?.validFrom.toISOString()).toBe(at(1).toISOString());
    expect(outcome.request.agreement?.validUntil.toISOString()).toBe(at(31).toISOString());

    const again = await decideAccessRequest(firm.db, 'structura', { requestId: 'structura-AR0001', decision: 'REJECT', decidedBy: 'admin@structura' }, at(2));
    expect(again.kind).toBe('already-decided');
    expect(await decideAccessRequest(firm.db, 'structura', { requestId: 'nope', decision: 'GRANT', decidedBy: 'x' }, at(2))).toEqual({ kind: 'not-found' });
  });

  it('rejects without an agreement; two concurrent decisions on one request: one wins', async () => {
    const rejected = await decideAccessRequest(firm.db, 'structura', { requestId: idOf('skyframe'), decision: 'REJECT', decidedBy: 'admin@structura' }, at(1));
    expect(rejected.kind === 'decided' && rejected.request).toMatchObject({ state: 'REJECTED', agreement: null, agreementId: null });
    const race = await Promise.all(
      (['GRANT', 'GRANT'] as const).map((decision) => decideAccessRequest(firm.db, 'structura', { requestId: idOf('precimach'), decision, decidedBy: 'admin@structura' }, at(1))),
    );
    expect(race.map((o) => o.kind).sort()).toEqual(['already-decided', 'decided']);
    expect((await listAgreements(firm.db, { holderId: 'precimach' })).map((a) => a.agreementId)).toEqual(['structura-AG0002']);
  });

  it('loads the agreements in force for a holder in ONE statement: ACTIVE and validFrom ≤ now < validUntil', async () => {
    const before = firm.statements();
    const grants = await loadActiveAgreements(firm.db, 'avionix', at(10));
    expect(firm.statements() - before).toBe(1);
    expect(grants).toEqual([
      { agreementId: 'structura-AG0001', holderId: 'avionix', types: ['Shipment'], fields: ['eta', 'status'], purpose: 'planning', validFrom: at(1), validUntil: at(31) },
    ]);
    expect(await loadActiveAgreements(firm.db, 'avionix', at(0))).toEqual([]); // not yet
    expect(await loadActiveAgreements(firm.db, 'avionix', at(31))).toEqual([]); // expired at validUntil
    expect(await loadActiveAgreements(firm.db, 'skyframe', at(10))).toEqual([]); // still pending
  });

  it('revokes an ACTIVE agreement: the very next load no longer returns it', async () => {
    const outcome = await revokeAgreement(firm.db, { agreementId: 'structura-AG0001', revokedBy: 'admin@structura' }, at(5));
    expect(outcome.kind === 'revoked' && outcome.agreement).toMatchObject({ state: 'REVOKED', revokedBy: 'admin@structura', revokedAt: at(5) });
    expect(await loadActiveAgreements(firm.db, 'avionix', at(5))).toEqual([]);
    expect((await revokeAgreement(firm.db, { agreementId: 'structura-AG0001', revokedBy: 'x' }, at(6))).kind).toBe('not-active');
    expect(await revokeAgreement(firm.db, { agreementId: 'nope', revokedBy: 'x' }, at(6))).toEqual({ kind: 'not-found' });
  });

  it('lists requests with their agreements (one statement), by requester and state', async () => {
    const before = firm.statements();
    const all = await listAccessRequests(firm.db);
    expect(firm.statements() - before).toBe(1);
    expect(all.map((r) => r.requestId)).toEqual(['structura-AR0001', 'structura-AR0002', 'structura-AR0003', 'structura-AR0004', 'structura-AR0005']);
    expect(Object.fromEntries(all.map((r) => [r.requesterId, [r.requestId, r.state, r.agreement?.agreementId ?? null]]))).toEqual({
      avionix: ['structura-AR0001', 'GRANTED', 'structura-AG0001'],
      skyframe: [idOf('skyframe'), 'REJECTED', null],
      precimach: [idOf('precimach'), 'GRANTED', 'structura-AG0002'],
      circuitra: [idOf('circuitra'), 'PENDING', null],
      alumill: [idOf('alumill'), 'PENDING', null],
    });
    expect(all[0]?.agreement?.state).toBe('REVOKED');
    expect((await listAccessRequests(firm.db, { requesterId: 'avionix' })).map((r) => r.requestId)).toEqual(['structura-AR0001']);
    expect((await listAccessRequests(firm.db, { state: 'PENDING' })).map((r) => r.requesterId).sort()).toEqual(['alumill', 'circuitra']);
  });

  it('activeAgreementsFor: at most one statement per request, none for the owner or a firm that left; a revocation acts on the next request', async () => {
    // The embedded database is written by this process only: the holder's agreements are
    // kept between requests until a grant or revocation. PostgreSQL: one read per request.
    const cached = firm.driver === 'pglite';
    const members = [{ id: 'structura' }, { id: 'precimach' }];
    const ctx = { firmId: 'structura', db: firm.db, now: at(2), directory: { members }, access: { caller: { firmId: 'precimach' } } };
    const before = firm.statements();
    const first = await activeAgreementsFor(ctx);
    expect(await activeAgreementsFor(ctx)).toBe(first);
    expect(firm.statements() - before).toBe(1);
    expect(first.map((g) => g.agreementId)).toEqual(['structura-AG0002']);
    // Another request (a new context object), later: the same grant, read again only on PostgreSQL.
    expect((await activeAgreementsFor({ ...ctx, now: at(3) })).map((g) => g.agreementId)).toEqual(['structura-AG0002']);
    expect(firm.statements() - before).toBe(cached ? 1 : 2);
    // Past its end the grant is not in force, cached or not.
    expect(await activeAgreementsFor({ ...ctx, now: at(40) })).toEqual([]);
    expect(firm.statements() - before).toBe(cached ? 1 : 3);

    // A revocation in between is seen by the very next request.
    const beforeRevoke = firm.statements();
    await revokeAgreement(firm.db, { agreementId: 'structura-AG0002', revokedBy: 'admin@structura' }, at(2));
    expect(await activeAgreementsFor({ ...ctx })).toEqual([]);
    expect(firm.statements() - beforeRevoke).toBe(2); // the revocation + a fresh read

    const own = await activeAgreementsFor({ ...ctx, access: { caller: { firmId: 'structura' } } });
    const gone = await activeAgreementsFor({ ...ctx, directory: { members: [{ id: 'structura' }] } });
    expect([own, gone]).toEqual([[], []]);
    expect(firm.statements() - beforeRevoke).toBe(2); // none for the owner or a non-member
  });

  it('activeAgreementsFor: a grant is seen by the next request, also after the holder was read with none', async () => {
    const members = [{ id: 'structura' }, { id: 'circuitra' }];
    const ctx = { firmId: 'structura', db: firm.db, now: at(3), directory: { members }, access: { caller: { firmId: 'circuitra' } } };
    expect(await activeAgreementsFor(ctx)).toEqual([]); // circuitra's request is still pending
    const outcome = await decideAccessRequest(firm.db, 'structura', { requestId: idOf('circuitra'), decision: 'GRANT', decidedBy: 'admin@structura' }, at(3));
    expect(outcome.kind).toBe('decided');
    const granted = outcome.kind === 'decided' ? outcome.request.agreementId : null;
    expect((await activeAgreementsFor({ ...ctx, now: at(4) })).map((g) => g.agreementId)).toEqual([granted]);
  });
});
