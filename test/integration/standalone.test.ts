/**
 * Issue item 4: a partner firm runs its own subgraph alone (`dataspace firm --config <file>`:
 * its firm id, its database, its policy file, the registry URL), and adding a firm to the
 * cluster is configuration only: no schema change, no gateway code change, no gateway restart.
 *
 * Every server here is a real `node bin/dataspace.mjs ...` child process started from
 * configuration files in a temporary directory, as an operator and the partners would.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterAudience, memberIssuer } from '../../cluster/directory.js';
import { demoPolicyFile } from '../../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import { ensureKeyPair } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { createTestDatabases, type TestDatabases } from '../harness/databases.js';
import { at, postGraphQL, type GraphQLResult } from '../harness/graphqlClient.js';
import { freePorts, pollUntil, runDataspace, spawnDataspace, waitForHealth, type DataspaceProcess } from '../harness/spawnDataspace.js';

const CLUSTER = DEMO_TOPOLOGY.clusterId;
const FIRMS = ['skyframe', 'structura', 'precimach'] as const;
type FirmId = (typeof FIRMS)[number];
const HOST = '127.0.0.1';
const DRIVER = process.env.DATABASE_URL ? 'postgres' : 'pglite';

const FIRMS_QUERY = '{ firms { id } }';
const lotsOf = (firmId: string): string => `{ firm(id: "${firmId}") { lots(first: 2) { lotId status } } }`;

function profile(id: FirmId): { name: string; role: string; tier: number; sector: string } {
  const member = DEMO_TOPOLOGY.members.find((m) => m.id === id);
  if (!member) throw new Error(`${id} is not in the demo topology`);
  return member;
}

/** A member entry of the registry file (YAML, indented for the `members:` list). */
function memberYaml(id: FirmId, port: number): string {
  const p = profile(id);
  return [
    `  - id: ${id}`,
    `    name: ${JSON.stringify(p.name)}`,
    `    role: ${p.role}`,
    `    tier: ${p.tier}`,
    `    sector: ${JSON.stringify(p.sector)}`,
    `    endpoints: { firm: "http://${HOST}:${port}/firm", links: "http://${HOST}:${port}/links" }`,
    `    publicKeyFiles: [keys/${id}.pub.pem]`,
    `    serviceKeyFiles: [keys/${id}.service.pub.pem]`,
    '',
  ].join('\n');
}

function firmIds(r: GraphQLResult): string[] {
  const firms = at(r.data, 'firms');
  return Array.isArray(firms) ? firms.map((f) => String(at(f, 'id'))).sort() : [];
}

function lotIds(r: GraphQLResult): string[] {
  const lots = at(r.data, 'firm.lots');
  return Array.isArray(lots) ? lots.map((l) => String(at(l, 'lotId'))) : [];
}

describe(`a partner firm runs its own subgraph, joining by configuration only (${DRIVER})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataspace-standalone-'));
  /** The operator's folder of public keys (and, in this test, the keys of the first members and the gateway). */
  const keysDir = join(dir, 'keys');
  /** precimach's firm process's key folder: its service key only; the operator receives the public half when it joins. */
  const precimachKeysDir = join(dir, 'precimach-keys');
  /** precimach's identity provider's folder: the key of its users' tokens, which its firm process never sees. */
  const precimachIdpDir = join(dir, 'precimach-idp');
  const registryFile = join(dir, 'cluster.yaml');
  const children: DataspaceProcess[] = [];
  let databases: TestDatabases | undefined;
  let ports: { registry: number; gateway: number } & Record<FirmId, number>;
  let registryUrl: string;
  let gatewayUrl: string;
  let registry: DataspaceProcess;
  let gateway: DataspaceProcess;

  const token = (firmId: FirmId, roles: string[] = ['planner']): string =>
    signUserToken({
      privateKeyPem: readFileSync(join(firmId === 'precimach' ? precimachIdpDir : keysDir, `${firmId}.key.pem`), 'utf8'),
      issuer: memberIssuer(CLUSTER, firmId),
      audience: clusterAudience(CLUSTER),
      firmId,
      subject: `${roles[0] ?? 'user'}@${firmId}`,
      roles,
    });

  /** The environment of a firm's process: its own PostgreSQL database, or none (PGlite in its dataDir). */
  const firmEnv = (firmId: FirmId): Record<string, string> => {
    const url = databases?.urlFor?.(firmId);
    return url ? { DATABASE_URL: url } : {};
  };

  const startFirm = (firmId: FirmId): DataspaceProcess => {
    const p = spawnDataspace(`firm ${firmId}`, ['firm', '--config', join(dir, `${firmId}.firm.yaml`)], firmEnv(firmId));
    children.push(p);
    return p;
  };

  beforeAll(async () => {
    const [registryPort, gatewayPort, ...firmPorts] = await freePorts(2 + FIRMS.length);
    ports = {
      registry: registryPort ?? 0,
      gateway: gatewayPort ?? 0,
      skyframe: firmPorts[0] ?? 0,
      structura: firmPorts[1] ?? 0,
      precimach: firmPorts[2] ?? 0,
    };
    registryUrl = `http://${HOST}:${ports.registry}`;
    gatewayUrl = `http://${HOST}:${ports.gateway}/graphql`;

    // Each firm's user-token key and service key, the gateway's credential key and the operator's directory key (`keys/<name>.key.pem`, `.pub.pem`).
    for (const name of ['skyframe', 'skyframe.service', 'structura', 'structura.service', 'gateway', 'operator']) ensureKeyPair(keysDir, name);
    ensureKeyPair(precimachKeysDir, 'precimach.service');
    ensureKeyPair(precimachIdpDir, 'precimach');

    // The operator's registry file: skyframe and structura only, for now.
    writeFileSync(
      registryFile,
      [
        `clusterId: ${CLUSTER}`,
        `listen: { host: ${HOST}, port: ${ports.registry} }`,
        'operatorPrivateKeyFile: keys/operator.key.pem',
        'gateways:',
        '  - id: main',
        '    publicKeyFiles: [keys/gateway.pub.pem]',
        'relationships:',
        '  - { supplier: structura, customer: skyframe }',
        'members:',
        memberYaml('skyframe', ports.skyframe),
        memberYaml('structura', ports.structura),
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'gateway.yaml'),
      [
        'gatewayId: main',
        `listen: { host: ${HOST}, port: ${ports.gateway} }`,
        `registryUrl: ${registryUrl}`,
        'privateKeyFile: keys/gateway.key.pem',
        'operatorPublicKeyFiles: [keys/operator.pub.pem]',
        'firmTimeoutMs: 5000',
        'directoryRefreshSeconds: 1',
        '',
      ].join('\n'),
    );
    // Each partner's own file: its id, its database, its policy, the registry.
    for (const firmId of FIRMS) {
      writeFileSync(
        join(dir, `${firmId}.firm.yaml`),
        [
          `firmId: ${firmId}`,
          `listen: { host: ${HOST}, port: ${ports[firmId]} }`,
          `database: { dataDir: ./data/${firmId} }`,
          `policyFile: ${JSON.stringify(demoPolicyFile(firmId))}`,
          `registryUrl: ${registryUrl}`,
          // Its service key, to read the directory as a member (never its users' token key); the operator's key, pinned.
          `serviceKeyFile: ${firmId === 'precimach' ? 'precimach-keys' : 'keys'}/${firmId}.service.key.pem`,
          'operatorPublicKeyFiles: [keys/operator.pub.pem]',
          'directoryRefreshSeconds: 1',
          '',
        ].join('\n'),
      );
    }

    // The operator's registry and the gateway need no database: they start while the firms' data loads.
    registry = spawnDataspace('registry', ['registry', '--config', registryFile]);
    children.push(registry);
    gateway = spawnDataspace('gateway', ['gateway', '--config', join(dir, 'gateway.yaml')]);
    children.push(gateway);

    // The firm subgraph does not seed itself: load each firm's data first, then close the
    // database (a PGlite directory is opened by one process at a time).
    databases = await createTestDatabases(FIRMS);
    const seed = generateCluster(DEMO_TOPOLOGY, { lotsPerFirm: 4 });
    const seedFirm = async (firmId: FirmId): Promise<void> => {
      const url = databases?.urlFor?.(firmId);
      const database = await openFirmDatabase(url ? { databaseUrl: url, maxConnections: 1 } : { dataDir: join(dir, 'data', firmId) });
      try {
        const firmSeed = seed.firms[firmId];
        if (!firmSeed) throw new Error(`no seed for ${firmId}`);
        await insertFirmSeed(database.db, firmSeed);
      } finally {
        await database.close();
      }
    };
    const firms: DataspaceProcess[] = [];
    for (const firmId of ['skyframe', 'structura'] as const) {
      await seedFirm(firmId);
      firms.push(startFirm(firmId));
    }
    // precimach's data is ready too, but its subgraph starts only in the test that adds it.
    await seedFirm('precimach');

    await registry.waitForLine(/^registry serves .* \(2 members\)$/);
    await gateway.waitForLine(/^gateway serves .* \(2 members\)$/);
    for (const firm of firms) await firm.waitForLine(new RegExp(`^${firm.name} \\(${DRIVER}\\) serves `));
    await Promise.all(
      [registryUrl, `http://${HOST}:${ports.gateway}`, `http://${HOST}:${ports.skyframe}`, `http://${HOST}:${ports.structura}`].map((u) => waitForHealth(u)),
    );
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop(3_000)));
    await databases?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the two registered firms through the gateway', async () => {
    const members = await postGraphQL(gatewayUrl, FIRMS_QUERY, { token: token('skyframe') });
    expect(members.errors).toBeUndefined();
    expect(firmIds(members)).toEqual(['skyframe', 'structura']);

    // Routed to structura's own process, answered from its own database under its own policy.
    const lots = await postGraphQL(gatewayUrl, lotsOf('structura'), { token: token('skyframe') });
    expect(lots.errors).toBeUndefined();
    expect(lotIds(lots)).toEqual(['structura-L0001', 'structura-L0002']);

    // precimach is not a member yet.
    const before = await postGraphQL(gatewayUrl, lotsOf('precimach'), { token: token('structura') });
    expect(at(before.data, 'firm')).toBeNull();
  });

  it('adds precimach by starting its firm process and editing the registry file: no gateway restart', async () => {
    const gatewayPid = gateway.pid;
    const gatewayUptime = Number((await waitForHealth(`http://${HOST}:${ports.gateway}`)).uptimeMs);

    // The partner starts its subgraph alone, from its own configuration file: the registry
    // does not serve it the directory until it is a member, and it keeps polling.
    const precimach = startFirm('precimach');
    await precimach.waitForLine(new RegExp(`^firm precimach \\(${DRIVER}\\) serves http://${HOST}:${ports.precimach}/firm`));
    await pollUntil(async () => precimach.stderr(), (text) => /refuses firm precimach \(401 DIRECTORY_READER_UNKNOWN\).*keeps polling the registry/.test(text), 5_000);
    expect((await waitForHealth(`http://${HOST}:${ports.precimach}`)).directory).toBe('pending');

    // The operator adds it to the registry file (a member and a trade relationship) before
    // precimach's public key has arrived: the registry keeps the last good directory...
    const added = Date.now();
    const edited = readFileSync(registryFile, 'utf8').replace(
      '  - { supplier: structura, customer: skyframe }\n',
      '  - { supplier: structura, customer: skyframe }\n  - { supplier: precimach, customer: structura }\n',
    );
    expect(edited).toContain('supplier: precimach');
    writeFileSync(registryFile, `${edited}${memberYaml('precimach', ports.precimach)}`);
    await pollUntil(
      async () => registry.stderr(),
      (text) => /cannot read public key file .*precimach\.pub\.pem/.test(text),
      5_000,
    );
    expect(firmIds(await postGraphQL(gatewayUrl, FIRMS_QUERY, { token: token('skyframe') }))).toEqual(['skyframe', 'structura']);

    // ...and takes the new member once the key file is there, with no further edit of its file.
    copyFileSync(join(precimachIdpDir, 'precimach.pub.pem'), join(keysDir, 'precimach.pub.pem'));
    copyFileSync(join(precimachKeysDir, 'precimach.service.pub.pem'), join(keysDir, 'precimach.service.pub.pem'));

    // The registry re-reads its file (≤ 1 s), the gateway and the firms their directory (every 1 s).
    const members = await pollUntil(
      () => postGraphQL(gatewayUrl, FIRMS_QUERY, { token: token('skyframe') }),
      (r) => firmIds(r).length === 3,
      5_000,
    );
    expect(firmIds(members.value)).toEqual(['precimach', 'skyframe', 'structura']);

    // A structura planner (a customer of precimach) reads precimach's lots through the same gateway.
    const lots = await pollUntil(
      () => postGraphQL(gatewayUrl, lotsOf('precimach'), { token: token('structura') }),
      (r) => r.errors === undefined && lotIds(r).length === 2,
      5_000,
    );
    expect(lotIds(lots.value)).toEqual(['precimach-L0001', 'precimach-L0002']);
    const statuses = [0, 1].map((i) => at(lots.value.data, `firm.lots.${i}.status`));
    expect(statuses.every((st) => typeof st === 'string' && st.length > 0), JSON.stringify(statuses)).toBe(true);
    expect(Date.now() - added).toBeLessThan(8_000);

    // The same gateway process, never restarted: same pid, still running, its uptime kept growing.
    expect(gateway.pid).toBe(gatewayPid);
    expect(gateway.running()).toBe(true);
    const health = await waitForHealth(`http://${HOST}:${ports.gateway}`);
    expect(health.members).toBe(3);
    expect(Number(health.uptimeMs)).toBeGreaterThan(gatewayUptime);
    expect(children.filter((c) => !c.running()).map((c) => c.name)).toEqual([]);
  });

  // Independent one-shot processes: run side by side.
  describe.concurrent('a bad configuration stops the program (exit code 2), naming the file and the key', () => {
    it('refuses an unknown key in the firm file', async ({ expect }) => {
      const file = join(dir, 'bad.firm.yaml');
      writeFileSync(file, `${readFileSync(join(dir, 'structura.firm.yaml'), 'utf8')}colour: blue\n`);
      const run = await runDataspace(['firm', '--config', file]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(file);
      expect(run.stderr).toContain('key colour');
      expect(run.stderr).toContain('unknown key');
    });

    it('refuses the old privateKeyFile, and a service key file that is no private key, naming the file and the key', async ({ expect }) => {
      const good = readFileSync(join(dir, 'structura.firm.yaml'), 'utf8');
      const old = join(dir, 'old-key.firm.yaml');
      writeFileSync(old, good.replace(/^serviceKeyFile: (.*)$/m, 'privateKeyFile: keys/structura.key.pem'));
      const notKey = join(dir, 'public-key.firm.yaml');
      writeFileSync(notKey, good.replace(/^serviceKeyFile: .*$/m, 'serviceKeyFile: keys/structura.service.pub.pem'));
      const [oldRun, notKeyRun] = await Promise.all([runDataspace(['firm', '--config', old]), runDataspace(['firm', '--config', notKey])]);
      expect(oldRun.code, oldRun.stderr).toBe(2);
      expect(oldRun.stderr).toContain(old);
      expect(oldRun.stderr).toContain('key privateKeyFile');
      expect(oldRun.stderr).toContain('renamed serviceKeyFile');
      expect(oldRun.stderr).toContain('key serviceKeyFile');
      expect(notKeyRun.code, notKeyRun.stderr).toBe(2);
      expect(notKeyRun.stderr).toContain(notKey);
      expect(notKeyRun.stderr).toContain('key serviceKeyFile');
      expect(notKeyRun.stderr).toContain('is not an ES256 (EC P-256) PEM private key');
    });

    it('refuses a policy file with an unknown relationship, naming the file, the rule and the key', async ({ expect }) => {
      const policy = join(dir, 'bad.policy.yaml');
      const text = readFileSync(demoPolicyFile('structura'), 'utf8');
      const broken = text.replace('who: { relationship: [customer] }\n    types: [Lot]', 'who: { relationship: [custommer] }\n    types: [Lot]');
      expect(broken).toContain('custommer');
      writeFileSync(policy, broken);
      const file = join(dir, 'bad-policy.firm.yaml');
      writeFileSync(file, readFileSync(join(dir, 'structura.firm.yaml'), 'utf8').replace(/^policyFile: .*$/m, 'policyFile: ./bad.policy.yaml'));
      const run = await runDataspace(['firm', '--config', file]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(policy);
      expect(run.stderr).toContain('rule "customers-trace-lots"');
      expect(run.stderr).toContain('key who.relationship[0]');
      expect(run.stderr).toContain('custommer');
    });

    it('refuses to start the registry without --config', async ({ expect }) => {
      const run = await runDataspace(['registry']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('--config');
    });
  });
});
