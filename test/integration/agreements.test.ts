import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { postAsGateway } from '../harness/postAsGateway.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

const DAY_MS = 86_400_000;

const ASK = `mutation Ask($owner: ID!, $input: AccessRequestInput!) {
  requestAccess(firmId: $owner, input: $input) {
    requestId ownerId requesterId requestedBy types fields purpose days note state createdAt decidedAt agreement { agreementId }
  }
}`;
const DECIDE = `mutation Decide($owner: ID!, $id: ID!, $decision: AccessDecision!, $note: String) {
  decideAccessRequest(firmId: $owner, requestId: $id, decision: $decision, note: $note) {
    requestId state decidedAt decidedBy decisionNote
    agreement { agreementId ownerId holderId types fields purpose validFrom validUntil state grantedBy revokedAt }
  }
}`;
const REVOKE = `mutation Revoke($owner: ID!, $id: ID!) {
  revokeAgreement(firmId: $owner, agreementId: $id) { agreementId holderId state revokedAt revokedBy }
}`;
const REQUESTS = `query Requests($owner: ID!, $state: AccessRequestState) {
  firm(id: $owner) { accessRequests(state: $state) { requestId requesterId state agreement { agreementId state } } }
}`;
const AGREEMENTS = `query Agreements($owner: ID!, $state: AgreementState) {
  firm(id: $owner) { agreements(state: $state) { agreementId ownerId holderId types fields purpose state validFrom validUntil revokedBy } }
}`;
const SHIPMENTS = '{ firm(id: "structura") { shipments(first: 5) { shipmentId status eta customerId } } }';

const SHIPMENT_ASK = { types: ['Shipment'], fields: ['shipmentId', 'status', 'eta', 'customerId'], purpose: 'planning', days: 30, note: 'Q3 avionics plan' };

function codes(r: GraphQLResult): unknown[] {
  return (r.errors ?? []).map((e) => e.extensions?.['code']);
}

let cluster: TestCluster;
const tokens = {
  avionixPlanner: '',
  structuraAdmin: '',
  structuraPlanner: '',
  skyframeAdmin: '',
  skyframePlanner: '',
};

/** POSTs to the gateway as one of the tokens above. */
function gql(as: keyof typeof tokens, query: string, variables?: Json): Promise<GraphQLResult> {
  return postGraphQL(cluster.gatewayUrl, query, { token: tokens[as], ...(variables ? { variables } : {}) });
}

async function ask(as: keyof typeof tokens, input: Json, owner = 'structura'): Promise<Json> {
  const r = await gql(as, ASK, { owner, input });
  expect(r.errors).toBeUndefined();
  return at(r.data, 'requestAccess') as Json;
}

async function decide(id: unknown, decision: 'GRANT' | 'REJECT', note?: string): Promise<GraphQLResult> {
  return gql('structuraAdmin', DECIDE, { owner: 'structura', id, decision, ...(note ? { note } : {}) });
}

beforeAll(async () => {
  cluster = await startTestCluster({ directoryRefreshMs: 0 });
  tokens.avionixPlanner = cluster.token('avionix', { roles: ['planner'], purpose: 'planning' });
  tokens.structuraAdmin = cluster.token('structura', { roles: ['admin'] });
  tokens.structuraPlanner = cluster.token('structura', { roles: ['planner'] });
  tokens.skyframeAdmin = cluster.token('skyframe', { roles: ['admin'] });
  tokens.skyframePlanner = cluster.token('skyframe', { roles: ['planner'] });
});
afterAll(async () => cluster?.stop());

describe(`access requests and agreements through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let requestId = '';
  let agreementId = '';

  it("a planner of avionix asks for structura's shipments, for planning, for 30 days: PENDING at structura", async () => {
    const request = await ask('avionixPlanner', SHIPMENT_ASK);
    expect(request).toMatchObject({
      requestId: 'structura-AR0001',
      ownerId: 'structura',
      requesterId: 'avionix',
      requestedBy: 'planner@avionix',
      types: ['Shipment'],
      fields: ['shipmentId', 'status', 'eta', 'customerId'],
      purpose: 'planning',
      days: 30,
      note: 'Q3 avionics plan',
      state: 'PENDING',
      decidedAt: null,
      agreement: null,
    });
    expect(Date.parse(String(request.createdAt))).toBeGreaterThan(Date.now() - 60_000);
    requestId = String(request.requestId);
  });

  it("structura's users without the admin role, and other firms' admins, may neither decide nor list all", async () => {
    const planner = await gql('structuraPlanner', DECIDE, { owner: 'structura', id: requestId, decision: 'GRANT' });
    expect(at(planner.data, 'decideAccessRequest')).toBeNull();
    expect(planner.errors?.[0]).toMatchObject({ path: ['decideAccessRequest'], extensions: { code: 'FORBIDDEN', firmId: 'structura' } });
    const outsider = await gql('skyframeAdmin', DECIDE, { owner: 'structura', id: requestId, decision: 'GRANT' });
    expect(codes(outsider)).toEqual(['FORBIDDEN']);
    const plannerList = await gql('structuraPlanner', REQUESTS, { owner: 'structura' });
    expect(codes(plannerList)).toEqual(['FORBIDDEN']);
    expect(at(plannerList.data, 'firm.accessRequests')).toBeNull();
    // A third firm sees only its own requests: none.
    const skyframe = await gql('skyframeAdmin', REQUESTS, { owner: 'structura' });
    expect(skyframe.errors).toBeUndefined();
    expect(at(skyframe.data, 'firm.accessRequests')).toEqual([]);
  });

  it("structura's admin lists the pending request and grants it: an ACTIVE agreement from now for 30 days", async () => {
    const pending = await gql('structuraAdmin', REQUESTS, { owner: 'structura', state: 'PENDING' });
    expect(pending.errors).toBeUndefined();
    expect(at(pending.data, 'firm.accessRequests')).toEqual([{ requestId, requesterId: 'avionix', state: 'PENDING', agreement: null }]);

    const granted = await decide(requestId, 'GRANT', 'for Q3 only');
    expect(granted.errors).toBeUndefined();
    const decided = at(granted.data, 'decideAccessRequest') as Json;
    expect(decided).toMatchObject({ requestId, state: 'GRANTED', decidedBy: 'admin@structura', decisionNote: 'for Q3 only' });
    const agreement = decided.agreement as Json;
    expect(agreement).toMatchObject({
      agreementId: 'structura-AG0001',
      ownerId: 'structura',
      holderId: 'avionix',
      types: ['Shipment'],
      fields: ['shipmentId', 'status', 'eta', 'customerId'],
      purpose: 'planning',
      state: 'ACTIVE',
      grantedBy: 'admin@structura',
      revokedAt: null,
    });
    expect(Date.parse(String(agreement.validUntil)) - Date.parse(String(agreement.validFrom))).toBe(30 * DAY_MS);
    expect(agreement.validFrom).toBe(decided.decidedAt);
    agreementId = String(agreement.agreementId);
  });

  it('both parties list the agreement with its state; a third firm sees none', async () => {
    const holder = await gql('avionixPlanner', AGREEMENTS, { owner: 'structura' });
    expect(holder.errors).toBeUndefined();
    expect(at(holder.data, 'firm.agreements')).toEqual([expect.objectContaining({ agreementId, ownerId: 'structura', holderId: 'avionix', state: 'ACTIVE' })]);
    const owner = await gql('structuraAdmin', AGREEMENTS, { owner: 'structura', state: 'ACTIVE' });
    expect((at(owner.data, 'firm.agreements') as Json[]).map((a) => a.agreementId)).toEqual([agreementId]);
    const third = await gql('skyframePlanner', AGREEMENTS, { owner: 'structura' });
    expect(at(third.data, 'firm.agreements')).toEqual([]);
    // The requester follows its request, and sees the agreement it became.
    const mine = await gql('avionixPlanner', REQUESTS, { owner: 'structura' });
    expect(at(mine.data, 'firm.accessRequests')).toEqual([{ requestId, requesterId: 'avionix', state: 'GRANTED', agreement: { agreementId, state: 'ACTIVE' } }]);
  });

  it('a request is decided once; an unknown request is NOT_FOUND', async () => {
    const again = await decide(requestId, 'REJECT');
    expect(again.errors?.[0]).toMatchObject({ message: expect.stringContaining('already decided (GRANTED)'), extensions: { code: 'BAD_USER_INPUT', firmId: 'structura' } });
    expect(codes(await decide('structura-AR9999', 'GRANT'))).toEqual(['NOT_FOUND']);
  });

  it('a rejected request gets no agreement', async () => {
    const request = await ask('skyframePlanner', { types: ['InventoryPosition'], fields: ['*'], purpose: 'planning', days: 7 });
    const rejected = await decide(request.requestId, 'REJECT', 'stock levels stay internal');
    expect(rejected.errors).toBeUndefined();
    expect(at(rejected.data, 'decideAccessRequest')).toMatchObject({ state: 'REJECTED', decisionNote: 'stock levels stay internal', agreement: null });
    const skyframe = await gql('skyframePlanner', AGREEMENTS, { owner: 'structura' });
    expect(at(skyframe.data, 'firm.agreements')).toEqual([]);
    const list = await gql('structuraAdmin', REQUESTS, { owner: 'structura', state: 'REJECTED' });
    expect((at(list.data, 'firm.accessRequests') as Json[]).map((r) => r.requestId)).toEqual([request.requestId]);
  });

  it("the owner's admin revokes: the very next request reads REVOKED, for both parties", async () => {
    const revoked = await gql('structuraAdmin', REVOKE, { owner: 'structura', id: agreementId });
    expect(revoked.errors).toBeUndefined();
    expect(at(revoked.data, 'revokeAgreement')).toMatchObject({ agreementId, state: 'REVOKED', revokedBy: 'admin@structura' });
    const holder = await gql('avionixPlanner', AGREEMENTS, { owner: 'structura' });
    expect(at(holder.data, 'firm.agreements')).toEqual([expect.objectContaining({ agreementId, state: 'REVOKED', revokedBy: 'admin@structura' })]);
    expect(at((await gql('avionixPlanner', AGREEMENTS, { owner: 'structura', state: 'ACTIVE' })).data, 'firm.agreements')).toEqual([]);
    const twice = await gql('structuraAdmin', REVOKE, { owner: 'structura', id: agreementId });
    expect(twice.errors?.[0]).toMatchObject({ message: expect.stringContaining('already REVOKED'), extensions: { code: 'BAD_USER_INPUT' } });
    expect(codes(await gql('avionixPlanner', REVOKE, { owner: 'structura', id: agreementId }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql('structuraAdmin', REVOKE, { owner: 'structura', id: 'structura-AG9999' }))).toEqual(['NOT_FOUND']);
  });

  it('refuses invalid requests, naming the key', async () => {
    const cases: Array<[Json, string]> = [
      [{ types: ['Payroll'] }, 'input.types'],
      [{ types: ['Firm'] }, 'input.types'],
      [{ types: ['Shipment', 'Lot'], fields: ['eta'] }, 'input.fields'],
      [{ fields: ['*', 'eta'] }, 'input.fields'],
      [{ purpose: ' ' }, 'input.purpose'],
      // Outside the cluster terms' purpose vocabulary (planning, logistics, quality-investigation, ...).
      [{ purpose: 'marketing' }, 'input.purpose'],
      [{ purpose: 'Planning' }, 'input.purpose'],
      [{ days: 0 }, 'input.days'],
      [{ days: 366 }, 'input.days'],
      [{ note: 'x'.repeat(1001) }, 'input.note'],
    ];
    for (const [over, key] of cases) {
      const r = await gql('avionixPlanner', ASK, { owner: 'structura', input: { ...SHIPMENT_ASK, ...over } });
      expect(at(r.data, 'requestAccess')).toBeNull();
      expect(r.errors).toEqual([
        expect.objectContaining({ path: ['requestAccess'], message: expect.stringContaining(key), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', firmId: 'structura', key }) }),
      ]);
    }
    // A firm does not request access to its own data.
    const own = await gql('structuraPlanner', ASK, { owner: 'structura', input: SHIPMENT_ASK });
    expect(codes(own)).toEqual(['BAD_USER_INPUT']);
    // None of them was stored.
    const all = await gql('structuraAdmin', REQUESTS, { owner: 'structura' });
    expect((at(all.data, 'firm.accessRequests') as Json[]).length).toBe(2);
  });

  it('a firm refuses a mutation whose firmId names another firm (OWNER_MISMATCH), even when called directly', async () => {
    // Through the gateway the request goes to the firm it names; only a caller playing the
    // gateway can hand structura another firm's id.
    const r = await postAsGateway(cluster, { firmId: 'structura' }, ASK, {
      token: tokens.avionixPlanner,
      variables: { owner: 'precimach', input: SHIPMENT_ASK },
    });
    expect(at(r.data, 'requestAccess')).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'OWNER_MISMATCH', firmId: 'structura' });
    const revoke = await postAsGateway(cluster, { firmId: 'structura' }, REVOKE, {
      token: tokens.structuraAdmin,
      variables: { owner: 'precimach', id: agreementId },
    });
    expect(revoke.errors?.[0]?.extensions).toMatchObject({ code: 'OWNER_MISMATCH' });
  });

  it('refuses, in the gateway, one request whose mutations name two firms', async () => {
    const r = await gql(
      'structuraAdmin',
      `mutation { a: revokeAgreement(firmId: "structura", agreementId: "x") { state } b: revokeAgreement(firmId: "precimach", agreementId: "y") { state } }`,
    );
    expect(codes(r)).toContain('NOT_ROUTABLE');
    expect(r.errors?.[0]?.message).toMatch(/a → structura; b → precimach/);
  });
});

describe('agreement acts as a permit rule', () => {
  it("avionix reads structura's shipments while its agreement is ACTIVE, and not after revocation", async () => {
    const before = await gql('avionixPlanner', SHIPMENTS);
    expect(codes(before)).toContain('FORBIDDEN');
    expect(at(before.data, 'firm.shipments') ?? []).toEqual([]);

    const request = await ask('avionixPlanner', SHIPMENT_ASK);
    const granted = await decide(request.requestId, 'GRANT');
    const agreementId = at(granted.data, 'decideAccessRequest.agreement.agreementId');
    expect(agreementId).toEqual(expect.any(String));

    const during = await gql('avionixPlanner', SHIPMENTS);
    expect(during.errors).toBeUndefined();
    const shipments = at(during.data, 'firm.shipments') as Json[];
    expect(shipments.length).toBeGreaterThan(0);
    expect(shipments[0]).toEqual({ shipmentId: expect.any(String), status: expect.any(String), eta: expect.any(String), customerId: expect.any(String) });

    await gql('structuraAdmin', REVOKE, { owner: 'structura', id: agreementId });
    const after = await gql('avionixPlanner', SHIPMENTS);
    expect(codes(after)).toContain('FORBIDDEN');
    expect(at(after.data, 'firm.shipments') ?? []).toEqual([]);
  });
});

describe('a holder that leaves the cluster', () => {
  it('its agreements read ENDED and it disappears from routing on the next refresh', async () => {
    const request = await ask('avionixPlanner', { ...SHIPMENT_ASK, days: 10 });
    const granted = await decide(request.requestId, 'GRANT');
    const agreementId = at(granted.data, 'decideAccessRequest.agreement.agreementId');

    const original = cluster.directory.current();
    const refreshAll = async (except?: string): Promise<void> => {
      for (const f of cluster.firms.values()) if (f.firmId !== except) await f.directory.refresh();
      await cluster.gatewayDirectory.refresh();
    };
    cluster.directory.set({
      ...original,
      members: original.members.filter((m) => m.id !== 'avionix'),
      relationships: original.relationships.filter((r) => r.supplier !== 'avionix' && r.customer !== 'avionix'),
    });
    try {
      await refreshAll('avionix');
      // A firm that left no longer reads the directory.
      await expect(cluster.firms.get('avionix')?.directory.refresh()).rejects.toMatchObject({ code: 'DIRECTORY_READER_UNKNOWN' });
      const owner = await gql('structuraAdmin', AGREEMENTS, { owner: 'structura' });
      expect(owner.errors).toBeUndefined();
      const states = Object.fromEntries((at(owner.data, 'firm.agreements') as Json[]).map((a) => [a.agreementId, a.state]));
      expect(states[String(agreementId)]).toBe('ENDED');
      expect(Object.values(states).every((s) => s === 'ENDED' || s === 'REVOKED')).toBe(true);
      expect(at((await gql('structuraAdmin', AGREEMENTS, { owner: 'structura', state: 'ACTIVE' })).data, 'firm.agreements')).toEqual([]);
      // The gateway no longer routes to it, and its users are no longer trusted.
      const routed = await gql('structuraAdmin', REVOKE, { owner: 'avionix', id: 'avionix-AG0001' });
      expect(routed.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_FIRM', firmId: 'avionix' });
      const gone = await gql('avionixPlanner', AGREEMENTS, { owner: 'structura' });
      expect(gone.status).toBe(401);
    } finally {
      cluster.directory.set(original);
      await refreshAll();
    }
  });
});
