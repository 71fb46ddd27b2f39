/**
 * TLS everywhere (issue 8): the registry, the gateway and three firms as real
 * `node bin/dataspace.mjs ...` child processes, each listening with TLS from its own
 * configuration file (`tls: { certFile, keyFile }`, relative to the file), every outbound call
 * (gateway → firms and registry, firms → registry, a firm → a peer's /policy) trusting the
 * cluster's CA through NODE_EXTRA_CA_CERTS. Certificates: test/fixtures/tls.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, memberIssuer } from '../../cluster/directory.js';
import { demoPolicyFile, demoTermsFile } from '../../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import { ensureKeyPair } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { createTestDatabases, type TestDatabases } from '../harness/databases.js';
import { at } from '../harness/graphqlClient.js';
import { httpsRequest, TEST_TLS, testTls } from '../harness/httpsRequest.js';
import { freePorts, runDataspace, spawnDataspace, type DataspaceProcess } from '../harness/spawnDataspace.js';

const CLUSTER = DEMO_TOPOLOGY.clusterId;
const FIRMS = ['skyframe', 'avionix', 'precimach'] as const;
type FirmId = (typeof FIRMS)[number];
const HOST = '127.0.0.1';
const DRIVER = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const SCRAPE_TOKEN = 'tls-test-scrape-token-0123456789abcdef';
const { ca } = testTls();

function memberYaml(id: FirmId, port: number): string {
  const p = DEMO_TOPOLOGY.members.find((m) => m.id === id);
  if (!p) throw new Error(`${id} is not in the demo topology`);
  return [
    `  - id: ${id}`,
    `    name: ${JSON.stringify(p.name)}`,
    `    role: ${p.role}`,
    `    tier: ${p.tier}`,
    `    endpoints: { firm: "https://${HOST}:${port}/firm", links: "https://${HOST}:${port}/links" }`,
    `    publicKeyFiles: [keys/${id}.pub.pem]`,
    `    serviceKeyFiles: [keys/${id}.service.pub.pem]`,
    '',
  ].join('\n');
}

describe(`the cluster over TLS, every server a process of its own (${DRIVER})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataspace-tls-'));
  const keysDir = join(dir, 'keys');
  const children: DataspaceProcess[] = [];
  let databases: TestDatabases | undefined;
  let ports: Record<'registry' | 'gateway' | 'gatewayMetrics' | FirmId, number>;
  let gatewayUrl: string;

  const token = (firmId: FirmId, options: { purpose?: string } = {}): string =>
    signUserToken({
      privateKeyPem: readFileSync(join(keysDir, `${firmId}.key.pem`), 'utf8'),
      issuer: memberIssuer(CLUSTER, firmId),
      audience: clusterAudience(CLUSTER),
      firmId,
      subject: `planner@${firmId}`,
      roles: ['planner'],
      ...options,
    });
  const query = async (firmId: FirmId, text: string, options: { purpose?: string } = {}): Promise<{ status: number; data?: unknown; errors?: { extensions?: { code?: string } }[] }> => {
    const r = await httpsRequest(gatewayUrl, {
      ca,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token(firmId, options)}` },
      body: JSON.stringify({ query: text }),
    });
    return { status: r.status, ...(JSON.parse(r.text) as object) };
  };
  const spawn = (name: string, args: string[], env: Record<string, string> = {}): DataspaceProcess => {
    // Every process trusts the cluster's CA for its outbound calls, the standard way.
    const p = spawnDataspace(name, args, { NODE_EXTRA_CA_CERTS: TEST_TLS.caFile, ...env });
    children.push(p);
    return p;
  };

  beforeAll(async () => {
    const [registry, gateway, gatewayMetrics, ...firmPorts] = await freePorts(3 + FIRMS.length);
    ports = { registry: registry ?? 0, gateway: gateway ?? 0, gatewayMetrics: gatewayMetrics ?? 0, skyframe: firmPorts[0] ?? 0, avionix: firmPorts[1] ?? 0, precimach: firmPorts[2] ?? 0 };
    const registryUrl = `https://${HOST}:${ports.registry}`;
    gatewayUrl = `https://${HOST}:${ports.gateway}/graphql`;
    for (const name of [...FIRMS.flatMap((f) => [f, `${f}.service`]), 'gateway', 'operator']) ensureKeyPair(keysDir, name);
    // Each server's certificate and key next to its file (one pair for all here: it names 127.0.0.1).
    mkdirSync(join(dir, 'tls'));
    copyFileSync(TEST_TLS.certFile, join(dir, 'tls', 'server.crt'));
    copyFileSync(TEST_TLS.keyFile, join(dir, 'tls', 'server.key'));
    writeFileSync(join(dir, 'metrics.token'), `${SCRAPE_TOKEN}\n`);
    const tls = 'tls: { certFile: tls/server.crt, keyFile: ./tls/server.key }';

    writeFileSync(
      join(dir, 'cluster.yaml'),
      [
        `clusterId: ${CLUSTER}`,
        `listen: { host: ${HOST}, port: ${ports.registry} }`,
        tls,
        'operatorPrivateKeyFile: keys/operator.key.pem',
        `termsFile: ${JSON.stringify(demoTermsFile())}`,
        'gateways:',
        '  - id: main',
        '    publicKeyFiles: [keys/gateway.pub.pem]',
        'relationships:',
        '  - { supplier: avionix, customer: skyframe }',
        '  - { supplier: precimach, customer: avionix }',
        'members:',
        ...FIRMS.map((f) => memberYaml(f, ports[f])),
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'gateway.yaml'),
      [
        'gatewayId: main',
        `listen: { host: ${HOST}, port: ${ports.gateway} }`,
        tls,
        `metrics: { tokenFile: metrics.token, listen: { host: ${HOST}, port: ${ports.gatewayMetrics} } }`,
        `registryUrl: ${registryUrl}`,
        'privateKeyFile: keys/gateway.key.pem',
        'operatorPublicKeyFiles: [keys/operator.pub.pem]',
        'directoryRefreshSeconds: 1',
        '',
      ].join('\n'),
    );
    for (const firmId of FIRMS) {
      writeFileSync(
        join(dir, `${firmId}.firm.yaml`),
        [
          `firmId: ${firmId}`,
          `listen: { host: ${HOST}, port: ${ports[firmId]} }`,
          tls,
          'metrics: { tokenFile: metrics.token }',
          `database: { dataDir: ./data/${firmId} }`,
          `policyFile: ${JSON.stringify(demoPolicyFile(firmId))}`,
          `registryUrl: ${registryUrl}`,
          `serviceKeyFile: keys/${firmId}.service.key.pem`,
          'operatorPublicKeyFiles: [keys/operator.pub.pem]',
          'directoryRefreshSeconds: 1',
          '',
        ].join('\n'),
      );
    }

    const registryProcess = spawn('registry', ['registry', '--config', join(dir, 'cluster.yaml')]);
    const gatewayProcess = spawn('gateway', ['gateway', '--config', join(dir, 'gateway.yaml')]);
    databases = await createTestDatabases(FIRMS);
    const seed = generateCluster(DEMO_TOPOLOGY, { lotsPerFirm: 4 });
    const firms: DataspaceProcess[] = [];
    for (const firmId of FIRMS) {
      const url = databases.urlFor?.(firmId);
      const database = await openFirmDatabase(url ? { databaseUrl: url, maxConnections: 1 } : { dataDir: join(dir, 'data', firmId) });
      try {
        const firmSeed = seed.firms[firmId];
        if (!firmSeed) throw new Error(`no seed for ${firmId}`);
        await insertFirmSeed(database.db, firmSeed);
      } finally {
        await database.close();
      }
      firms.push(spawn(`firm ${firmId}`, ['firm', '--config', join(dir, `${firmId}.firm.yaml`)], url ? { DATABASE_URL: url } : {}));
    }
    await registryProcess.waitForLine(new RegExp(`^registry serves https://${HOST}:${ports.registry}/graphql .*\\(3 members\\)$`));
    await gatewayProcess.waitForLine(new RegExp(`^gateway serves https://${HOST}:${ports.gateway}/graphql \\(3 members\\)$`));
    for (const [i, firm] of firms.entries()) {
      await firm.waitForLine(new RegExp(`^firm ${FIRMS[i]} \\(${DRIVER}\\) serves https://${HOST}:${ports[FIRMS[i] as FirmId]}/firm `));
    }
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop(3_000)));
    await databases?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a query through the gateway over https: registry and firms reached over https', async () => {
    const members = await query('skyframe', '{ firms { id } }');
    expect(members.errors).toBeUndefined();
    expect((at(members.data, 'firms') as { id: string }[]).map((f) => f.id).sort()).toEqual(['avionix', 'precimach', 'skyframe']);
    const lots = await query('skyframe', '{ firm(id: "avionix") { lots(first: 2) { lotId status } } }');
    expect(lots.errors).toBeUndefined();
    expect((at(lots.data, 'firm.lots') as { lotId: string }[]).map((l) => l.lotId)).toEqual(['avionix-L0001', 'avionix-L0002']);
  });

  it("give-to-get over https: avionix reads precimach's /policy as itself (its service key) and grants", async () => {
    const runs = await query('precimach', '{ firm(id: "avionix") { productionRuns(first: 3) { runId status } } }', { purpose: 'planning' });
    expect(runs.errors).toBeUndefined();
    expect((at(runs.data, 'firm.productionRuns') as unknown[]).length).toBeGreaterThan(0);
    const scraped = await httpsRequest(`https://${HOST}:${ports.avionix}/metrics`, { ca, headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.text).not.toMatch(/^dataspace_peer_policy_refused_total/m);
  });

  it('answers no plain-HTTP request on any TLS port', async () => {
    for (const port of [ports.registry, ports.gateway, ports.gatewayMetrics, ...FIRMS.map((f) => ports[f])]) {
      const error = await fetch(`http://${HOST}:${port}/health`).then(() => undefined, (e: unknown) => e);
      expect(error, `port ${port}`).toBeInstanceOf(TypeError);
    }
  });

  it('keeps /health open, /metrics behind the scrape credential and /policy for members', async () => {
    const firm = `https://${HOST}:${ports.avionix}`;
    expect((await httpsRequest(`${firm}/health`, { ca })).status).toBe(200);
    expect((await httpsRequest(`${firm}/metrics`, { ca })).status).toBe(401);
    expect((await httpsRequest(`${firm}/metrics`, { ca, headers: { authorization: 'Bearer wrong-token-wrong-token-wrong-token' } })).status).toBe(401);
    expect((await httpsRequest(`${firm}/policy`, { ca })).status).toBe(401);
    expect((await httpsRequest(`${firm}/policy`, { ca, headers: { authorization: `Bearer ${token('skyframe')}` } })).status).toBe(200);
    // The gateway's metrics are on their own listener only.
    const gatewayBase = `https://${HOST}:${ports.gateway}`;
    expect((await httpsRequest(`${gatewayBase}/metrics`, { ca, headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })).status).toBe(404);
    const gatewayMetrics = await httpsRequest(`https://${HOST}:${ports.gatewayMetrics}/metrics`, { ca, headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(gatewayMetrics.status).toBe(200);
    expect(gatewayMetrics.text).toMatch(/^dataspace_gateway_requests_total\{service="gateway"\} [1-9]/m);
  });

  it('stops a server whose key is not its certificate\'s, naming the file and the key (exit 2)', async () => {
    const file = join(dir, 'bad-tls.gateway.yaml');
    writeFileSync(file, readFileSync(join(dir, 'gateway.yaml'), 'utf8').replace('keyFile: ./tls/server.key', `keyFile: ${JSON.stringify(join(keysDir, 'gateway.key.pem'))}`));
    const run = await runDataspace(['gateway', '--config', file]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`config file ${file}, key tls.keyFile`);
    expect(run.stderr).toContain('is not the private key of the certificate');
  });
});
