import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../identity/authError.js';
import { TrustList } from '../../../identity/trustList.js';
import { signUserToken, verifyUserToken } from '../../../identity/userToken.js';
import { VerifiedTokenCache } from '../../../identity/verifiedTokenCache.js';
import { trustFixture } from './trustFixture.js';

describe('remembering verified tokens', () => {
  const f = trustFixture();
  const token = signUserToken({
    privateKeyPem: f.acme.keys.privateKeyPem,
    issuer: f.acme.issuer,
    audience: f.audience,
    firmId: 'acme',
    subject: 'alice',
    roles: ['planner'],
    ttlSeconds: 120,
  });

  it('answers a verified token again without trusting anything new', async () => {
    const first = await verifyUserToken(token, f.trust, f.audience);
    expect(await verifyUserToken(token, f.trust, f.audience)).toBe(first);
  });

  it('forgets a token once it expired: the next check refuses it', async () => {
    await verifyUserToken(token, f.trust, f.audience);
    const later = new Date(Date.now() + 10 * 60_000);
    await expect(verifyUserToken(token, f.trust, f.audience, later)).rejects.toThrow(AuthError);
  });

  it('starts afresh with a new trust list: a removed key no longer verifies', async () => {
    await verifyUserToken(token, f.trust, f.audience);
    const withoutAcme = TrustList.fromDirectory({ ...f.directory, members: f.directory.members.filter((m) => m.id !== 'acme') });
    await expect(verifyUserToken(token, withoutAcme, f.audience)).rejects.toThrow(/./);
  });

  it('keeps at most maxEntries, the oldest out first', async () => {
    const cache = new VerifiedTokenCache<number>(2);
    cache.set(f.trust, 'a', 1, 2_000_000_000);
    cache.set(f.trust, 'b', 2, 2_000_000_000);
    cache.set(f.trust, 'c', 3, 2_000_000_000);
    expect([cache.get(f.trust, 'a', 0), cache.get(f.trust, 'b', 0), cache.get(f.trust, 'c', 0)]).toEqual([undefined, 2, 3]);
  });
});
