import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../identity/authError.js';
import type { AuthErrorCode } from '../../../identity/authError.js';
import {
  GATEWAY_CREDENTIAL_HEADER,
  signGatewayCredential,
  userTokenHash,
  verifyGatewayCredential,
} from '../../../identity/gatewayCredential.js';
import { GatewayCredentialIssuer } from '../../../identity/gatewayCredentialIssuer.js';
import { signUserToken } from '../../../identity/userToken.js';
import { b64url, trustFixture } from './trustFixture.js';

const f = trustFixture();

function userToken(subject: string): string {
  return signUserToken({
    privateKeyPem: f.acme.keys.privateKeyPem,
    issuer: f.acme.issuer,
    audience: f.audience,
    firmId: 'acme',
    subject,
    roles: ['planner'],
  });
}

const tokenA = userToken('alice');
const tokenB = userToken('bob');

function credential(overrides: Partial<Parameters<typeof signGatewayCredential>[0]> = {}): string {
  return signGatewayCredential({
    privateKeyPem: f.gateway.keys.privateKeyPem,
    issuer: f.gateway.issuer,
    audience: f.audience,
    userToken: tokenA,
    ...overrides,
  });
}

function refusal(run: () => unknown): AuthErrorCode {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected an AuthError');
}

describe('gateway credentials', () => {
  it('the header name is stable', () => {
    expect(GATEWAY_CREDENTIAL_HEADER).toBe('x-dataspace-gateway');
  });

  it('round trip: names the gateway; sub is the gateway id, uth the token hash', () => {
    const signed = credential();
    expect(verifyGatewayCredential(signed, tokenA, f.trust, f.audience)).toEqual({ gatewayId: 'main' });
    const payload = JSON.parse(Buffer.from(signed.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ sub: 'main', iss: f.gateway.issuer, aud: f.audience, uth: userTokenHash(tokenA) });
    expect((payload.exp as number) - (payload.iat as number)).toBe(60);
  });

  it('missing → GATEWAY_CREDENTIAL_REQUIRED', () => {
    expect(refusal(() => verifyGatewayCredential(undefined, tokenA, f.trust, f.audience))).toBe('GATEWAY_CREDENTIAL_REQUIRED');
    expect(refusal(() => verifyGatewayCredential('', tokenA, f.trust, f.audience))).toBe('GATEWAY_CREDENTIAL_REQUIRED');
  });

  it('is bound to its user token: a credential for token A is refused with token B', () => {
    expect(refusal(() => verifyGatewayCredential(credential(), tokenB, f.trust, f.audience))).toBe(
      'GATEWAY_CREDENTIAL_INVALID',
    );
  });

  it('expired → GATEWAY_CREDENTIAL_INVALID', () => {
    const issued = new Date('2030-01-01T00:00:00Z');
    const signed = credential({ now: issued, ttlSeconds: 60 });
    expect(verifyGatewayCredential(signed, tokenA, f.trust, f.audience, new Date(issued.getTime() + 30_000))).toEqual({
      gatewayId: 'main',
    });
    expect(refusal(() => verifyGatewayCredential(signed, tokenA, f.trust, f.audience, new Date(issued.getTime() + 120_000)))).toBe(
      'GATEWAY_CREDENTIAL_INVALID',
    );
  });

  it('signed by a firm key (not a gateway) → GATEWAY_CREDENTIAL_INVALID', () => {
    const byFirm = credential({ privateKeyPem: f.acme.keys.privateKeyPem, issuer: f.acme.issuer, gatewayId: 'main' });
    expect(refusal(() => verifyGatewayCredential(byFirm, tokenA, f.trust, f.audience))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it("the gateway's issuer with a foreign key → GATEWAY_CREDENTIAL_INVALID", () => {
    const forged = credential({ privateKeyPem: f.outsider.privateKeyPem });
    expect(refusal(() => verifyGatewayCredential(forged, tokenA, f.trust, f.audience))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it('wrong audience, alg none, and a subject other than the gateway are refused', () => {
    expect(refusal(() => verifyGatewayCredential(credential({ audience: 'urn:x' }), tokenA, f.trust, f.audience))).toBe(
      'GATEWAY_CREDENTIAL_INVALID',
    );
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64url({ alg: 'none' })}.${b64url({ iss: f.gateway.issuer, sub: 'main', aud: f.audience, uth: userTokenHash(tokenA), iat: now, exp: now + 60 })}.`;
    expect(refusal(() => verifyGatewayCredential(unsigned, tokenA, f.trust, f.audience))).toBe('GATEWAY_CREDENTIAL_INVALID');
    expect(refusal(() => verifyGatewayCredential(credential({ gatewayId: 'other' }), tokenA, f.trust, f.audience))).toBe(
      'GATEWAY_CREDENTIAL_INVALID',
    );
  });

  it('refuses lifetimes beyond the maximum when signing', () => {
    expect(() => credential({ ttlSeconds: 3600 })).toThrow(/ttlSeconds/);
  });
});

describe('GatewayCredentialIssuer', () => {
  function issuer(clock: () => Date, maxEntries?: number): GatewayCredentialIssuer {
    return new GatewayCredentialIssuer({
      privateKeyPem: f.gateway.keys.privateKeyPem,
      issuer: f.gateway.issuer,
      audience: f.audience,
      ttlSeconds: 60,
      clock,
      ...(maxEntries === undefined ? {} : { maxEntries }),
    });
  }

  it('reuses the credential of a user token until half its lifetime has passed', () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const credentials = issuer(() => now);
    const first = credentials.credentialFor(tokenA);
    now = new Date(now.getTime() + 29_000);
    expect(credentials.credentialFor(tokenA)).toBe(first);
    expect(credentials.credentialFor(tokenB)).not.toBe(first);
    now = new Date(now.getTime() + 1_000);
    const renewed = credentials.credentialFor(tokenA);
    expect(renewed).not.toBe(first);
    expect(verifyGatewayCredential(renewed, tokenA, f.trust, f.audience, now)).toEqual({ gatewayId: 'main' });
  });

  it('is bounded: the oldest entry is evicted first', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const credentials = issuer(() => now, 2);
    const tokenC = userToken('carol');
    const a = credentials.credentialFor(tokenA);
    const b = credentials.credentialFor(tokenB);
    const c = credentials.credentialFor(tokenC); // evicts A
    expect(credentials.size).toBe(2);
    expect(credentials.credentialFor(tokenC)).toBe(c);
    expect(credentials.credentialFor(tokenB)).toBe(b);
    // ECDSA signatures are randomized: a re-signed credential differs from the evicted one.
    expect(credentials.credentialFor(tokenA)).not.toBe(a); // evicts B
    expect(credentials.size).toBe(2);
    expect(credentials.credentialFor(tokenB)).not.toBe(b);
  });
});
