import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFirmToken } from '../../identity/firmToken.js';
import { at, postGraphQL } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

describe(`a firm speaking as itself through the gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  const firmToken = (firmId: string, purpose?: string, key?: string): string =>
    signFirmToken({
      firmId,
      serviceKeyPem: key ?? cluster.firms.get(firmId)?.serviceKeys.privateKeyPem ?? '',
      audience: cluster.directory.current().audience,
      ...(purpose ? { purpose } : {}),
    });

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 3 } });
  });
  afterAll(async () => cluster?.stop());

  it("structura, as a firm, reads its supplier precimach's lots under precimach's customer rules; precimach logs the firm itself", async () => {
    const r = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "precimach") { lots(first: 2) { lotId status } } }', { token: firmToken('structura') });
    expect(r.errors).toBeUndefined();
    expect((at(r.data, 'firm.lots') as unknown[]).length).toBe(2);
    const log = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "precimach") { accessLog(callerFirm: "structura", first: 1) { callerSubject roles } } }', {
      token: cluster.token('precimach', { roles: ['admin'] }),
    });
    expect(at(log.data, 'firm.accessLog.0')).toEqual({ callerSubject: 'firm:structura', roles: ['firm'] });
  });

  it('is refused when signed with the firm user-token key, and a user token may not claim the role firm', async () => {
    const forged = firmToken('structura', undefined, cluster.firms.get('structura')?.keys.privateKeyPem);
    const r = await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token: forged });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('TOKEN_INVALID');
    const user = await postGraphQL(cluster.gatewayUrl, '{ firms { id } }', { token: cluster.token('structura', { roles: ['firm'] }) });
    expect(user.status).toBe(401);
    expect(user.errors?.[0]?.message).toMatch(/role firm is reserved/);
  });
});
