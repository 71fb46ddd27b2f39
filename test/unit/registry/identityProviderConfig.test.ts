import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/configError.js';
import { generateKeyPair } from '../../../identity/keys.js';
import { FileDirectorySource } from '../../../subgraphs/registry/fileDirectorySource.js';

function registryFile(memberExtra: string, otherExtra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'registry-idp-'));
  for (const name of ['a', 'a.service', 'b', 'b.service', 'gw']) writeFileSync(join(dir, `${name}.pub.pem`), generateKeyPair().publicKeyPem);
  const file = join(dir, 'cluster.yaml');
  writeFileSync(
    file,
    `clusterId: test
listen: { port: 0 }
operatorPrivateKeyFile: operator.key.pem
members:
  - id: a
    name: A
    role: lead
    tier: 0
    endpoints: { firm: http://127.0.0.1:1/a/firm, links: http://127.0.0.1:1/a/links }
    serviceKeyFiles: [a.service.pub.pem]
${memberExtra}
  - id: b
    name: B
    role: partner
    tier: 1
    endpoints: { firm: http://127.0.0.1:1/b/firm, links: http://127.0.0.1:1/b/links }
    publicKeyFiles: [b.pub.pem]
    serviceKeyFiles: [b.service.pub.pem]
${otherExtra}
gateways:
  - id: main
    publicKeyFiles: [gw.pub.pem]
`,
  );
  return file;
}

function refusal(file: string): ConfigError {
  try {
    new FileDirectorySource(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe("a member's identity provider in the registry file", () => {
  it('is published with its defaults and its claim paths, with or without keys of the member itself', () => {
    const file = registryFile(`    identityProvider:
      issuer: https://login.a.example/realms/aero
      jwksUri: https://login.a.example/realms/aero/certs
      claims: { roles: realm_access.roles, subject: [https://a.example/user] }`);
    const a = new FileDirectorySource(file).current().members[0];
    expect(a?.publicKeys).toEqual([]);
    expect(a?.identityProvider).toEqual({
      issuer: 'https://login.a.example/realms/aero',
      jwksUri: 'https://login.a.example/realms/aero/certs',
      algorithms: ['RS256', 'ES256'],
      claims: { subject: ['https://a.example/user'], roles: ['realm_access', 'roles'], purpose: ['purpose'] },
      cacheSeconds: 600,
      maxStaleSeconds: 3600,
      minRefreshSeconds: 10,
    });
    const both = registryFile(`    publicKeyFiles: [a.pub.pem]
    identityProvider: { issuer: https://idp.a.example, jwksUri: https://idp.a.example/jwks, audience: aero-app, algorithms: [ES256], claims: { firm: org } }`);
    const member = new FileDirectorySource(both).current().members[0];
    expect(member?.publicKeys).toHaveLength(1);
    expect(member?.identityProvider).toMatchObject({ audience: 'aero-app', algorithms: ['ES256'], claims: { firm: ['org'] } });
  });

  it('refuses a member with neither keys nor provider, a provider issuer that another issuer has, and unknown keys, naming the key', () => {
    expect(refusal(registryFile('')).message).toContain('members[0].publicKeyFiles');
    const taken = refusal(registryFile(`    identityProvider: { issuer: "urn:dataspace:test:firm:a", jwksUri: https://idp.a.example/jwks }`));
    expect(taken.message).toContain('members[0].identityProvider.issuer');
    // b's provider would speak as a's own issuer: refused.
    const shared = registryFile(`    issuer: https://idp.shared.example
    publicKeyFiles: [a.pub.pem]`, '    identityProvider: { issuer: https://idp.shared.example, jwksUri: https://idp.shared.example/jwks }');
    expect(refusal(shared).message).toContain('members[1].identityProvider.issuer');
    expect(refusal(registryFile(`    identityProvider: { issuer: https://x, jwksUri: https://x/jwks, jwksUrl: https://y }`)).message).toContain('jwksUrl');
    expect(refusal(registryFile(`    identityProvider: { issuer: https://x, jwksUri: ftp://x/jwks }`)).message).toContain('jwksUri');
    expect(refusal(registryFile(`    identityProvider: { issuer: https://x, jwksUri: https://x/jwks, algorithms: [HS256] }`)).message).toContain('algorithms');
  });
});
