import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, memberIssuer } from '../../cluster/directory.js';
import { generateKeyPair } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { postGraphQL } from '../harness/graphqlClient.js';
import { postAsGateway } from '../harness/postAsGateway.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { startRecordingProxy } from '../harness/recordingProxy.js';
import { routeFirmThrough } from '../harness/routeFirmThrough.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

const AUDIENCE = clusterAudience('aero-cluster');
const LOTS = '{ firm(id: "structura") { lots(first: 1) { lotId } } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { lotId status quantity } } }';
const LOT_REP = { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' };
const STRUCTURA = { firmId: 'structura' };

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function expectRefused(r: { status: number; data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }, code: string): void {
  expect(r.status).toBe(401);
  expect(r.data ?? null).toBeNull();
  expect(r.errors?.[0]?.extensions?.code).toBe(code);
}

describe(`zero trust (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let firmUrl: string;

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 4 } });
    firmUrl = cluster.firms.get('structura')?.server?.endpoints.firm ?? '';
  });
  afterAll(async () => cluster?.stop());

  it('serves a trusted, valid token', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, LOTS, { token: cluster.token('skyframe') });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
  });

  it('refuses a request without a token', async () => {
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS), 'UNAUTHENTICATED');
  });

  it('refuses a token from an untrusted issuer', async () => {
    const stranger = signUserToken({
      privateKeyPem: generateKeyPair().privateKeyPem,
      issuer: memberIssuer('aero-cluster', 'intruder'),
      audience: AUDIENCE,
      firmId: 'intruder',
      subject: 'mallory',
      roles: ['admin'],
    });
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS, { token: stranger }), 'ISSUER_UNTRUSTED');
  });

  it("refuses a token that claims a member's issuer but is signed with another key", async () => {
    const forged = signUserToken({
      privateKeyPem: generateKeyPair().privateKeyPem,
      issuer: memberIssuer('aero-cluster', 'skyframe'),
      audience: AUDIENCE,
      firmId: 'skyframe',
      subject: 'mallory',
      roles: ['admin'],
    });
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS, { token: forged }), 'TOKEN_INVALID');
  });

  it('refuses an expired token', async () => {
    const expired = signUserToken({
      privateKeyPem: cluster.firms.get('skyframe')?.keys.privateKeyPem ?? '',
      issuer: memberIssuer('aero-cluster', 'skyframe'),
      audience: AUDIENCE,
      firmId: 'skyframe',
      subject: 'alice',
      roles: ['planner'],
      ttlSeconds: 60,
      now: new Date(Date.now() - 3_600_000),
    });
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS, { token: expired }), 'TOKEN_EXPIRED');
  });

  it('refuses an alg:none token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      iss: memberIssuer('aero-cluster', 'skyframe'),
      aud: AUDIENCE,
      sub: 'mallory',
      firm: 'skyframe',
      roles: ['admin'],
      iat: now,
      exp: now + 600,
    })}.`;
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS, { token: none }), 'TOKEN_INVALID');
    expectRefused(await postAsGateway(cluster, STRUCTURA, ENTITIES, { token: none, variables: { r: [LOT_REP] } }), 'TOKEN_INVALID');
  });

  it('refuses a direct _entities call without the gateway credential: no data', async () => {
    const r = await postGraphQL(firmUrl, ENTITIES, { token: cluster.token('skyframe'), variables: { r: [LOT_REP] } });
    expectRefused(r, 'GATEWAY_CREDENTIAL_REQUIRED');
    expect(JSON.stringify(r)).not.toContain('RELEASED');
  });

  it('refuses _service without the gateway credential: no schema', async () => {
    const r = await postGraphQL(firmUrl, '{ _service { sdl } }', { token: cluster.token('skyframe') });
    expectRefused(r, 'GATEWAY_CREDENTIAL_REQUIRED');
    expect(JSON.stringify(r)).not.toContain('type Lot');
    const anonymous = await postGraphQL(`${firmUrl.replace(/\/firm$/, '/links')}`, '{ _service { sdl } }');
    expectRefused(anonymous, 'UNAUTHENTICATED');
  });

  it("refuses a gateway credential bound to another user's token", async () => {
    const other = cluster.token('avionix');
    const body = JSON.stringify({ query: ENTITIES, variables: { r: [LOT_REP] } });
    const r = await postGraphQL(firmUrl, ENTITIES, {
      token: cluster.token('skyframe'),
      variables: { r: [LOT_REP] },
      headers: { 'x-dataspace-gateway': cluster.gatewayCredential(other, { kind: 'firm', firmId: 'structura' }, body) },
    });
    expectRefused(r, 'GATEWAY_CREDENTIAL_INVALID');
  });

  it('refuses a credential signed by a firm instead of the gateway', async () => {
    const token = cluster.token('skyframe');
    const r = await postGraphQL(firmUrl, ENTITIES, {
      token,
      variables: { r: [LOT_REP] },
      headers: { 'x-dataspace-gateway': token },
    });
    expectRefused(r, 'GATEWAY_CREDENTIAL_INVALID');
  });

  it('applies the owner policy to _entities exactly as to entry points', async () => {
    // A tier-3 mill is no customer of structura: structura grants it nothing.
    const token = cluster.token('alumill');
    const direct = await postAsGateway(cluster, STRUCTURA, ENTITIES, { token, variables: { r: [LOT_REP] } });
    expect(direct.status).toBe(200);
    expect((direct.data?._entities as unknown[])[0]).toBeNull();
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viaGateway = await postGraphQL(cluster.gatewayUrl, LOTS, { token });
    expect((viaGateway.data?.firm as { lots: unknown }).lots).toBeNull();
    expect(viaGateway.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(viaGateway.errors?.[0]?.extensions?.firmId).toBe('structura');
  });

  it("binds the gateway's credential to its destination firm and its request: what precimach received cannot be replayed at structura, again, or with another query", async () => {
    const precimach = cluster.firms.get('precimach');
    const proxy = await startRecordingProxy(precimach?.server?.url ?? '');
    const restore = await routeFirmThrough(cluster, 'precimach', proxy.url, []);
    try {
      const walk = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token: cluster.token('skyframe'), variables: { first: 2 } });
      expect(walk.status).toBe(200);
    } finally {
      await restore();
      await proxy.close();
    }
    // What the gateway sent precimach: the user's token, its credential, an _entities request.
    const sent = proxy.exchanges.find((e) => e.path === '/firm' && e.status === 200)?.request;
    expect(sent?.headers['x-dataspace-gateway']).toBeDefined();
    const replay = (url: string, body: string): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: sent?.headers.authorization ?? '', 'x-dataspace-gateway': sent?.headers['x-dataspace-gateway'] ?? '' },
        body,
      });
    const refusedWith = async (res: Response, reason: RegExp): Promise<void> => {
      expect(res.status).toBe(401);
      const body = (await res.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
      expect(body.data ?? null).toBeNull();
      expect(body.errors[0]?.extensions.code).toBe('GATEWAY_CREDENTIAL_INVALID');
      expect(body.errors[0]?.message).toMatch(reason);
    };
    const body = sent?.body ?? '';
    const structuraBody = JSON.stringify({ query: ENTITIES, variables: { r: [LOT_REP] } });
    await refusedWith(await replay(firmUrl, body), /another destination \(firm\/precimach\), not for firm\/structura/);
    await refusedWith(await replay(firmUrl, structuraBody), /another destination/);
    await refusedWith(await replay(`${cluster.registryUrl}/graphql`, body), /another destination/);
    const precimachFirm = precimach?.server?.endpoints.firm ?? '';
    await refusedWith(await replay(precimachFirm, body), /already used/);
    await refusedWith(await replay(precimachFirm, body.replace('_entities', '_entities ')), /not issued for this request/);
  });

  it('masks internal errors and never sends stack traces', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "skyframe") { lots(first: -1) { lotId } } }', { token: cluster.token('skyframe') });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(r)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});
