import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/configError.js';
import { generateKeyPair } from '../../../identity/keys.js';
import { FileDirectorySource } from '../../../subgraphs/registry/fileDirectorySource.js';

function setup(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  for (const name of ['a', 'b', 'gw', 'a.service', 'b.service']) writeFileSync(join(dir, `${name}.pub.pem`), generateKeyPair().publicKeyPem);
  return { dir, file: join(dir, 'cluster.yaml') };
}

const member = (id: string, tier: number) => `
  - id: ${id}
    name: Firm ${id}
    role: ${tier === 0 ? 'lead' : 'partner'}
    tier: ${tier}
    endpoints: { firm: http://127.0.0.1:1/${id}/firm, links: http://127.0.0.1:1/${id}/links }
    publicKeyFiles: [${id}.pub.pem]
    serviceKeyFiles: [${id}.service.pub.pem]`;

const config = (members: string, relationships = '[]') => `clusterId: test
listen: { port: 0 }
operatorPrivateKeyFile: operator.key.pem
members:${members}
gateways:
  - id: main
    publicKeyFiles: [gw.pub.pem]
relationships: ${relationships}
`;

describe('the registry file', () => {
  it('publishes members with their keys, and picks up a new member without restart', async () => {
    const { dir, file } = setup();
    writeFileSync(file, config(member('a', 0)));
    const source = new FileDirectorySource(file);
    expect(source.current().members.map((m) => m.id)).toEqual(['a']);
    expect(source.current().members[0]?.publicKeys[0]).toContain('BEGIN PUBLIC KEY');
    expect(source.current().members[0]?.serviceKeys).toEqual([readFileSync(join(dir, 'a.service.pub.pem'), 'utf8')]);
    expect(source.current().members[0]?.issuer).toBe('urn:dataspace:test:firm:a');

    writeFileSync(file, config(member('a', 0) + member('b', 1), '[{ supplier: b, customer: a }]'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    await new Promise((r) => setTimeout(r, 1_050));
    expect(source.current().members.map((m) => m.id)).toEqual(['a', 'b']);
    expect(source.current().relationships).toEqual([{ supplier: 'b', customer: 'a' }]);
  });

  it("publishes a member's maximum token lifetime from the file, and refuses one beyond a day", () => {
    const { file } = setup();
    writeFileSync(file, config(`${member('a', 0)}\n    maxTokenLifetimeSeconds: 900${member('b', 1)}`));
    const members = new FileDirectorySource(file).current().members;
    expect(members.map((m) => [m.id, m.maxTokenLifetimeSeconds])).toEqual([['a', 900], ['b', undefined]]);
    writeFileSync(file, config(`${member('a', 0)}\n    maxTokenLifetimeSeconds: 2592000`));
    expect(() => new FileDirectorySource(file)).toThrow(/key members\[0\]\.maxTokenLifetimeSeconds/);
  });

  it('keeps the last good directory when an edit does not validate', async () => {
    const { file } = setup();
    writeFileSync(file, config(member('a', 0)));
    const errors: Error[] = [];
    const source = new FileDirectorySource(file, (e) => errors.push(e));
    writeFileSync(file, config(member('a', 0), '[{ supplier: ghost, customer: a }]'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    await new Promise((r) => setTimeout(r, 1_050));
    expect(source.current().members.map((m) => m.id)).toEqual(['a']);
    expect(errors[0]?.message).toMatch(/relationships\[0\]\.supplier: unknown member "ghost"/);
  });

  it('refuses a bad file at start, naming the file and the key', () => {
    const { file } = setup();
    writeFileSync(file, config(member('a', 0)).replace('role: lead', 'role: boss'));
    expect(() => new FileDirectorySource(file)).toThrow(ConfigError);
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key members\[0\]\.role/);
  });

  it('refuses a public key file that is not a P-256 public key', () => {
    const { dir, file } = setup();
    writeFileSync(join(dir, 'a.pub.pem'), generateKeyPair().privateKeyPem);
    writeFileSync(file, config(member('a', 0)));
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key publicKeyFiles: the trust list does not build/);
  });

  it("refuses a member without service key files, or with more than two, naming the file and the key", () => {
    const { file } = setup();
    writeFileSync(file, config(member('a', 0)).replace('    serviceKeyFiles: [a.service.pub.pem]\n', ''));
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key members\[0\]\.serviceKeyFiles/);
    writeFileSync(file, config(member('a', 0)).replace('[a.service.pub.pem]', '[a.service.pub.pem, b.service.pub.pem, gw.pub.pem]'));
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key members\[0\]\.serviceKeyFiles/);
  });

  it('refuses a service key file that is missing or not a P-256 public key, naming the file and the key', () => {
    const { dir, file } = setup();
    writeFileSync(file, config(member('a', 0)).replace('a.service.pub.pem', 'absent.pub.pem'));
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key members\[0\]\.serviceKeyFiles\[0\]: cannot read public key file .*absent\.pub\.pem/);
    writeFileSync(join(dir, 'a.service.pub.pem'), generateKeyPair().privateKeyPem);
    writeFileSync(file, config(member('a', 0)));
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key members\[0\]\.serviceKeyFiles\[0\]: .*a\.service\.pub\.pem: service key #1 of member a is a PRIVATE key/);
  });

  it("refuses a service key that is also a user-token key, a gateway's key or another member's service key", () => {
    const { dir, file } = setup();
    // A user-token key of the same member, under another file name (compared by key, not by text or name).
    copyFileSync(join(dir, 'a.pub.pem'), join(dir, 'a.service.pub.pem'));
    writeFileSync(file, config(member('a', 0) + member('b', 1)));
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key members\[0\]\.serviceKeyFiles\[0\]: .*service key #1 of member a is also a user-token key of member a/);
    // Another member's user-token key, the gateway's key, b's own service key.
    copyFileSync(join(dir, 'b.pub.pem'), join(dir, 'a.service.pub.pem'));
    expect(() => new FileDirectorySource(file)).toThrow(/key members\[0\]\.serviceKeyFiles\[0\]: .*is also a user-token key of member b/);
    copyFileSync(join(dir, 'gw.pub.pem'), join(dir, 'a.service.pub.pem'));
    expect(() => new FileDirectorySource(file)).toThrow(/key members\[0\]\.serviceKeyFiles\[0\]: .*is also a credential key of gateway main/);
    writeFileSync(join(dir, 'a.service.pub.pem'), generateKeyPair().publicKeyPem);
    copyFileSync(join(dir, 'a.service.pub.pem'), join(dir, 'b.service.pub.pem'));
    expect(() => new FileDirectorySource(file)).toThrow(/key members\[1\]\.serviceKeyFiles\[0\]: .*service key #1 of member b is also the service key of member a/);
    writeFileSync(join(dir, 'b.service.pub.pem'), generateKeyPair().publicKeyPem);
    expect(new FileDirectorySource(file).current().members.map((m) => m.serviceKeys.length)).toEqual([1, 1]);
  });

  it('takes the registry\'s own limits, and refuses a bad one naming the key', () => {
    const { file } = setup();
    writeFileSync(file, `${config(member('a', 0))}limits: { maxDepth: 12 }\n`);
    expect(new FileDirectorySource(file).current().members).toHaveLength(1);
    writeFileSync(file, `${config(member('a', 0))}limits: { maxDepth: -1 }\n`);
    expect(() => new FileDirectorySource(file)).toThrow(/cluster\.yaml, key limits\.maxDepth/);
  });
});
