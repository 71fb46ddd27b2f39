import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberIssuer, type IdentityProviderRecord } from '../../cluster/directory.js';
import { postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { providerKey, startTestIdentityProvider, type ProviderKey, type TestIdentityProvider } from '../harness/jwksServer.js';
import { postAsGateway } from '../harness/postAsGateway.js';
import { pollUntil } from '../harness/spawnDataspace.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

const OWN_LOTS = '{ firm(id: "structura") { lots(first: 1) { lotId } } }';
/** The same, as the gateway asks structura's subgraph for it. */
const FIRM_ENTITY = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Firm { id lots(first: 1) { lotId } } } }';
const STRUCTURA = { r: [{ __typename: 'Firm', id: 'structura' }] };
const ADMIN_ONLY = '{ firm(id: "structura") { accessLogVerification { ok } } }';
/** Keep the copy 1 s, the last good keys 4 s more while the endpoint fails, refetch on any new kid. */
const CACHE_SECONDS = 1;
const MAX_STALE_SECONDS = 4;

const codeOf = (r: GraphQLResult): unknown => r.errors?.[0]?.extensions?.code;

describe(`a member's identity provider: its JWKS, rotation, outage and claim mapping (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let idp: TestIdentityProvider;
  const rsa1 = providerKey('rsa-1', 'RS256');
  const ec1 = providerKey('ec-1', 'ES256');
  let audience = '';

  /** A token of structura's provider, Keycloak-shaped: roles in realm_access.roles, the firm in `organization`. */
  const token = (key: ProviderKey, claims: Record<string, unknown> = {}): string =>
    idp.sign(key, { aud: audience, preferred_username: 'alice', organization: 'structura', realm_access: { roles: ['planner'] }, ...claims });
  const viaGateway = (t: string, query = OWN_LOTS): Promise<GraphQLResult> => postGraphQL(cluster.gatewayUrl, query, { token: t });

  beforeAll(async () => {
    idp = await startTestIdentityProvider([rsa1, ec1]);
    cluster = await startTestCluster({ seed: { lotsPerFirm: 2 }, directoryRefreshMs: 0, limits: { gateway: { rateLimit: false }, subgraphs: { rateLimit: false } } });
    audience = cluster.directory.current().audience;
    const provider: IdentityProviderRecord = {
      issuer: idp.issuer,
      jwksUri: idp.jwksUri,
      algorithms: ['RS256', 'ES256'],
      claims: { subject: ['preferred_username'], roles: ['realm_access', 'roles'], purpose: ['purpose'], firm: ['organization'] },
      cacheSeconds: CACHE_SECONDS,
      maxStaleSeconds: MAX_STALE_SECONDS,
      minRefreshSeconds: 0,
    };
    // The operator names structura's identity provider in the registry: the gateway and every firm pick it up.
    const current = cluster.directory.current();
    cluster.directory.set({ ...current, members: current.members.map((m) => (m.id === 'structura' ? { ...m, identityProvider: provider } : m)) });
    await Promise.all([cluster.gatewayDirectory.refresh(), ...[...cluster.firms.values()].map((f) => f.directory.refresh())]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await idp?.close();
  });

  it("accepts RS256 and ES256 tokens of the provider, at the gateway and at the firm itself, as structura's users", async () => {
    for (const key of [rsa1, ec1]) {
      const r = await viaGateway(token(key));
      expect(r.errors).toBeUndefined();
      expect((r.data?.firm as { lots: unknown[] }).lots).toHaveLength(1);
      // The firm verifies the provider's token itself (the gateway's word is not enough).
      const direct = await postAsGateway(cluster, { firmId: 'structura' }, FIRM_ENTITY, { token: token(key), variables: STRUCTURA });
      expect(direct.errors).toBeUndefined();
      expect(direct.data?._entities).toEqual([{ id: 'structura', lots: [expect.objectContaining({ lotId: expect.any(String) })] }]);
    }
    expect(idp.hits.some((h) => h.status === 200)).toBe(true);
  });

  it('maps the roles from realm_access.roles: an admin there is an admin of structura, a planner is not', async () => {
    const admin = await viaGateway(token(rsa1, { realm_access: { roles: ['admin'] } }), ADMIN_ONLY);
    expect(admin.errors).toBeUndefined();
    expect(admin.data?.firm).toEqual({ accessLogVerification: { ok: true } });
    const planner = await viaGateway(token(rsa1), ADMIN_ONLY);
    expect(codeOf(planner)).toBe('FORBIDDEN');
  });

  it('refuses a token of the provider that claims another firm, or another issuer, or another audience; and a foreign issuer', async () => {
    const otherFirm = await viaGateway(token(rsa1, { organization: 'skyframe', realm_access: { roles: ['admin'] } }));
    expect([otherFirm.status, codeOf(otherFirm)]).toEqual([401, 'FIRM_MISMATCH']);
    // The provider's key cannot sign as skyframe's own issuer.
    const asSkyframe = await viaGateway(token(rsa1, { iss: memberIssuer(cluster.directory.current().clusterId, 'skyframe'), firm: 'skyframe', roles: ['admin'], sub: 'mallory' }));
    expect([asSkyframe.status, codeOf(asSkyframe)]).toEqual([401, 'TOKEN_INVALID']);
    const wrongAudience = await viaGateway(token(rsa1, { aud: 'account' }));
    expect([wrongAudience.status, codeOf(wrongAudience)]).toEqual([401, 'TOKEN_INVALID']);
    const foreign = await viaGateway(token(rsa1, { iss: 'https://idp.elsewhere.example/realms/aero' }));
    expect([foreign.status, codeOf(foreign)]).toEqual([401, 'ISSUER_UNTRUSTED']);
  });

  it('a rotated-in key is accepted without a restart; a removed key is refused from the next fetch on', async () => {
    const old = token(rsa1);
    expect((await viaGateway(old)).errors).toBeUndefined();
    const rsa2 = providerKey('rsa-2', 'RS256');
    idp.published = [rsa2, ec1];
    const rotated = await viaGateway(token(rsa2));
    expect(rotated.errors).toBeUndefined();
    const direct = await postAsGateway(cluster, { firmId: 'structura' }, FIRM_ENTITY, { token: token(rsa2), variables: STRUCTURA });
    expect(direct.errors).toBeUndefined();
    // rsa-2's first token made the verifiers fetch the new set: rsa-1 is gone, even for a token accepted before.
    const removed = await viaGateway(old);
    expect([removed.status, codeOf(removed)]).toEqual([401, 'TOKEN_INVALID']);
    expect(codeOf(await viaGateway(token(rsa1)))).toBe('TOKEN_INVALID');
  });

  it('JWKS down: the last good keys serve for a bounded time, then ISSUER_KEYS_UNAVAILABLE (503); back up, accepted again', async () => {
    const t = token(ec1);
    expect((await viaGateway(t)).errors).toBeUndefined();
    idp.down = true;
    const lastGood = Math.max(...idp.hits.filter((h) => h.status === 200).map((h) => h.at));
    // Wait for the event: a verifier's copy is older than cacheSeconds and its fetch fails.
    await pollUntil(async () => viaGateway(t), () => idp.hits.some((h) => h.status === 503), 10_000);
    const stale = await viaGateway(t);
    expect(stale.errors).toBeUndefined();
    const refused = await pollUntil(async () => viaGateway(t), (r) => r.status !== 200, 20_000);
    expect(refused.value.status).toBe(503);
    expect(codeOf(refused.value)).toBe('ISSUER_KEYS_UNAVAILABLE');
    expect(refused.value.errors?.[0]?.message).toMatch(/cannot be fetched/);
    // Not before cacheSeconds + maxStaleSeconds after the last good fetch.
    expect(Date.now() - lastGood).toBeGreaterThanOrEqual((CACHE_SECONDS + MAX_STALE_SECONDS) * 1000);
    idp.down = false;
    expect((await viaGateway(t)).errors).toBeUndefined();
  });
});
