import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../cluster/directory.js';
import { pinnedOperatorKeys, readDirectoryDocument, signDirectory } from '../../../cluster/directoryDocument.js';
import { signGatewayCredential, verifyGatewayCredential } from '../../../identity/gatewayCredential.js';
import { keyId } from '../../../identity/keyId.js';
import { generateKeyPair } from '../../../identity/keys.js';
import { serviceKeyClash, ServiceKeys } from '../../../identity/serviceKeys.js';
import { TrustList } from '../../../identity/trustList.js';
import { signUserToken, verifyUserToken } from '../../../identity/userToken.js';
import { authRefusal, authRefusalAsync, trustFixture } from './trustFixture.js';

const f = trustFixture();

const refusal = authRefusal;

/** The fixture's directory with acme's service keys replaced. */
const withAcmeService = (serviceKeys: string[]): Directory => ({
  ...f.directory,
  members: f.directory.members.map((m) => (m.id === 'acme' ? { ...m, serviceKeys } : m)),
});

describe('service keys: a firm process signs with a key of its own, never a user-token key', () => {
  it("lists each member's service keys, apart from the trust list that verifies user tokens and credentials", () => {
    const keys = ServiceKeys.of(f.directory);
    expect(keys.keysOf('acme')?.map((k) => keyId(k))).toEqual([keyId(f.acme.service.publicKeyPem)]);
    expect(keys.keysOf('bolt')?.map((k) => keyId(k))).toEqual([keyId(f.bolt.service.publicKeyPem)]);
    expect(keys.keysOf('main')).toBeUndefined();
    expect(ServiceKeys.of(f.directory)).toBe(keys);
    const trusted = f.trust.issuers().flatMap((issuer) => f.trust.lookup(issuer)?.publicKeys.map((k) => keyId(k)) ?? []);
    expect(trusted).toHaveLength(4);
    expect(trusted).not.toContain(keyId(f.acme.service.publicKeyPem));
    expect(trusted).not.toContain(keyId(f.bolt.service.publicKeyPem));
  });

  it('a user token signed with a service key is refused, with or without kid', async () => {
    const claims = { issuer: f.acme.issuer, audience: f.audience, firmId: 'acme', subject: 'mallory', roles: ['admin'] };
    expect(await authRefusalAsync(() => verifyUserToken(signUserToken({ ...claims, privateKeyPem: f.acme.service.privateKeyPem }), f.trust, f.audience))).toBe('TOKEN_INVALID');
    const now = Math.floor(Date.now() / 1000);
    const noKid = jwt.sign({ iss: f.acme.issuer, sub: 'mallory', aud: f.audience, firm: 'acme', roles: ['admin'], iat: now, exp: now + 600 }, f.acme.service.privateKeyPem, { algorithm: 'ES256' });
    expect(await authRefusalAsync(() => verifyUserToken(noKid, f.trust, f.audience))).toBe('TOKEN_INVALID');
    // The member's own user-token key still signs its users' tokens.
    expect((await verifyUserToken(signUserToken({ ...claims, privateKeyPem: f.acme.keys.privateKeyPem }), f.trust, f.audience)).subject).toBe('mallory');
  });

  it("a gateway credential signed with a service key is refused", () => {
    const user = signUserToken({ privateKeyPem: f.acme.keys.privateKeyPem, issuer: f.acme.issuer, audience: f.audience, firmId: 'acme', subject: 'alice', roles: [] });
    const destination = { kind: 'firm', firmId: 'bolt' } as const;
    const credential = signGatewayCredential({ privateKeyPem: f.acme.service.privateKeyPem, issuer: f.gateway.issuer, audience: f.audience, destination, userToken: user, request: '{}' });
    expect(refusal(() => verifyGatewayCredential(credential, user, f.trust, { audience: f.audience, destination, request: '{}' }))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it("refuses a directory whose service key is a user-token key, a gateway's key or another member's service key", () => {
    expect(serviceKeyClash(f.directory)).toBeUndefined();
    expect(serviceKeyClash(withAcmeService([f.acme.keys.publicKeyPem]))).toMatchObject({ member: 0, key: 0, message: expect.stringMatching(/also a user-token key of member acme/) });
    expect(serviceKeyClash(withAcmeService([f.acme.service.publicKeyPem, f.bolt.oldKeys.publicKeyPem]))).toMatchObject({ member: 0, key: 1, message: expect.stringMatching(/member bolt/) });
    expect(serviceKeyClash(withAcmeService([f.gateway.keys.publicKeyPem]))?.message).toMatch(/also a credential key of gateway main/);
    expect(serviceKeyClash(withAcmeService([f.bolt.service.publicKeyPem]))).toMatchObject({ member: 1, key: 0, message: expect.stringMatching(/member bolt is also the service key of member acme/) });
    expect(serviceKeyClash(withAcmeService(['not a key']))?.message).toMatch(/service key #1 of member acme is not a valid PEM public key/);
    expect(() => ServiceKeys.fromDirectory(withAcmeService([f.acme.keys.publicKeyPem]))).toThrow(/a service key must be a key of its own/);
    // Two service keys (a rotation) and a member with none are fine.
    expect(serviceKeyClash(withAcmeService([f.acme.service.publicKeyPem, generateKeyPair().publicKeyPem]))).toBeUndefined();
    expect(ServiceKeys.fromDirectory(withAcmeService([])).keysOf('acme')).toEqual([]);
  });

  it('a reader refuses a signed directory in which a service key is a user-token key (the same pair in both roles)', () => {
    const operator = generateKeyPair();
    const pinned = pinnedOperatorKeys([operator.publicKeyPem]);
    const read = readDirectoryDocument(signDirectory(withAcmeService([f.acme.keys.publicKeyPem]), { privateKeyPem: operator.privateKeyPem }), pinned);
    expect(read).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringMatching(/service key #1 of member acme is also a user-token key/) });
    expect(readDirectoryDocument(signDirectory(f.directory, { privateKeyPem: operator.privateKeyPem }), pinned).ok).toBe(true);
    // Built from the same directory, the trust list never holds a service key.
    expect(TrustList.fromDirectory(f.directory).lookup(f.acme.issuer)?.publicKeys.map((k) => keyId(k))).toEqual([keyId(f.acme.keys.publicKeyPem)]);
  });
});
