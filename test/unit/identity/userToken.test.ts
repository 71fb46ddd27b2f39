import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../../../cluster/directory.js';
import { AuthError } from '../../../identity/authError.js';
import { keyId } from '../../../identity/keyId.js';
import { TrustList } from '../../../identity/trustList.js';
import type { AuthErrorCode } from '../../../identity/authError.js';
import { bearerToken, signUserToken, verifyUserToken } from '../../../identity/userToken.js';
import { b64url, trustFixture } from './trustFixture.js';

const f = trustFixture();

function acmeToken(overrides: Partial<Parameters<typeof signUserToken>[0]> = {}): string {
  return signUserToken({
    privateKeyPem: f.acme.keys.privateKeyPem,
    issuer: f.acme.issuer,
    audience: f.audience,
    firmId: 'acme',
    subject: 'alice',
    roles: ['planner', 'quality'],
    purpose: 'planning',
    ...overrides,
  });
}

async function refusal(run: () => Promise<unknown>): Promise<AuthErrorCode> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    const authError = error as AuthError;
    expect(authError.httpStatus).toBe(401);
    return authError.code;
  }
  throw new Error('expected an AuthError');
}

describe('user tokens', () => {
  it('round trip: the caller carries firm, subject, roles, purpose and issuer', async () => {
    const caller = await verifyUserToken(acmeToken(), f.trust, f.audience);
    expect(caller).toEqual({
      firmId: 'acme',
      subject: 'alice',
      roles: ['planner', 'quality'],
      purpose: 'planning',
      issuer: f.acme.issuer,
    });
  });

  it('signs ES256 with UserClaims, default lifetime one hour', async () => {
    const [header, payload] = acmeToken({ now: new Date(1_700_000_000_000) }).split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toMatchObject({ alg: 'ES256' });
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toEqual({
      iss: f.acme.issuer,
      sub: 'alice',
      aud: f.audience,
      firm: 'acme',
      roles: ['planner', 'quality'],
      purpose: 'planning',
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
  });

  it('omits purpose when the token names none', async () => {
    const caller = await verifyUserToken(acmeToken({ purpose: undefined }), f.trust, f.audience);
    expect(caller).not.toHaveProperty('purpose');
  });

  it('no token → UNAUTHENTICATED', async () => {
    expect(await refusal(() => verifyUserToken(undefined, f.trust, f.audience))).toBe('UNAUTHENTICATED');
    expect(await refusal(() => verifyUserToken('', f.trust, f.audience))).toBe('UNAUTHENTICATED');
  });

  it('a key that is not in the trust list, under an unknown issuer → ISSUER_UNTRUSTED', async () => {
    const token = acmeToken({ privateKeyPem: f.outsider.privateKeyPem, issuer: 'urn:dataspace:aero:firm:mallory' });
    expect(await refusal(() => verifyUserToken(token, f.trust, f.audience))).toBe('ISSUER_UNTRUSTED');
  });

  it("a trusted issuer's name with a foreign key → TOKEN_INVALID", async () => {
    const token = acmeToken({ privateKeyPem: f.outsider.privateKeyPem });
    expect(await refusal(() => verifyUserToken(token, f.trust, f.audience))).toBe('TOKEN_INVALID');
  });

  it('a gateway issuer cannot issue user tokens → ISSUER_UNTRUSTED', async () => {
    const token = acmeToken({ privateKeyPem: f.gateway.keys.privateKeyPem, issuer: f.gateway.issuer });
    expect(await refusal(() => verifyUserToken(token, f.trust, f.audience))).toBe('ISSUER_UNTRUSTED');
  });

  it('expired → TOKEN_EXPIRED, within the 30 s tolerance still accepted', async () => {
    const issued = new Date('2030-01-01T00:00:00Z');
    const token = acmeToken({ now: issued, ttlSeconds: 60 });
    expect((await verifyUserToken(token, f.trust, f.audience, new Date(issued.getTime() + 80_000))).subject).toBe('alice');
    expect(await refusal(() => verifyUserToken(token, f.trust, f.audience, new Date(issued.getTime() + 91_000)))).toBe(
      'TOKEN_EXPIRED',
    );
    expect(await refusal(() => verifyUserToken(acmeToken({ now: new Date(0) }), f.trust, f.audience))).toBe('TOKEN_EXPIRED');
  });

  it('alg "none" with an empty signature → TOKEN_INVALID', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: f.acme.issuer, sub: 'eve', aud: f.audience, firm: 'acme', roles: ['admin'], iat: now, exp: now + 600 };
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
    expect(await refusal(() => verifyUserToken(token, f.trust, f.audience))).toBe('TOKEN_INVALID');
  });

  it('HS256 signed with the public key PEM as secret (algorithm confusion) → TOKEN_INVALID', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: f.acme.issuer, sub: 'eve', aud: f.audience, firm: 'acme', roles: ['admin'], iat: now, exp: now + 600 };
    const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
    const signature = createHmac('sha256', f.acme.keys.publicKeyPem).update(signingInput).digest('base64url');
    expect(await refusal(() => verifyUserToken(`${signingInput}.${signature}`, f.trust, f.audience))).toBe('TOKEN_INVALID');
  });

  it('a valid ES256 signature under a header that lies about its alg is refused', async () => {
    const [, payload, signature] = acmeToken().split('.');
    const forged = `${b64url({ alg: 'ES384', typ: 'JWT' })}.${payload}.${signature}`;
    expect(await refusal(() => verifyUserToken(forged, f.trust, f.audience))).toBe('TOKEN_INVALID');
  });

  it('wrong audience → TOKEN_INVALID, without echoing the expected audience', async () => {
    const token = acmeToken({ audience: 'urn:dataspace:other' });
    try {
      await verifyUserToken(token, f.trust, f.audience);
      expect.unreachable();
    } catch (error) {
      expect((error as AuthError).code).toBe('TOKEN_INVALID');
      expect((error as AuthError).message).not.toContain(f.audience);
      expect((error as AuthError).message).not.toContain(token);
    }
  });

  it('a firm signing a token that claims another firm → FIRM_MISMATCH', async () => {
    const token = acmeToken({ firmId: 'bolt' });
    expect(await refusal(() => verifyUserToken(token, f.trust, f.audience))).toBe('FIRM_MISMATCH');
  });

  it('key rotation: tokens signed with either of the issuer keys verify', async () => {
    for (const keys of [f.bolt.oldKeys, f.bolt.newKeys]) {
      const token = signUserToken({
        privateKeyPem: keys.privateKeyPem,
        issuer: f.bolt.issuer,
        audience: f.audience,
        firmId: 'bolt',
        subject: 'bob',
        roles: [],
      });
      expect(await verifyUserToken(token, f.trust, f.audience)).toMatchObject({ firmId: 'bolt', subject: 'bob', roles: [] });
    }
  });

  it('ill-typed claims → TOKEN_INVALID', async () => {
    // Sign by hand with the real key so only the claims are wrong.
    const bad = (claims: Record<string, unknown>): string => {
      const now = Math.floor(Date.now() / 1000);
      return acmeTokenWithClaims({ iss: f.acme.issuer, aud: f.audience, sub: 'alice', firm: 'acme', roles: [], iat: now, exp: now + 60, ...claims });
    };
    expect(await refusal(() => verifyUserToken(bad({ roles: 'admin' }), f.trust, f.audience))).toBe('TOKEN_INVALID');
    expect(await refusal(() => verifyUserToken(bad({ roles: [1] }), f.trust, f.audience))).toBe('TOKEN_INVALID');
    expect(await refusal(() => verifyUserToken(bad({ sub: '' }), f.trust, f.audience))).toBe('TOKEN_INVALID');
    expect(await refusal(() => verifyUserToken(bad({ exp: undefined }), f.trust, f.audience))).toBe('TOKEN_INVALID');
    expect(await refusal(() => verifyUserToken(bad({ purpose: 7 }), f.trust, f.audience))).toBe('TOKEN_INVALID');
  });

  it('garbage → TOKEN_INVALID', async () => {
    for (const garbage of ['abc', 'a.b.c', 'a.b', `${b64url([1])}.${b64url({})}.x`, 'x'.repeat(10_000)]) {
      expect(await refusal(() => verifyUserToken(garbage, f.trust, f.audience))).toBe('TOKEN_INVALID');
    }
  });
});

describe('user token lifetime and key id', () => {
  const issued = new Date('2030-01-01T00:00:00Z');
  const later = (seconds: number): Date => new Date(issued.getTime() + seconds * 1000);

  it('names its signing key: the kid header is the thumbprint of the member key', async () => {
    const header = JSON.parse(Buffer.from(acmeToken().split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(header.kid).toBe(keyId(f.acme.keys.publicKeyPem));
  });

  it('a token living until 2100 → TOKEN_LIFETIME_TOO_LONG; up to the default 4 hours it verifies', async () => {
    const until2100 = Math.floor((Date.UTC(2100, 0, 1) - Date.now()) / 1000);
    expect(await refusal(() => verifyUserToken(acmeToken({ ttlSeconds: until2100 }), f.trust, f.audience))).toBe('TOKEN_LIFETIME_TOO_LONG');
    expect(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS).toBe(4 * 3600);
    const fourHours = acmeToken({ now: issued, ttlSeconds: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS });
    expect((await verifyUserToken(fourHours, f.trust, f.audience, later(1))).subject).toBe('alice');
    const longer = acmeToken({ now: issued, ttlSeconds: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS + 1 });
    expect(await refusal(() => verifyUserToken(longer, f.trust, f.audience, later(1)))).toBe('TOKEN_LIFETIME_TOO_LONG');
  });

  it('hides nothing behind a missing or a future iat: exp too far from now is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const far = now + DEFAULT_MAX_TOKEN_LIFETIME_SECONDS + 3600;
    const base = { iss: f.acme.issuer, aud: f.audience, sub: 'alice', firm: 'acme', roles: [] };
    expect(await refusal(() => verifyUserToken(acmeTokenWithClaims({ ...base, exp: far }), f.trust, f.audience))).toBe('TOKEN_LIFETIME_TOO_LONG');
    expect(await refusal(() => verifyUserToken(acmeTokenWithClaims({ ...base, iat: far - 60, exp: far }), f.trust, f.audience))).toBe('TOKEN_LIFETIME_TOO_LONG');
    expect((await verifyUserToken(acmeTokenWithClaims({ ...base, exp: now + 600 }), f.trust, f.audience)).subject).toBe('alice');
  });

  it("follows the member's own maximum from the directory", async () => {
    const directory = { ...f.directory, members: f.directory.members.map((m) => (m.id === 'acme' ? { ...m, maxTokenLifetimeSeconds: 600 } : m)) };
    const trust = TrustList.fromDirectory(directory);
    expect(trust.lookup(f.acme.issuer)).toMatchObject({ kind: 'firm', maxTokenLifetimeSeconds: 600 });
    expect((await verifyUserToken(acmeToken({ now: issued, ttlSeconds: 600 }), trust, f.audience, later(1))).subject).toBe('alice');
    expect(await refusal(() => verifyUserToken(acmeToken({ now: issued, ttlSeconds: 601 }), trust, f.audience, later(1)))).toBe('TOKEN_LIFETIME_TOO_LONG');
    expect(() => TrustList.fromEntries([{ kind: 'firm', issuer: 'urn:x', firmId: 'x', publicKeys: [], maxTokenLifetimeSeconds: 0 }])).toThrow(/maxTokenLifetimeSeconds/);
  });

  it('key rotation with kid: each of bolt’s keys verifies its own tokens, and a kid of another key is not tried with the rest', async () => {
    const boltToken = (privateKeyPem: string): string =>
      signUserToken({ privateKeyPem, issuer: f.bolt.issuer, audience: f.audience, firmId: 'bolt', subject: 'bob', roles: [] });
    expect((await verifyUserToken(boltToken(f.bolt.newKeys.privateKeyPem), f.trust, f.audience)).subject).toBe('bob');
    const foreign = acmeToken({ privateKeyPem: f.outsider.privateKeyPem, issuer: f.bolt.issuer, firmId: 'bolt' });
    expect(await refusal(() => verifyUserToken(foreign, f.trust, f.audience))).toBe('TOKEN_INVALID');
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header only', async () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwdw==')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

function acmeTokenWithClaims(claims: Record<string, unknown>): string {
  const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return jwt.sign(defined, f.acme.keys.privateKeyPem, { algorithm: 'ES256' });
}
