import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchedPrivateKeyFile } from '../../cli/readKeyFiles.js';
import { startGateway, type RunningGateway } from '../../gateway/startGateway.js';
import { generateKeyPair } from '../../identity/keys.js';
import { postGraphQL } from '../harness/graphqlClient.js';
import { registerGateway } from '../harness/registerGateway.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

const LOTS = '{ firm(id: "structura") { lots(first: 2) { lotId } } }';

/** Retries `check` until it holds or `ms` pass (the event awaited is a file check of the gateway, at most once a second). */
async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

describe(`a gateway key rotation, step by step, without a restart (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let gateway: RunningGateway;
  const dir = mkdtempSync(join(tmpdir(), 'rotation-'));
  const keyFile = join(dir, 'gateway.key.pem');
  const config = join(dir, 'gateway.yaml');
  const logged: string[] = [];
  let oldPublic = '';
  /** The gateway's signing key, as the gateway reads it (the same watched file). */
  let signingKey: () => string = () => '';

  const setGatewayKeys = async (publicKeys: string[]): Promise<void> => {
    const current = cluster.directory.current();
    cluster.directory.set({ ...current, gateways: current.gateways.map((g) => (g.id === 'rotating' ? { ...g, publicKeys } : g)) });
    await Promise.all([...cluster.firms.values()].map((f) => f.directory.refresh()));
  };
  const works = async (): Promise<boolean> => {
    const r = await postGraphQL(gateway.url, LOTS, { token: cluster.token('skyframe') });
    return r.status === 200 && r.errors === undefined;
  };

  beforeAll(async () => {
    // Rate limits off: the test asks until the gateway's next key-file check, as fast as it can.
    cluster = await startTestCluster({ seed: { lotsPerFirm: 2 }, directoryRefreshMs: 0, limits: { subgraphs: { rateLimit: false } } });
    const old = await registerGateway(cluster, 'rotating');
    oldPublic = old.publicKeyPem;
    writeFileSync(keyFile, old.privateKeyPem);
    const directory = cluster.directoryClient({ kind: 'gateway', id: 'rotating', privateKeyPem: old.privateKeyPem });
    await directory.start();
    signingKey = watchedPrivateKeyFile(config, 'privateKeyFile', keyFile, (m) => logged.push(m));
    gateway = await startGateway({
      registryUrl: cluster.registryUrl,
      directory,
      gatewayId: 'rotating',
      privateKeyPem: signingKey,
      limits: { rateLimit: false },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await cluster?.stop();
  });

  it('publishes the new key next to the old, switches the key file, then removes the old key: every query in between is answered', async () => {
    expect(await works()).toBe(true);
    const next = generateKeyPair();
    // 1. The operator lists the new public key next to the old one; the firms and the registry trust both.
    await setGatewayKeys([oldPublic, next.publicKeyPem]);
    expect(await works()).toBe(true);
    // 2. The gateway's key file is replaced; the gateway signs with the new key from its next
    //    check of the file (at most a second later). Queries keep working all along.
    writeFileSync(keyFile, next.privateKeyPem);
    await until(async () => {
      expect(await works()).toBe(true);
      return signingKey() === next.privateKeyPem;
    });
    // 3. The operator removes the old key: the gateway no longer needs it.
    await setGatewayKeys([next.publicKeyPem]);
    expect(await works()).toBe(true);
    // A half-written key file is ignored and reported: the gateway keeps the key that works.
    writeFileSync(keyFile, '-----BEGIN PRIVATE KEY-----\nMIGH');
    await until(async () => (await works()) && logged.length > 0);
    expect(logged[0]).toMatch(/privateKeyFile: .*gateway\.key\.pem: .*the previous version stays in use/);
    expect(signingKey()).toBe(next.privateKeyPem);
  });

  it('a credential signed with a key the directory no longer lists is refused', async () => {
    await setGatewayKeys([generateKeyPair().publicKeyPem]);
    const r = await postGraphQL(gateway.url, LOTS, { token: cluster.token('skyframe') });
    // The registry (asked first, for the firm) refuses it, and nothing reaches structura.
    expect(r.data?.firm ?? null).toBeNull();
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['GATEWAY_CREDENTIAL_INVALID']);
  });
});
