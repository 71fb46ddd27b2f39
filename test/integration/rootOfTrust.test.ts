/**
 * Issue 8, the root of trust: the directory (every member, endpoint, relationship and public
 * key) is signed by the cluster operator and served to members and gateways only. Whoever
 * answers for the registry's URL — a fake registry here, a real HTTP server — cannot get a
 * firm or a gateway to trust a key of its own: unsigned, signed with another key, or an older
 * genuine document replayed, each is refused, counted, and the last good directory stays.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, gatewayIssuer, memberIssuer, type ClusterTopology, type Directory } from '../../cluster/directory.js';
import { DirectoryClient } from '../../cluster/directoryClient.js';
import { DIRECTORY_DOCUMENT_TYPE, pinnedOperatorKeys, readDirectoryDocument, signDirectory } from '../../cluster/directoryDocument.js';
import { demoPolicyFile } from '../../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import { startGateway, type RunningGateway } from '../../gateway/startGateway.js';
import { directoryAudience, signDirectoryReaderToken } from '../../identity/directoryReaderToken.js';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential } from '../../identity/gatewayCredential.js';
import { keyId } from '../../identity/keyId.js';
import { generateKeyPair } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { publishPolicy } from '../../subgraphs/firm/publishedPolicy.js';
import { startFirmSubgraph, type RunningFirmSubgraph } from '../../subgraphs/firm/startFirmSubgraph.js';
import { postGraphQL, readMetric, type GraphQLResult } from '../harness/graphqlClient.js';
import { postAsGateway } from '../harness/postAsGateway.js';
import { registerGateway } from '../harness/registerGateway.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

const FIRMS = ['skyframe', 'structura'];
const TOPOLOGY: ClusterTopology = {
  clusterId: DEMO_TOPOLOGY.clusterId,
  members: DEMO_TOPOLOGY.members.filter((m) => FIRMS.includes(m.id)),
  relationships: DEMO_TOPOLOGY.relationships.filter((r) => FIRMS.includes(r.supplier) && FIRMS.includes(r.customer)),
};
const CLUSTER = TOPOLOGY.clusterId;
const LOTS = '{ firm(id: "structura") { lots(first: 1) { lotId } } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { lotId status } } }';
const LOT_REP = { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' };
const REFUSED = 'dataspace_directory_refused_total';

/** What the fake registry answers at `/directory`. */
type Forgery = { kind: 'relay' } | { kind: 'serve'; status: number; contentType: string; body: string };

function expectRefused(r: GraphQLResult, status: number, code: string): void {
  expect(r.status, JSON.stringify(r.errors)).toBe(status);
  expect(r.data ?? null).toBeNull();
  expect(r.errors?.[0]?.extensions?.code).toBe(code);
}

describe(`the root of trust: a signed directory, for members and gateways only (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  const attacker = generateKeyPair();

  beforeAll(async () => {
    cluster = await startTestCluster({ topology: TOPOLOGY, seed: { lotsPerFirm: 2 } });
  });
  afterAll(async () => cluster?.stop());

  const readerToken = (kind: 'firm' | 'gateway', id: string, privateKeyPem: string): string =>
    signDirectoryReaderToken({ kind, id, privateKeyPem }, [directoryAudience(keyId(cluster.operator.publicKeyPem))]);
  const getDirectory = (token?: string): Promise<Response> =>
    fetch(new URL('/directory', cluster.registryUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const codeOf = async (res: Response): Promise<unknown> => ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code;

  it('answers GET /directory to members and gateways only: anonymous, a user token and a stranger get 401 and nothing of it', async () => {
    const anonymous = await getDirectory();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const body = await anonymous.text();
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(body).not.toContain('structura');
    expect(body).not.toContain('PUBLIC KEY');

    expect(await codeOf(await getDirectory(cluster.token('skyframe')))).toBe('DIRECTORY_READER_INVALID');
    expect(await codeOf(await getDirectory(readerToken('firm', 'intruder', attacker.privateKeyPem)))).toBe('DIRECTORY_READER_UNKNOWN');
    expect(await codeOf(await getDirectory(readerToken('firm', 'structura', attacker.privateKeyPem)))).toBe('DIRECTORY_READER_INVALID');
    expect((await fetch(new URL('/health', cluster.registryUrl))).status).toBe(200);
  });

  it("serves a member the directory as a JWS signed with the operator's key", async () => {
    const res = await getDirectory(readerToken('firm', 'structura', cluster.firms.get('structura')?.serviceKeys.privateKeyPem ?? ''));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jwt');
    const text = await res.text();
    expect(JSON.parse(Buffer.from(text.split('.')[0] ?? '', 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: DIRECTORY_DOCUMENT_TYPE, kid: keyId(cluster.operator.publicKeyPem) });
    const read = readDirectoryDocument(text, pinnedOperatorKeys([cluster.operator.publicKeyPem]));
    expect(read.ok && read.document.directory.members.map((m) => m.id)).toEqual(FIRMS);
  });

  it("reads as a firm with its service key only: the key of the firm's users' tokens reads nothing", async () => {
    const structura = cluster.firms.get('structura');
    if (!structura) throw new Error('no structura');
    const byUserKey = await getDirectory(readerToken('firm', 'structura', structura.keys.privateKeyPem));
    expect(byUserKey.status).toBe(401);
    const body = await byUserKey.text();
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'DIRECTORY_READER_INVALID' } }] });
    expect(body).not.toContain('PUBLIC KEY');
    // Nor another firm's service key in structura's name; structura's own service key reads.
    expect(await codeOf(await getDirectory(readerToken('firm', 'structura', cluster.firms.get('skyframe')?.serviceKeys.privateKeyPem ?? '')))).toBe('DIRECTORY_READER_INVALID');
    expect((await getDirectory(readerToken('firm', 'structura', structura.serviceKeys.privateKeyPem))).status).toBe(200);
    // A directory client configured with the user-token key is refused by the registry, naming the service key.
    const misconfigured = cluster.directoryClient({ kind: 'firm', id: 'structura', privateKeyPem: structura.keys.privateKeyPem });
    await expect(misconfigured.refresh()).rejects.toMatchObject({ name: 'DirectoryAccessError', code: 'DIRECTORY_READER_INVALID', message: expect.stringMatching(/service key/) });
    await expect(cluster.directoryClient({ kind: 'firm', id: 'structura', privateKeyPem: structura.serviceKeys.privateKeyPem }).refresh()).resolves.toMatchObject({ clusterId: CLUSTER });
    // The service key is published apart from the user-token key.
    const listed = cluster.directory.current().members.find((m) => m.id === 'structura');
    expect(listed?.serviceKeys).toEqual([structura.serviceKeys.publicKeyPem]);
    expect(listed?.publicKeys).toEqual([structura.keys.publicKeyPem]);
  });

  it('refuses a user token signed with a service key, at the gateway and at a firm: a firm process cannot mint its users', async () => {
    const minted = (firmId: string): string =>
      signUserToken({
        privateKeyPem: cluster.firms.get(firmId)?.serviceKeys.privateKeyPem ?? '',
        issuer: memberIssuer(CLUSTER, firmId),
        audience: clusterAudience(CLUSTER),
        firmId,
        subject: `admin@${firmId}`,
        roles: ['admin'],
      });
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS, { token: minted('skyframe') }), 401, 'TOKEN_INVALID');
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS, { token: minted('structura') }), 401, 'TOKEN_INVALID');
    // At a firm as the gateway would send it: another member's, and the firm's own.
    for (const firmId of ['skyframe', 'structura']) {
      expectRefused(await postAsGateway(cluster, { firmId: 'structura' }, ENTITIES, { token: minted(firmId), variables: { r: [LOT_REP] } }), 401, 'TOKEN_INVALID');
    }
    // The same user, signed with the member's user-token key, is served.
    const genuine = await postAsGateway(cluster, { firmId: 'structura' }, ENTITIES, { token: cluster.token('structura', { roles: ['admin'] }), variables: { r: [LOT_REP] } });
    expect(genuine.errors).toBeUndefined();
  });

  it('refuses a token living until 2100 with TOKEN_LIFETIME_TOO_LONG, at the gateway and at a firm', async () => {
    const token = cluster.token('skyframe', { ttlSeconds: Math.floor((Date.UTC(2100, 0, 1) - Date.now()) / 1000) });
    expectRefused(await postGraphQL(cluster.gatewayUrl, LOTS, { token }), 401, 'TOKEN_LIFETIME_TOO_LONG');
    expectRefused(await postAsGateway(cluster, { firmId: 'structura' }, ENTITIES, { token, variables: { r: [LOT_REP] } }), 401, 'TOKEN_LIFETIME_TOO_LONG');
    // The same user with a token of an ordinary lifetime is served.
    const ordinary = await postAsGateway(cluster, { firmId: 'structura' }, ENTITIES, { token: cluster.token('skyframe'), variables: { r: [LOT_REP] } });
    expect(ordinary.errors).toBeUndefined();
  });

  describe('a fake registry answering for the registry URL', () => {
    let forger: Server;
    let forgerUrl: string;
    let answer: Forgery = { kind: 'relay' };
    /** The last genuine document relayed, for a replay. */
    let relayed = '';
    let gatewayDirectory: DirectoryClient;
    let firmDirectory: DirectoryClient;
    let gateway: RunningGateway;
    let firm: RunningFirmSubgraph;

    /** The cluster's directory with the attacker's key in place of skyframe's and of the gateway's, and an intruder member. */
    const forgedDirectory = (): Directory => {
      const real = cluster.directory.current();
      return {
        ...real,
        members: [
          ...real.members.map((m) => (m.id === 'skyframe' ? { ...m, publicKeys: [attacker.publicKeyPem] } : m)),
          { ...real.members[0]!, id: 'intruder', name: 'Intruder', issuer: memberIssuer(CLUSTER, 'intruder'), publicKeys: [attacker.publicKeyPem] },
        ],
        gateways: real.gateways.map((g) => ({ ...g, publicKeys: [attacker.publicKeyPem] })),
      };
    };
    const serve = (body: string, contentType = 'application/jwt'): Forgery => ({ kind: 'serve', status: 200, contentType, body });
    const unsigned = (): Forgery => serve(JSON.stringify(forgedDirectory()), 'application/json');
    const attackerSigned = (): Forgery => serve(signDirectory(forgedDirectory(), { privateKeyPem: attacker.privateKeyPem }));
    /** Signed by the attacker, its header claiming the operator's key. */
    const claimingOperatorKey = (): Forgery => {
      const [, payload, signature] = signDirectory(forgedDirectory(), { privateKeyPem: attacker.privateKeyPem }).split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: DIRECTORY_DOCUMENT_TYPE, kid: keyId(cluster.operator.publicKeyPem) })).toString('base64url');
      return serve(`${header}.${payload}.${signature}`);
    };

    const attackerToken = (firmId: string): string =>
      signUserToken({ privateKeyPem: attacker.privateKeyPem, issuer: memberIssuer(CLUSTER, firmId), audience: clusterAudience(CLUSTER), firmId, subject: 'mallory', roles: ['admin'] });
    /**
     * A request straight to the firm behind the fake registry, with the gateway credential the
     * forged directory would make valid: signed with the attacker's key as the gateway `outpost`.
     */
    const postToFirm = (token: string): Promise<GraphQLResult> => {
      const variables = { r: [LOT_REP] };
      const credential = signGatewayCredential({
        privateKeyPem: attacker.privateKeyPem,
        issuer: gatewayIssuer(CLUSTER, 'outpost'),
        audience: clusterAudience(CLUSTER),
        destination: { kind: 'firm', firmId: 'structura' },
        userToken: token,
        request: JSON.stringify({ query: ENTITIES, variables }),
      });
      return postGraphQL(firm.endpoints.firm, ENTITIES, { token, variables, headers: { [GATEWAY_CREDENTIAL_HEADER]: credential } });
    };
    const refreshBoth = async (reason: string): Promise<void> => {
      await expect(gatewayDirectory.refresh()).rejects.toMatchObject({ name: 'DirectoryRefusedError', reason });
      await expect(firmDirectory.refresh()).rejects.toMatchObject({ name: 'DirectoryRefusedError', reason });
    };

    beforeAll(async () => {
      forger = createServer((req, res) => {
        void (async () => {
          if (answer.kind === 'serve') {
            res.writeHead(answer.status, { 'content-type': answer.contentType });
            res.end(answer.body);
            return;
          }
          const upstream = await fetch(new URL('/directory', cluster.registryUrl), { headers: { authorization: req.headers.authorization ?? '' } });
          const text = await upstream.text();
          if (upstream.ok) relayed = text;
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })();
      });
      await new Promise<void>((r) => forger.listen(0, '127.0.0.1', r));
      forgerUrl = `http://127.0.0.1:${(forger.address() as AddressInfo).port}`;
      const client = (kind: 'firm' | 'gateway', id: string, privateKeyPem: string): DirectoryClient =>
        new DirectoryClient({ registryUrl: forgerUrl, refreshMs: 0, operatorPublicKeys: [cluster.operator.publicKeyPem], reader: { kind, id, privateKeyPem }, log: () => {} });
      // A gateway `outpost` (listed by the operator) and the firm structura, with their real keys, pointed at the fake registry.
      const outpost = await registerGateway(cluster, 'outpost');
      gatewayDirectory = client('gateway', 'outpost', outpost.privateKeyPem);
      firmDirectory = client('firm', 'structura', cluster.firms.get('structura')?.serviceKeys.privateKeyPem ?? '');
      gateway = await startGateway({ registryUrl: forgerUrl, directory: gatewayDirectory, gatewayId: 'outpost', privateKeyPem: outpost.privateKeyPem, log: () => {} });
      const database = cluster.firms.get('structura')?.database;
      if (!database) throw new Error('no structura database');
      firm = await startFirmSubgraph({ firmId: 'structura', database, policy: publishPolicy('structura', demoPolicyFile('structura')), directory: firmDirectory, log: () => {} });
    });
    afterAll(async () => {
      await gateway?.close();
      await firm?.close();
      await new Promise<void>((r) => (forger ? forger.close(() => r()) : r()));
    });

    it('a firm and a gateway that never had a directory accept none of its keys: unsigned, signed by the attacker, or claiming the operator key', async () => {
      for (const [forgery, reason] of [
        [unsigned(), 'unsigned'],
        [attackerSigned(), 'key'],
        [claimingOperatorKey(), 'signature'],
      ] as const) {
        answer = forgery;
        await refreshBoth(reason);
      }
      expect(gatewayDirectory.current()).toBeUndefined();
      expect(firmDirectory.current()).toBeUndefined();
      // A token signed with the attacker's key: nothing is served, to skyframe's name or the intruder's.
      for (const firmId of ['skyframe', 'intruder']) {
        expectRefused(await postGraphQL(gateway.url, LOTS, { token: attackerToken(firmId) }), 503, 'DIRECTORY_UNAVAILABLE');
        expectRefused(await postToFirm(attackerToken(firmId)), 503, 'DIRECTORY_UNAVAILABLE');
      }
      expect(gateway.metrics.get(REFUSED)).toBe(3);
      expect(await readMetric(firm.url, REFUSED)).toBe(3);
    });

    it('a firm and a gateway that had a good directory keep it: forgeries and a replayed older document are refused and counted', async () => {
      answer = { kind: 'relay' };
      const good = await gatewayDirectory.refresh();
      await firmDirectory.refresh();
      const older = relayed;
      // The operator changes the directory: the registry signs a newer document.
      cluster.directory.set({ ...cluster.directory.current(), members: cluster.directory.current().members.map((m) => (m.id === 'skyframe' ? { ...m, name: 'Skyframe Aircraft SE' } : m)) });
      const newer = await gatewayDirectory.refresh();
      await firmDirectory.refresh();
      expect(newer).not.toBe(good);
      expect(newer.members.find((m) => m.id === 'skyframe')?.name).toBe('Skyframe Aircraft SE');

      for (const [forgery, reason] of [
        [serve(older), 'rollback'],
        [unsigned(), 'unsigned'],
        [attackerSigned(), 'key'],
        [claimingOperatorKey(), 'signature'],
      ] as const) {
        answer = forgery;
        await refreshBoth(reason);
      }
      expect(gatewayDirectory.current()).toBe(newer);
      expect(firmDirectory.current()?.members.find((m) => m.id === 'skyframe')?.publicKeys).toEqual(newer.members.find((m) => m.id === 'skyframe')?.publicKeys);
      expect(gateway.metrics.get(REFUSED)).toBe(3 + 4);
      expect(await readMetric(firm.url, REFUSED)).toBe(3 + 4);
      expect(await (await fetch(new URL('/metrics', gateway.url))).text()).toContain(`${REFUSED}{service="gateway"} 7`);

      // The attacker's key is trusted by neither: under skyframe's issuer it does not verify, and the intruder is no member.
      expectRefused(await postGraphQL(gateway.url, LOTS, { token: attackerToken('skyframe') }), 401, 'TOKEN_INVALID');
      expectRefused(await postGraphQL(gateway.url, LOTS, { token: attackerToken('intruder') }), 401, 'ISSUER_UNTRUSTED');
      expectRefused(await postToFirm(attackerToken('skyframe')), 401, 'TOKEN_INVALID');
      expectRefused(await postToFirm(attackerToken('intruder')), 401, 'ISSUER_UNTRUSTED');
    });
  });
});
