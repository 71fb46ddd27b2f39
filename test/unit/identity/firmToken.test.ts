import { describe, expect, it } from 'vitest';
import { verifyCallerToken } from '../../../identity/callerToken.js';
import { FIRM_ROLE, FIRM_TOKEN_TYPE, isFirmToken, signFirmToken, verifyFirmToken } from '../../../identity/firmToken.js';
import { signUserToken } from '../../../identity/userToken.js';
import { authRefusal, authRefusalAsync, trustFixture } from './trustFixture.js';

const f = trustFixture();
const sign = (over: Partial<Parameters<typeof signFirmToken>[0]> = {}) =>
  signFirmToken({ firmId: 'acme', serviceKeyPem: f.acme.service.privateKeyPem, audience: f.audience, ...over });

describe('firm tokens: a member firm speaking as itself, with its service key', () => {
  it('verifies as the firm itself: subject firm:<id>, the one role firm, the purpose it names', () => {
    const token = sign({ purpose: 'quality-investigation' });
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(header.typ).toBe(FIRM_TOKEN_TYPE);
    expect(isFirmToken(token)).toBe(true);
    expect(verifyFirmToken(token, f.directory)).toEqual({ firmId: 'acme', subject: 'firm:acme', roles: [FIRM_ROLE], purpose: 'quality-investigation', issuer: 'firm:acme' });
  });

  it('is refused when signed with a user-token key, another member service key, an outsider key, or for another cluster', () => {
    expect(authRefusal(() => verifyFirmToken(sign({ serviceKeyPem: f.acme.keys.privateKeyPem }), f.directory))).toBe('TOKEN_INVALID');
    expect(authRefusal(() => verifyFirmToken(sign({ serviceKeyPem: f.bolt.service.privateKeyPem }), f.directory))).toBe('TOKEN_INVALID');
    expect(authRefusal(() => verifyFirmToken(sign({ serviceKeyPem: f.outsider.privateKeyPem }), f.directory))).toBe('TOKEN_INVALID');
    expect(authRefusal(() => verifyFirmToken(sign({ audience: 'urn:dataspace:other' }), f.directory))).toBe('TOKEN_INVALID');
    expect(authRefusal(() => verifyFirmToken(sign({ firmId: 'stranger', serviceKeyPem: f.outsider.privateKeyPem }), f.directory))).toBe('ISSUER_UNTRUSTED');
  });

  it('expires, and may not live longer than 300 s', () => {
    const old = sign({ now: new Date(Date.now() - 3_600_000) });
    expect(authRefusal(() => verifyFirmToken(old, f.directory))).toBe('TOKEN_EXPIRED');
    expect(() => sign({ ttlSeconds: 301 })).toThrow(/ttlSeconds/);
  });

  it('verifyCallerToken takes a firm token or a user token; a user token may not claim the role firm', async () => {
    expect((await verifyCallerToken(sign(), f.directory)).subject).toBe('firm:acme');
    const user = { privateKeyPem: f.acme.keys.privateKeyPem, issuer: f.acme.issuer, audience: f.audience, firmId: 'acme', subject: 'alice' };
    expect((await verifyCallerToken(signUserToken({ ...user, roles: ['planner'] }), f.directory)).roles).toEqual(['planner']);
    expect(await authRefusalAsync(() => verifyCallerToken(signUserToken({ ...user, roles: ['planner', 'firm'] }), f.directory))).toBe('TOKEN_INVALID');
  });
});
