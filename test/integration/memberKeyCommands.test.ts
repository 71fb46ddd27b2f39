import { statSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateKeyPair } from '../../identity/keys.js';
import { postGraphQL } from '../harness/graphqlClient.js';
import { PROJECT_ROOT, runDataspace } from '../harness/spawnDataspace.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

const OWN_LOTS = '{ firm(id: "structura") { lots(first: 1) { lotId } } }';

describe(`dataspace keys generate and token --key, as child processes, against a real gateway (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  const dir = mkdtempSync(join(tmpdir(), 'member-keys-'));
  const keysDir = join(dir, 'keys');
  // The cluster keeps its keys in this data folder, as the demo does: `token` without --key finds them there.
  const dataDir = join(dir, 'data');
  const env = { DATASPACE_DATA_DIR: dataDir };
  let clusterId = '';
  let printed: { members: { id: string; publicKeyFiles: string[]; serviceKeyFiles: string[] }[] };
  const query = (token: string) => postGraphQL(cluster.gatewayUrl, OWN_LOTS, { token });

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 2 }, directoryRefreshMs: 0, dataDir, demoKeys: true });
    clusterId = cluster.directory.current().clusterId;
    const generated = await runDataspace(['keys', 'generate', '--firm', 'structura', '--out', keysDir, '--cluster', clusterId], env);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    printed = parse(generated.stdout) as typeof printed;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('writes both key pairs (private 0600) and prints the registry entry naming their public halves and the firm file lines', async () => {
    expect(printed.members).toHaveLength(1);
    const [entry] = printed.members;
    expect(entry?.id).toBe('structura');
    expect(resolve(PROJECT_ROOT, entry?.publicKeyFiles[0] ?? '')).toBe(join(keysDir, 'structura.pub.pem'));
    expect(resolve(PROJECT_ROOT, entry?.serviceKeyFiles[0] ?? '')).toBe(join(keysDir, 'structura.service.pub.pem'));
    for (const name of ['structura.key.pem', 'structura.service.key.pem']) expect(statSync(join(keysDir, name)).mode & 0o777).toBe(0o600);
    const again = await runDataspace(['keys', 'generate', '--firm', 'structura', '--out', keysDir], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('structura.key.pem exists: refusing to overwrite');
  });

  it("signs a token the gateway accepts once the operator lists the key, and refuses before", async () => {
    const keyFile = join(keysDir, 'structura.key.pem');
    const signed = await runDataspace(['token', '--firm', 'structura', '--key', keyFile, '--cluster', clusterId, '--role', 'planner'], env);
    expect(signed.code).toBe(0);
    const token = signed.stdout.trim();
    const before = await query(token);
    expect([before.status, before.errors?.[0]?.extensions?.code]).toEqual([401, 'TOKEN_INVALID']);
    // The operator adds the new public key next to structura's current one (a rotation's first step).
    const current = cluster.directory.current();
    const pub = readFileSync(join(keysDir, 'structura.pub.pem'), 'utf8');
    cluster.directory.set({ ...current, members: current.members.map((m) => (m.id === 'structura' ? { ...m, publicKeys: [...m.publicKeys, pub] } : m)) });
    await Promise.all([cluster.gatewayDirectory.refresh(), ...[...cluster.firms.values()].map((f) => f.directory.refresh())]);
    const after = await query(token);
    expect(after.errors).toBeUndefined();
    expect((after.data?.firm as { lots: unknown[] }).lots).toHaveLength(1);
    // Longer than the members' 4 hours: refused by the command itself.
    const tooLong = await runDataspace(['token', '--firm', 'structura', '--key', keyFile, '--cluster', clusterId, '--ttl', '14401'], env);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('--ttl');
    // A firm outside the demo without --key is told how.
    const noKey = await runDataspace(['token', '--firm', 'titan'], env);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('npx dataspace token --firm titan --key');
  });

  it("with a firm's own file, reads issuer, audience and the member's keys from the signed directory", async () => {
    const structura = cluster.firms.get('structura');
    writeFileSync(join(dir, 'structura.service.key.pem'), structura?.serviceKeys.privateKeyPem ?? '');
    writeFileSync(join(dir, 'operator.pub.pem'), cluster.operator.publicKeyPem);
    const firmFile = join(dir, 'structura.yaml');
    writeFileSync(
      firmFile,
      [
        'firmId: structura',
        'listen: { port: 0 }',
        'policyFile: structura.policy.yaml',
        `registryUrl: ${cluster.registryUrl}`,
        'serviceKeyFile: structura.service.key.pem',
        'operatorPublicKeyFiles: [operator.pub.pem]',
        '',
      ].join('\n'),
    );
    const signed = await runDataspace(['token', '--firm', 'structura', '--key', join(keysDir, 'structura.key.pem'), '--config', firmFile], env);
    expect(signed.stderr).toBe('');
    expect((await query(signed.stdout.trim())).errors).toBeUndefined();
    // A key the directory does not list for structura: refused before anything is signed.
    const stray = join(dir, 'stray.key.pem');
    writeFileSync(stray, generateKeyPair().privateKeyPem, { mode: 0o600 });
    const refused = await runDataspace(['token', '--firm', 'structura', '--key', stray, '--config', firmFile], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("is not one of structura's user-token keys in the directory");
    expect(refused.stdout).toBe('');
  });

  it('in a cluster whose keys are in the data folder (the demo), token without --key signs for its firms, and a request without a token is told so', async () => {
    const signed = await runDataspace(['token', '--firm', 'structura'], env);
    expect(signed.code).toBe(0);
    expect((await query(signed.stdout.trim())).errors).toBeUndefined();
    const named = await postGraphQL(cluster.gatewayUrl, OWN_LOTS, { headers: { 'x-dataspace-firm': 'structura' } });
    expect([named.status, named.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(named.errors?.[0]?.message).toBe('A bearer token is required: users of structura get one from `npx dataspace token --firm structura`.');
    const unnamed = await postGraphQL(cluster.gatewayUrl, OWN_LOTS);
    expect(unnamed.errors?.[0]?.message).toContain('x-dataspace-firm: <firmId>');
  });
});
