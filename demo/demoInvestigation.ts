import type { RunningCluster } from '../local/startCluster.js';
import type { DirectorySource } from '../subgraphs/registry/directorySource.js';

type Json = Record<string, unknown>;

/** The demo's running investigation: the lead asks avionix about the lots made from the suspect plate; it travels to tier 3. */
export const DEMO_INVESTIGATION = {
  kind: 'INVESTIGATION',
  receiverId: 'avionix',
  title: 'Cracked brackets traced to plate lot alumill-L0005',
  description: 'Brackets in skyframe-L0001 and skyframe-L0014 show cracks at the bend radius; the recall impact traces them to plate lot alumill-L0005.',
  severity: 'CRITICAL',
  lots: [
    { firmId: 'avionix', lotId: 'avionix-L0003' },
    { firmId: 'avionix', lotId: 'avionix-L0004' },
  ],
};

/**
 * Waits until every in-process firm's notification courier has delivered what it could: each
 * delivery kicks the receiving firm's courier before it answers, so a chain of forwards settles.
 * @example await settleCouriers(cluster)
 */
export async function settleCouriers<S extends DirectorySource>(cluster: RunningCluster<S>): Promise<void> {
  for (let pass = 0; pass < 20; pass++) {
    const busy = [...cluster.firms.values()].filter((f) => f.server?.notifications.busy);
    if (busy.length === 0) return;
    for (const f of busy) await f.server?.notifications.idle();
  }
}

/**
 * Puts the demo's running investigation in place once (when skyframe's outbox is empty): sent
 * by skyframe to avionix, acknowledged and forwarded to precimach, acknowledged and forwarded to
 * alumill, received there — through the gateway with the firms' quality users' tokens, as any
 * client would. Returns the lead's notification id, or undefined when it was there already.
 * @example await seedDemoInvestigation(cluster)
 */
export async function seedDemoInvestigation<S extends DirectorySource>(cluster: RunningCluster<S>): Promise<string | undefined> {
  const ask = async (firm: string, query: string, variables: Json): Promise<Json> => {
    const res = await fetch(cluster.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cluster.token(firm, { roles: ['quality'], subject: `quality@${firm}` })}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Json; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`demo investigation (${firm}): ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data ?? {};
  };
  const settle = () => settleCouriers(cluster);
  const existing = await ask('skyframe', '{ firm(id: "skyframe") { qualityNotifications(side: OUTBOX, first: 1) { notificationId } } }', {});
  if (((existing.firm as Json | undefined)?.qualityNotifications as unknown[] | undefined)?.length) return undefined;

  const UPDATE = 'mutation($f: ID!, $id: ID!, $s: QualityNotificationStatus!) { updateQualityNotification(firmId: $f, notificationId: $id, status: $s) { status } }';
  const FORWARD = 'mutation($f: ID!, $id: ID!, $i: QualityNotificationForwardInput!) { forwardQualityNotification(firmId: $f, notificationId: $id, input: $i) { notificationId } }';
  const created = await ask('skyframe', 'mutation($i: QualityNotificationInput!) { createQualityNotification(firmId: "skyframe", input: $i) { notificationId } }', { i: DEMO_INVESTIGATION });
  const lead = String((created.createQualityNotification as Json).notificationId);
  await ask('skyframe', UPDATE, { f: 'skyframe', id: lead, s: 'SENT' });
  await settle();
  await ask('avionix', UPDATE, { f: 'avionix', id: lead, s: 'ACKNOWLEDGED' });
  const f2 = await ask('avionix', FORWARD, { f: 'avionix', id: lead, i: { receiverId: 'precimach', lots: [{ firmId: 'precimach', lotId: 'precimach-L0008' }] } });
  const tier2 = String((f2.forwardQualityNotification as Json).notificationId);
  await settle();
  await ask('precimach', UPDATE, { f: 'precimach', id: tier2, s: 'ACKNOWLEDGED' });
  await ask('precimach', FORWARD, { f: 'precimach', id: tier2, i: { receiverId: 'alumill', lots: [{ firmId: 'alumill', lotId: 'alumill-L0005' }] } });
  await settle();
  return lead;
}
