import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, memberIssuer } from '../../cluster/directory.js';
import { GATEWAY_CREDENTIAL_HEADER } from '../../identity/gatewayCredential.js';
import { generateKeyPair } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { postGraphQL, readMetric, type GraphQLResult } from '../harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '../harness/queries.js';
import { startPeerGateway, type PeerGateway } from '../harness/startPeerGateway.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerGateway } from '../harness/registerGateway.js';
import { spawnDataspace } from '../harness/spawnDataspace.js';

const AUDIENCE = clusterAudience('aero-cluster');
const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Lot { lotId status } } }';
const LOT_REP = { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' };

/**
 * An error as both gateways can be compared on. Hive Gateway maps every `_entities` error
 * back to the first entity of its list (index 0), where @apollo/gateway keeps the index the
 * router gave it: the list indexes are left out, the field path is kept.
 */
function errorKey(e: NonNullable<GraphQLResult['errors']>[number]): string {
  const x = e.extensions ?? {};
  return JSON.stringify([x.code, x.firmId, x.type, x.field, e.message, (e.path ?? []).filter((p) => typeof p === 'string')]);
}

function errorKeys(r: GraphQLResult): string[] {
  return (r.errors ?? []).map(errorKey).sort();
}

function expectRefused(r: GraphQLResult, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect(r.data ?? null).toBeNull();
  expect(r.errors?.[0]?.extensions?.code).toBe(code);
}

describe(`a peer gateway (Hive Gateway) through the stand-alone owner router (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let peer: PeerGateway;

  beforeAll(async () => {
    cluster = await startTestCluster();
    peer = await startPeerGateway(cluster);
  });
  afterAll(async () => {
    await peer?.close();
    await cluster?.stop();
  });

  it('answers the genealogy with the same data and the same errors (FORBIDDEN where policies deny) as our gateway', async () => {
    const token = cluster.token('skyframe');
    const ours = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token, variables: { first: 5 } });
    const theirs = await postGraphQL(peer.url, GENEALOGY_QUERY, { token, variables: { first: 5 } });
    expect(ours.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.data).toEqual(ours.data);
    expect((ours.data?.firm as { lots: unknown[] }).lots).toHaveLength(5);
    expect(errorKeys(theirs)).toEqual(errorKeys(ours));
    expect(errorKeys(ours).filter((k) => k.includes('"FORBIDDEN"')).length).toBeGreaterThan(0);
    const firmsOurs = await postGraphQL(cluster.gatewayUrl, '{ firms { id name tier } }', { token });
    const firmsTheirs = await postGraphQL(peer.url, '{ firms { id name tier } }', { token });
    expect(firmsTheirs.data).toEqual(firmsOurs.data);
    expect(firmsTheirs.errors).toBeUndefined();
  });

  it('sends each firm only its own representations, and answers the links hops itself', async () => {
    const before = peer.router.metrics.get('dataspace_router_links_requests_total');
    const sent = peer.router.router.stats.requests;
    await postGraphQL(peer.url, GENEALOGY_QUERY, { token: cluster.token('skyframe'), variables: { first: 2 } });
    expect(peer.router.metrics.get('dataspace_router_links_requests_total') - before).toBe(3);
    // 1 + 2 + 2 + 2 owners over the 4 firm steps, as through our gateway.
    expect(peer.router.router.stats.requests - sent).toBe(7);
    for (const firm of cluster.firms.values()) {
      expect(await readMetric(firm.server?.url ?? '', 'dataspace_owner_mismatch_total')).toBe(0);
    }
  });

  it('applies the same policies to another caller: a tier-3 mill gets FORBIDDEN from structura', async () => {
    const token = cluster.token('alumill');
    const query = '{ firm(id: "structura") { lots(first: 2) { lotId } } }';
    const ours = await postGraphQL(cluster.gatewayUrl, query, { token });
    const theirs = await postGraphQL(peer.url, query, { token });
    expect(theirs.data).toEqual(ours.data);
    expect(errorKeys(theirs)).toEqual(errorKeys(ours));
    expect(theirs.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', firmId: 'structura' });
  });

  it('refuses a request without a token: 401 UNAUTHENTICATED, nothing signed or sent', async () => {
    const sent = peer.router.router.stats.requests;
    for (const endpoint of Object.values(peer.router.endpoints)) {
      expectRefused(await postGraphQL(endpoint, ENTITIES, { variables: { representations: [LOT_REP] } }), 401, 'UNAUTHENTICATED');
    }
    expect(peer.router.router.stats.requests).toBe(sent);
    // Through the peer gateway: the router's refusal, no data.
    const viaHive = await postGraphQL(peer.url, '{ firm(id: "structura") { lots(first: 1) { lotId } } }');
    expect(viaHive.data?.firm ?? null).toBeNull();
    expect(viaHive.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is no credential oracle: a forged or untrusted token gets 401, no credential is signed for it, none is ever returned', async () => {
    const forged = signUserToken({
      privateKeyPem: generateKeyPair().privateKeyPem,
      issuer: memberIssuer('aero-cluster', 'skyframe'),
      audience: AUDIENCE,
      firmId: 'skyframe',
      subject: 'mallory',
      roles: ['admin'],
    });
    const stranger = signUserToken({
      privateKeyPem: generateKeyPair().privateKeyPem,
      issuer: memberIssuer('aero-cluster', 'intruder'),
      audience: AUDIENCE,
      firmId: 'intruder',
      subject: 'mallory',
      roles: ['admin'],
    });
    const sent = peer.router.router.stats.requests;
    const body = { variables: { representations: [LOT_REP] } };
    expectRefused(await postGraphQL(peer.router.endpoints.firm, ENTITIES, { ...body, token: forged }), 401, 'TOKEN_INVALID');
    expectRefused(await postGraphQL(peer.router.endpoints.firm, ENTITIES, { ...body, token: stranger }), 401, 'ISSUER_UNTRUSTED');
    expectRefused(await postGraphQL(peer.router.endpoints.registry, '{ firms { id } }', { token: forged }), 401, 'TOKEN_INVALID');
    expect(peer.router.router.stats.requests).toBe(sent);

    const ok = await postGraphQL(peer.router.endpoints.firm, ENTITIES, { ...body, token: cluster.token('skyframe') });
    expect(ok.status).toBe(200);
    expect((ok.data?._entities as { lotId: string }[])[0]?.lotId).toBe('structura-L0001');
    expect(ok.headers.get(GATEWAY_CREDENTIAL_HEADER)).toBeNull();
    expect(JSON.stringify(ok)).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('the firms still refuse a request without the gateway credential, or with a credential the client made up', async () => {
    const token = cluster.token('skyframe');
    const firmUrl = cluster.firms.get('structura')?.server?.endpoints.firm ?? '';
    expectRefused(await postGraphQL(firmUrl, ENTITIES, { token, variables: { representations: [LOT_REP] } }), 401, 'GATEWAY_CREDENTIAL_REQUIRED');
    // A client's own credential header is not passed on by the router: it signs its own.
    const r = await postGraphQL(peer.router.endpoints.firm, ENTITIES, {
      token,
      variables: { representations: [LOT_REP] },
      headers: { [GATEWAY_CREDENTIAL_HEADER]: token },
    });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
  });

  it('answers bad input with stable codes: 400 bad JSON or a batch, 405 another method, 413 a body over the limit', async () => {
    const token = cluster.token('skyframe');
    const post = (body: string, method = 'POST'): Promise<Response> =>
      fetch(peer.router.endpoints.firm, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(method === 'POST' ? { body } : {}) });
    const codeOf = async (res: Response): Promise<[number, unknown]> => [res.status, ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code];
    expect(await codeOf(await post('{"query":'))).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf(await post('[{"query":"{ __typename }"}]'))).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf(await post('{"variables":{}}'))).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf(await post('', 'GET'))).toEqual([405, 'BAD_REQUEST']);
    expect(await codeOf(await post(`{"query":"${'a'.repeat(5 * 1024 * 1024)}"}`))).toEqual([413, 'REQUEST_TOO_LARGE']);
    const parse = await postGraphQL(peer.router.endpoints.links, '{ _entities(', { token });
    expect(parse.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const health = await fetch(new URL('/health', peer.router.url));
    expect(health.status).toBe(200);
  });

  it('routes the links hops to each owner when told to (localLinks: false), with the same answer', async () => {
    const routed = await startPeerGateway(cluster, 'peer-routed-links', { localLinks: false });
    try {
      const token = cluster.token('skyframe');
      const ours = await postGraphQL(cluster.gatewayUrl, GENEALOGY_QUERY, { token, variables: { first: 2 } });
      const theirs = await postGraphQL(routed.url, GENEALOGY_QUERY, { token, variables: { first: 2 } });
      expect(theirs.data).toEqual(ours.data);
      expect(errorKeys(theirs)).toEqual(errorKeys(ours));
      // The 7 firm requests plus 2 + 2 + 2 owners of the links steps: 13, as our gateway with localLinks off.
      expect(routed.router.router.stats.requests).toBe(13);
    } finally {
      await routed.close();
    }
  });

  it('runs as `dataspace router --config`: a bad file stops it with the key named, a good one serves the cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'router-cli-'));
    const keys = await registerGateway(cluster, 'cli-router');
    writeFileSync(join(dir, 'router.key.pem'), keys.privateKeyPem);
    writeFileSync(join(dir, 'operator.pub.pem'), cluster.operator.publicKeyPem);
    const registryUrl = new URL(cluster.registryUrl).origin;
    const config = (listen: string): string =>
      `gatewayId: cli-router\nlisten: ${listen}\nregistryUrl: ${registryUrl}\nprivateKeyFile: ./router.key.pem\noperatorPublicKeyFiles: [./operator.pub.pem]\n`;

    writeFileSync(join(dir, 'bad.yaml'), config('{ host: 127.0.0.1, port: nope }'));
    const bad = spawnDataspace('router (bad config)', ['router', '--config', join(dir, 'bad.yaml')]);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr()).toContain('bad.yaml');
    expect(bad.stderr()).toContain('listen.port');

    writeFileSync(join(dir, 'router.yaml'), config('{ host: 127.0.0.1, port: 0 }'));
    const router = spawnDataspace('router', ['router', '--config', join(dir, 'router.yaml')]);
    try {
      const line = await router.waitForLine(/^router serves /, 60_000);
      const registry = line.split(' ').pop() ?? '';
      const token = cluster.token('skyframe');
      const firms = await postGraphQL(registry, '{ firms { id } }', { token });
      expect((firms.data?.firms as { id: string }[]).map((f) => f.id)).toContain('structura');
      const firmEndpoint = line.split(' ')[2] ?? '';
      const lot = await postGraphQL(firmEndpoint, ENTITIES, { token, variables: { representations: [LOT_REP] } });
      expect(lot.errors).toBeUndefined();
      expect(lot.data?._entities).toEqual([{ lotId: 'structura-L0001', status: expect.any(String) }]);
      expectRefused(await postGraphQL(registry, '{ firms { id } }', {}), 401, 'UNAUTHENTICATED');
    } finally {
      expect((await router.stop()).code).toBe(0);
    }
  });
});
