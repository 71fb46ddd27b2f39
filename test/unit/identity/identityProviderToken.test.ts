import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import type { Directory, IdentityProviderRecord } from '../../../cluster/directory.js';
import { AuthError } from '../../../identity/authError.js';
import { JwksKeySet, type JwksKey } from '../../../identity/jwksKeySet.js';
import { TrustList } from '../../../identity/trustList.js';
import { verifyUserToken } from '../../../identity/userToken.js';
import { authRefusalAsync, trustFixture } from './trustFixture.js';

const IDP = 'https://login.acme.example/realms/aero';

function idp(overrides: Partial<IdentityProviderRecord> = {}): IdentityProviderRecord {
  return {
    issuer: IDP,
    jwksUri: 'http://idp.test/jwks',
    algorithms: ['RS256', 'ES256'],
    claims: { subject: ['preferred_username'], roles: ['realm_access', 'roles'], purpose: ['purpose'] },
    cacheSeconds: 60,
    maxStaleSeconds: 60,
    minRefreshSeconds: 0,
    ...overrides,
  };
}

interface Signer {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  jwk: JwksKey;
}

function signer(kid: string, alg: 'RS256' | 'ES256'): Signer {
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey: pair.privateKey, jwk: { kid, alg, key: pair.publicKey } };
}

function setup(record: IdentityProviderRecord = idp(), publicKeys?: string[]) {
  const f = trustFixture();
  const jwks = { keys: [] as JwksKey[], down: false };
  const clock = { now: 1_000_000 };
  const set = new JwksKeySet(
    { uri: record.jwksUri, cacheSeconds: record.cacheSeconds, maxStaleSeconds: record.maxStaleSeconds, minRefreshSeconds: record.minRefreshSeconds },
    {
      fetch: async () => {
        if (jwks.down) throw new Error('HTTP 503');
        return jwks.keys;
      },
      now: () => clock.now,
      log: () => undefined,
    },
  );
  const directory: Directory = {
    ...f.directory,
    members: f.directory.members.map((m) => (m.id === 'acme' ? { ...m, publicKeys: publicKeys ?? m.publicKeys, identityProvider: record } : m)),
  };
  const trust = TrustList.fromDirectory(directory, { keySetFor: () => set });
  const token = (s: Signer, claims: Record<string, unknown> = {}, options: jwt.SignOptions = {}): string => {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign({ iss: IDP, aud: f.audience, preferred_username: 'alice', realm_access: { roles: ['planner'] }, iat: now, exp: now + 300, ...claims }, s.privateKey, {
      algorithm: s.alg,
      keyid: s.kid,
      ...options,
    });
  };
  return { f, jwks, clock, trust, token, verify: (t: string) => verifyUserToken(t, trust, f.audience) };
}

describe("a member's identity provider's tokens", () => {
  it('RS256 and ES256 tokens verify with the key their kid names; the caller is the member, claims mapped', async () => {
    const s = setup();
    const rsa = signer('rsa-1', 'RS256');
    const ec = signer('ec-1', 'ES256');
    s.jwks.keys = [rsa.jwk, ec.jwk];
    expect(await s.verify(s.token(rsa, { purpose: 'planning' }))).toEqual({ firmId: 'acme', subject: 'alice', roles: ['planner'], purpose: 'planning', issuer: IDP });
    expect(await s.verify(s.token(ec))).toMatchObject({ firmId: 'acme', subject: 'alice', roles: ['planner'] });
    // A token naming one kid is tried with that key only.
    const forged = s.token(rsa, {}, { keyid: 'ec-1' });
    expect(await authRefusalAsync(() => s.verify(forged))).toBe('TOKEN_INVALID');
  });

  it("the member's own issuer and keys stay trusted next to its provider's", async () => {
    const s = setup();
    const own = s.f.trust.lookup(s.f.acme.issuer);
    expect(own?.kind).toBe('firm');
    expect(s.trust.lookup(s.f.acme.issuer)).toMatchObject({ kind: 'firm', firmId: 'acme' });
    expect(s.trust.lookup(IDP)).toMatchObject({ kind: 'firm', firmId: 'acme', publicKeys: [] });
    // A provider-only member has no issuer of its own in the trust list.
    expect(setup(idp(), []).trust.lookup(s.f.acme.issuer)).toBeUndefined();
  });

  it('pins the audience: the cluster\'s by default, the configured one when given', async () => {
    const s = setup();
    const rsa = signer('k', 'RS256');
    s.jwks.keys = [rsa.jwk];
    expect(await authRefusalAsync(() => s.verify(s.token(rsa, { aud: 'account' })))).toBe('TOKEN_INVALID');
    const own = setup(idp({ audience: 'aero-dataspace' }));
    own.jwks.keys = [rsa.jwk];
    expect((await own.verify(own.token(rsa, { aud: ['account', 'aero-dataspace'] }))).subject).toBe('alice');
    expect(await authRefusalAsync(() => own.verify(own.token(rsa)))).toBe('TOKEN_INVALID');
  });

  it('accepts only the algorithms the directory allows, never HS256 or none', async () => {
    const s = setup(idp({ algorithms: ['ES256'] }));
    const rsa = signer('rsa', 'RS256');
    s.jwks.keys = [rsa.jwk];
    expect(await authRefusalAsync(() => s.verify(s.token(rsa)))).toBe('TOKEN_INVALID');
    const hs = jwt.sign({ iss: IDP, aud: s.f.audience, preferred_username: 'x', exp: Math.floor(Date.now() / 1000) + 60 }, 'secret', { algorithm: 'HS256' });
    expect(await authRefusalAsync(() => s.verify(hs))).toBe('TOKEN_INVALID');
    const none = jwt.sign({ iss: IDP, aud: s.f.audience, preferred_username: 'x', exp: Math.floor(Date.now() / 1000) + 60 }, '', { algorithm: 'none' });
    expect(await authRefusalAsync(() => s.verify(none))).toBe('TOKEN_INVALID');
  });

  it('cannot speak for another firm: a mapped firm claim naming another member is FIRM_MISMATCH, and a token of the cluster\'s format claims nothing', async () => {
    const s = setup(idp({ claims: { subject: ['sub'], roles: ['roles'], purpose: ['purpose'], firm: ['firm'] } }));
    const ec = signer('ec', 'ES256');
    s.jwks.keys = [ec.jwk];
    expect(await authRefusalAsync(() => s.verify(s.token(ec, { sub: 'mallory', firm: 'bolt', roles: ['admin'] })))).toBe('FIRM_MISMATCH');
    expect(await s.verify(s.token(ec, { sub: 'alice', firm: 'acme' }))).toMatchObject({ firmId: 'acme' });
    // The provider's keys sign nothing under another member's issuer.
    const asBolt = s.token(ec, { iss: s.f.bolt.issuer, sub: 'mallory', firm: 'bolt', roles: ['admin'] });
    expect(await authRefusalAsync(() => s.verify(asBolt))).toBe('TOKEN_INVALID');
  });

  it("never believes a JWKS key that the directory lists for another role (a service key, another member's key)", async () => {
    const s = setup();
    const listed = (kid: string, pair: { privateKeyPem: string; publicKeyPem: string }): Signer => ({
      kid,
      alg: 'ES256',
      privateKey: createPrivateKey(pair.privateKeyPem),
      jwk: { kid, alg: 'ES256', key: createPublicKey(pair.publicKeyPem) },
    });
    const service = listed('svc', s.f.acme.service);
    const boltKey = listed('bolt', s.f.bolt.newKeys);
    s.jwks.keys = [service.jwk, boltKey.jwk];
    expect(await authRefusalAsync(() => s.verify(s.token(service)))).toBe('TOKEN_INVALID');
    expect(await authRefusalAsync(() => s.verify(s.token(boltKey)))).toBe('TOKEN_INVALID');
  });

  it("holds the member's maximum lifetime", async () => {
    const s = setup();
    const ec = signer('ec', 'ES256');
    s.jwks.keys = [ec.jwk];
    const now = Math.floor(Date.now() / 1000);
    expect(await authRefusalAsync(() => s.verify(s.token(ec, { iat: now, exp: now + 5 * 3600 })))).toBe('TOKEN_LIFETIME_TOO_LONG');
    expect(await authRefusalAsync(() => s.verify(s.token(ec, { iat: now - 600, exp: now - 300 })))).toBe('TOKEN_EXPIRED');
  });

  it('a remembered token is refused once its key left the set, and while the keys cannot be had: ISSUER_KEYS_UNAVAILABLE, 503', async () => {
    const s = setup();
    const a = signer('a', 'RS256');
    const b = signer('b', 'RS256');
    s.jwks.keys = [a.jwk];
    const tokenA = s.token(a);
    expect((await s.verify(tokenA)).subject).toBe('alice');
    // Rotation: b in, a out; b's first token fetches the new set.
    s.jwks.keys = [b.jwk];
    expect((await s.verify(s.token(b))).subject).toBe('alice');
    expect(await authRefusalAsync(() => s.verify(tokenA))).toBe('TOKEN_INVALID');
    // Down: b's keys serve until cacheSeconds + maxStaleSeconds after their fetch.
    s.jwks.down = true;
    const tokenB = s.token(b, { preferred_username: 'bob' });
    s.clock.now += 119_000;
    expect((await s.verify(tokenB)).subject).toBe('bob');
    s.clock.now += 1_000;
    const error = await s.verify(tokenB).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'ISSUER_KEYS_UNAVAILABLE', httpStatus: 503 });
  });
});
