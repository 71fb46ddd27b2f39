import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleCouriers } from '../../demo/demoInvestigation.js';
import { signFirmToken } from '../../identity/firmToken.js';
import { at, postGraphQL } from '../harness/graphqlClient.js';
import { policyVariants } from '../harness/policyVariants.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

type Json = Record<string, unknown>;

const FIELDS = 'notificationId kind side senderId receiverId title severity targetDate status parentId forwardedIds delivery lots { firmId lotId } messages { firmId fromStatus toStatus reason } progress { hops status firmId }';
const CREATE = `mutation Create($firm: ID!, $input: QualityNotificationInput!) { createQualityNotification(firmId: $firm, input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation Update($firm: ID!, $id: ID!, $status: QualityNotificationStatus!, $reason: String) { updateQualityNotification(firmId: $firm, notificationId: $id, status: $status, reason: $reason) { ${FIELDS} } }`;
const FORWARD = `mutation Forward($firm: ID!, $id: ID!, $input: QualityNotificationForwardInput!) { forwardQualityNotification(firmId: $firm, notificationId: $id, input: $input) { ${FIELDS} } }`;
const ONE = `query One($firm: ID!, $id: ID!) { firm(id: $firm) { qualityNotification(notificationId: $id) { ${FIELDS} } } }`;
const LIST = `query List($firm: ID!, $side: QualityNotificationSide) { firm(id: $firm) { qualityNotifications(side: $side) { ${FIELDS} } } }`;
const DELIVER = `mutation Deliver($firm: ID!, $d: QualityNotificationDeliveryInput!) { deliverQualityNotification(firmId: $firm, delivery: $d) { stored status } }`;
const WRITE_LOG = `query Log($firm: ID!) { firm(id: $firm) { writeLog(first: 200) { seq operation detail actorFirm } writeLogVerification { ok entries } } }`;

const REASON = 'The supplier confirmed the root cause and contained the lots.';
const INVESTIGATION = {
  kind: 'INVESTIGATION',
  receiverId: 'avionix',
  title: 'Cracked brackets in the wing section',
  description: 'Brackets machined from plate lot alumill-L0005 show cracks at the bend radius.',
  severity: 'CRITICAL',
  targetDate: '2099-12-31',
  lots: [{ firmId: 'avionix', lotId: 'avionix-L0003' }],
};

/**
 * The mill lets the firms above its customer learn that it is in their chain (chain membership
 * on its lots): its progress on a forwarded investigation may name it to them. Precimach's
 * demo policy grants membership to its direct customers only, so it is named to nobody above.
 */
const ALUMILL_NAMES_ITSELF = {
  id: 'chain-above-may-know-us',
  description: 'Avionix and the lead, as firms, may learn that we are in the chain of their lots.',
  who: { firms: ['avionix', 'skyframe'], roles: ['firm'] },
  types: ['Lot'],
  mode: 'membership',
  purposes: ['traceability'],
};

describe(`quality notifications through the gateway, firm to firm (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  const quality = (firm: string) => cluster.token(firm, { roles: ['quality'] });
  const gql = (query: string, variables: Json, token: string) => postGraphQL(cluster.gatewayUrl, query, { token, variables });
  const one = async (firm: string, id: string): Promise<Json> => at((await gql(ONE, { firm, id }, quality(firm))).data, 'firm.qualityNotification') as Json;
  const settle = () => settleCouriers(cluster);
  const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { seed: 42, lotsPerFirm: 40 }, policyFileFor: policyVariants({ alumill: { add: [ALUMILL_NAMES_ITSELF] } }) });
  });
  afterAll(async () => cluster?.stop());

  let n1: string;
  it('creates an investigation in the lead\u2019s outbox, CREATED, and sends it: the supplier stores it and says RECEIVED', async () => {
    const created = await gql(CREATE, { firm: 'skyframe', input: INVESTIGATION }, quality('skyframe'));
    expect(created.errors ?? []).toEqual([]);
    const n = at(created.data, 'createQualityNotification') as Json;
    n1 = String(n.notificationId);
    expect(n).toMatchObject({ kind: 'INVESTIGATION', side: 'OUTBOX', senderId: 'skyframe', receiverId: 'avionix', status: 'CREATED', delivery: 'DELIVERED', lots: [{ firmId: 'avionix', lotId: 'avionix-L0003' }] });
    await settle();
    expect(await one('avionix', n1)).toBeNull();

    const sent = await gql(UPDATE, { firm: 'skyframe', id: n1, status: 'SENT' }, quality('skyframe'));
    expect(at(sent.data, 'updateQualityNotification.status')).toBe('SENT');
    await settle();
    const inbox = await one('avionix', n1);
    expect(inbox).toMatchObject({ side: 'INBOX', status: 'RECEIVED', title: INVESTIGATION.title, severity: 'CRITICAL', targetDate: '2099-12-31', lots: INVESTIGATION.lots });
    expect((inbox.messages as Json[]).map((m) => `${m.firmId}:${m.toStatus}`)).toEqual(['skyframe:SENT', 'avionix:RECEIVED']);
    const outbox = await one('skyframe', n1);
    expect(outbox).toMatchObject({ status: 'RECEIVED', delivery: 'DELIVERED' });
    expect((outbox.messages as Json[]).map((m) => m.toStatus)).toEqual(['CREATED', 'SENT', 'RECEIVED']);
  });

  it('refuses every transition the machine or the party does not allow, with its code', async () => {
    expect(code(await gql(UPDATE, { firm: 'skyframe', id: n1, status: 'ACKNOWLEDGED' }, quality('skyframe')))).toBe('NOTIFICATION_PARTY_INVALID');
    expect(code(await gql(UPDATE, { firm: 'avionix', id: n1, status: 'ACCEPTED' }, quality('avionix')))).toBe('NOTIFICATION_TRANSITION_INVALID');
    expect(code(await gql(UPDATE, { firm: 'avionix', id: n1, status: 'CLOSED', reason: REASON }, quality('avionix')))).toBe('NOTIFICATION_PARTY_INVALID');
    expect(code(await gql(UPDATE, { firm: 'skyframe', id: n1, status: 'CLOSED', reason: 'too short' }, quality('skyframe')))).toBe('NOTIFICATION_REASON_REQUIRED');
    expect(code(await gql(UPDATE, { firm: 'skyframe', id: n1, status: 'SENT' }, quality('skyframe')))).toBe('NOTIFICATION_TRANSITION_INVALID');
    expect(code(await gql(UPDATE, { firm: 'skyframe', id: 'QN-nope', status: 'SENT' }, quality('skyframe')))).toBe('NOT_FOUND');
    // Only the owner's quality users act, only its own users read.
    expect(code(await gql(UPDATE, { firm: 'skyframe', id: n1, status: 'CLOSED', reason: REASON }, cluster.token('skyframe', { roles: ['planner'] })))).toBe('FORBIDDEN');
    expect(code(await gql(LIST, { firm: 'skyframe' }, quality('avionix')))).toBe('FORBIDDEN');
    expect((await one('skyframe', n1)).status).toBe('RECEIVED');
  });

  it('refuses bad drafts naming the input key, and parties that do not trade so', async () => {
    const bad = async (input: Json) => (await gql(CREATE, { firm: 'skyframe', input: { ...INVESTIGATION, ...input } }, quality('skyframe'))).errors?.[0]?.extensions;
    expect(await bad({ title: '' })).toMatchObject({ code: 'BAD_USER_INPUT', key: 'input.title' });
    expect(await bad({ description: 'short' })).toMatchObject({ code: 'BAD_USER_INPUT', key: 'input.description' });
    expect(await bad({ lots: [] })).toMatchObject({ code: 'BAD_USER_INPUT', key: 'input.lots' });
    expect(await bad({ targetDate: '2020-01-01' })).toMatchObject({ code: 'BAD_USER_INPUT', key: 'input.targetDate' });
    expect(await bad({ receiverId: 'alumill', lots: [{ firmId: 'alumill', lotId: 'alumill-L0005' }] })).toMatchObject({ code: 'BAD_USER_INPUT', key: 'input.receiverId' });
    expect(await bad({ lots: [{ firmId: 'structura', lotId: 'structura-L0001' }] })).toMatchObject({ code: 'BAD_USER_INPUT', key: 'input.lots[0]' });
    expect(await bad({ kind: 'ALERT' })).toMatchObject({ code: 'BAD_USER_INPUT', key: 'input.receiverId' });
  });

  let n2: string;
  let n3: string;
  it('travels the tiers: forwarded to tier 2 and tier 3 with an acknowledgement at each, the lead seeing the progress, and a firm only where its policy lets it', async () => {
    await gql(UPDATE, { firm: 'avionix', id: n1, status: 'ACKNOWLEDGED' }, quality('avionix'));
    const f2 = await gql(FORWARD, { firm: 'avionix', id: n1, input: { receiverId: 'precimach', lots: [{ firmId: 'precimach', lotId: 'precimach-L0008' }] } }, quality('avionix'));
    expect(f2.errors ?? []).toEqual([]);
    n2 = String(at(f2.data, 'forwardQualityNotification.notificationId'));
    expect(at(f2.data, 'forwardQualityNotification')).toMatchObject({ parentId: n1, status: 'SENT', receiverId: 'precimach', title: INVESTIGATION.title });
    await settle();
    await gql(UPDATE, { firm: 'precimach', id: n2, status: 'ACKNOWLEDGED' }, quality('precimach'));
    const f3 = await gql(FORWARD, { firm: 'precimach', id: n2, input: { receiverId: 'alumill', lots: [{ firmId: 'alumill', lotId: 'alumill-L0005' }], severity: 'LIFE_THREATENING' } }, quality('precimach'));
    n3 = String(at(f3.data, 'forwardQualityNotification.notificationId'));
    await settle();
    await gql(UPDATE, { firm: 'alumill', id: n3, status: 'ACKNOWLEDGED' }, quality('alumill'));
    await settle();

    expect(await one('alumill', n3)).toMatchObject({ side: 'INBOX', senderId: 'precimach', status: 'ACKNOWLEDGED', severity: 'LIFE_THREATENING', parentId: null });
    expect(await one('avionix', n1)).toMatchObject({ status: 'ACKNOWLEDGED', forwardedIds: [n2] });
    const lead = await one('skyframe', n1);
    expect(lead.status).toBe('ACKNOWLEDGED');
    expect(lead.progress).toEqual([
      { hops: 1, status: 'RECEIVED', firmId: null },
      { hops: 1, status: 'ACKNOWLEDGED', firmId: null },
      { hops: 2, status: 'RECEIVED', firmId: 'alumill' },
      { hops: 2, status: 'ACKNOWLEDGED', firmId: 'alumill' },
    ]);
    // Avionix's investigation of precimach names the mill too (avionix is on its list), as precimach relayed it.
    expect((await one('avionix', n2)).progress).toEqual([
      { hops: 1, status: 'RECEIVED', firmId: 'alumill' },
      { hops: 1, status: 'ACKNOWLEDGED', firmId: 'alumill' },
    ]);
    // The lead holds nothing naming the tier-2 firm, which did not allow it, or the notifications below.
    const text = JSON.stringify(await gql(LIST, { firm: 'skyframe' }, quality('skyframe')));
    expect(text).not.toContain('precimach');
    expect(text).not.toContain(n2);
    expect(text).not.toContain('alumill-L0005"');
  });

  it('pages the firm\u2019s notifications by cursor, as every list', async () => {
    const PAGE = `query Page($after: String) { firm(id: "avionix") { qualityNotificationsConnection(first: 1, after: $after) { nodes { notificationId side } pageInfo { hasNextPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await gql(PAGE, { after }, quality('avionix'));
      expect(r.errors ?? []).toEqual([]);
      const page = at(r.data, 'firm.qualityNotificationsConnection') as { nodes: Json[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      seen.push(...page.nodes.map((n) => String(n.notificationId)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([n1, n2].sort());
    const all = at((await gql(LIST, { firm: 'avionix', side: 'OUTBOX' }, quality('avionix'))).data, 'firm.qualityNotifications') as Json[];
    expect(all.map((n) => n.notificationId)).toEqual([n2]);
  });

  it('records every change in both parties\u2019 hash-chained write logs', async () => {
    for (const firm of ['skyframe', 'avionix']) {
      const r = await gql(WRITE_LOG, { firm }, cluster.token(firm, { roles: ['admin'] }));
      expect(r.errors ?? []).toEqual([]);
      const entries = (at(r.data, 'firm.writeLog') as Json[]).filter((e) => String(e.detail).startsWith(n1));
      expect(entries.length).toBeGreaterThanOrEqual(3);
      expect(at(r.data, 'firm.writeLogVerification.ok')).toBe(true);
    }
  });

  it('stores a delivery that arrives twice once, and refuses one from a firm that is not the other party', async () => {
    const key = cluster.firms.get('skyframe')?.serviceKeys.privateKeyPem ?? '';
    const asSkyframe = signFirmToken({ firmId: 'skyframe', serviceKeyPem: key, audience: cluster.directory.current().audience, purpose: 'quality-investigation' });
    const d = { ...INVESTIGATION, notificationId: n1, senderId: 'skyframe', createdAt: '2026-12-01T00:00:00Z', eventId: 'evt-replayed-1', at: '2026-12-04T10:00:00Z', type: 'TRANSITION', fromStatus: 'ACKNOWLEDGED', toStatus: 'CLOSED', reason: REASON };
    const first = await gql(DELIVER, { firm: 'avionix', d }, asSkyframe);
    const again = await gql(DELIVER, { firm: 'avionix', d }, asSkyframe);
    expect(at(first.data, 'deliverQualityNotification')).toEqual({ stored: true, status: 'CLOSED' });
    expect(at(again.data, 'deliverQualityNotification')).toEqual({ stored: true, status: 'CLOSED' });
    expect(((await one('avionix', n1)).messages as Json[]).filter((m) => m.toStatus === 'CLOSED')).toHaveLength(1);
    const structuraKey = cluster.firms.get('structura')?.serviceKeys.privateKeyPem ?? '';
    const asStructura = signFirmToken({ firmId: 'structura', serviceKeyPem: structuraKey, audience: cluster.directory.current().audience, purpose: 'quality-investigation' });
    expect(code(await gql(DELIVER, { firm: 'avionix', d: { ...d, eventId: 'evt-2' } }, asStructura))).toBe('FORBIDDEN');
    // A user of the sender is not the sender firm.
    expect(code(await gql(DELIVER, { firm: 'avionix', d: { ...d, eventId: 'evt-3' } }, quality('skyframe')))).toBe('FORBIDDEN');
  });

  it('keeps a notification for a receiver that is down and delivers it once it is back', async () => {
    const structura = cluster.firms.get('structura');
    await structura?.stop();
    let id = '';
    try {
      const c = await gql(CREATE, { firm: 'skyframe', input: { ...INVESTIGATION, receiverId: 'structura', lots: [{ firmId: 'structura', lotId: 'structura-L0001' }] } }, quality('skyframe'));
      id = String(at(c.data, 'createQualityNotification.notificationId'));
      await gql(UPDATE, { firm: 'skyframe', id, status: 'SENT' }, quality('skyframe'));
      await settle();
      expect(await one('skyframe', id)).toMatchObject({ status: 'SENT', delivery: 'PENDING' });
    } finally {
      await structura?.start();
    }
    // The courier retries every notificationRetryMs; wait for the delivery (the event), not a fixed time.
    const deadline = Date.now() + 60_000;
    let inbox: Json | null = null;
    while (Date.now() < deadline) {
      await settle();
      inbox = await one('structura', id);
      if (inbox) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(inbox).toMatchObject({ side: 'INBOX', status: 'RECEIVED' });
    await settle();
    expect(await one('skyframe', id)).toMatchObject({ status: 'RECEIVED', delivery: 'DELIVERED' });
    expect(((inbox?.messages ?? []) as Json[]).filter((m) => m.toStatus === 'SENT')).toHaveLength(1);
  });
});
