import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, memberIssuer } from '../../cluster/directory.js';
import { generateKeyPair } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { postGraphQL } from '../harness/graphqlClient.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

const AUDIENCE = clusterAudience('aero-cluster');
const LOTS = '{ firm(id: "structura") { lots(first: 1) { lotId } } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { lotId status quantity } } }';
const LOT_REP = { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' };

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
    const token = cluster.token('skyframe');
    expectRefused(
      await postGraphQL(firmUrl, ENTITIES, { token: none, variables: { r: [LOT_REP] }, headers: { 'x-dataspace-gateway': cluster.gatewayCredential(token) } }),
      'TOKEN_INVALID',
    );
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
    const r = await postGraphQL(firmUrl, ENTITIES, {
      token: cluster.token('skyframe'),
      variables: { r: [LOT_REP] },
      headers: { 'x-dataspace-gateway': cluster.gatewayCredential(other) },
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
    const direct = await postGraphQL(firmUrl, ENTITIES, {
      token,
      variables: { r: [LOT_REP] },
      headers: { 'x-dataspace-gateway': cluster.gatewayCredential(token) },
    });
    expect(direct.status).toBe(200);
    expect((direct.data?._entities as unknown[])[0]).toBeNull();
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viaGateway = await postGraphQL(cluster.gatewayUrl, LOTS, { token });
    expect((viaGateway.data?.firm as { lots: unknown }).lots).toBeNull();
    expect(viaGateway.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(viaGateway.errors?.[0]?.extensions?.firmId).toBe('structura');
  });

  it('masks internal errors and never sends stack traces', async () => {
    const r = await postGraphQL(cluster.gatewayUrl, '{ firm(id: "skyframe") { lots(first: -1) { lotId } } }', { token: cluster.token('skyframe') });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(r)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});
