import { describe, expect, it } from 'vitest';
import {
  destinationAudience,
  GATEWAY_CREDENTIAL_HEADER,
  sha256Text,
  signGatewayCredential,
  verifyGatewayCredential,
  type CredentialExpectation,
} from '../../../identity/gatewayCredential.js';
import { keyId } from '../../../identity/keyId.js';
import { ReplayGuard } from '../../../identity/replayGuard.js';
import { signUserToken } from '../../../identity/userToken.js';
import { authRefusal, b64url, trustFixture } from './trustFixture.js';

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
const BODY = JSON.stringify({ query: '{ _entities(representations: []) { __typename } }' });
const TO_ACME = { kind: 'firm', firmId: 'acme' } as const;

function credential(overrides: Partial<Parameters<typeof signGatewayCredential>[0]> = {}): string {
  return signGatewayCredential({
    privateKeyPem: f.gateway.keys.privateKeyPem,
    issuer: f.gateway.issuer,
    audience: f.audience,
    destination: TO_ACME,
    userToken: tokenA,
    request: BODY,
    ...overrides,
  });
}

/** What acme's subgraph expects, for BODY. */
function atAcme(overrides: Partial<CredentialExpectation> = {}): CredentialExpectation {
  return { audience: f.audience, destination: TO_ACME, request: BODY, ...overrides };
}

const refusal = authRefusal;

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('gateway credentials', () => {
  it('the header name is stable', () => {
    expect(GATEWAY_CREDENTIAL_HEADER).toBe('x-dataspace-gateway');
  });

  it('round trip: names the gateway; aud is the destination, uth the token hash, rqh the request hash, kid the key', () => {
    const signed = credential();
    expect(verifyGatewayCredential(signed, tokenA, f.trust, atAcme())).toEqual({ gatewayId: 'main' });
    const [header, payload] = signed.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'ES256', kid: keyId(f.gateway.keys.publicKeyPem) });
    expect(payload).toMatchObject({
      sub: 'main',
      iss: f.gateway.issuer,
      aud: `${f.audience}/firm/acme`,
      uth: sha256Text(tokenA),
      rqh: sha256Text(BODY),
    });
    expect(typeof payload?.jti).toBe('string');
    expect((payload?.exp as number) - (payload?.iat as number)).toBe(60);
    expect(destinationAudience(f.audience, { kind: 'registry' })).toBe(`${f.audience}/registry`);
  });

  it('missing → GATEWAY_CREDENTIAL_REQUIRED', () => {
    expect(refusal(() => verifyGatewayCredential(undefined, tokenA, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_REQUIRED');
    expect(refusal(() => verifyGatewayCredential('', tokenA, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_REQUIRED');
  });

  it('is bound to its user token: a credential for token A is refused with token B', () => {
    expect(refusal(() => verifyGatewayCredential(credential(), tokenB, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it('is bound to its destination: a credential for acme is refused at bolt and at the registry', () => {
    const signed = credential();
    expect(message(() => verifyGatewayCredential(signed, tokenA, f.trust, atAcme({ destination: { kind: 'firm', firmId: 'bolt' } })))).toMatch(
      /issued for another destination \(firm\/acme\), not for firm\/bolt/,
    );
    expect(refusal(() => verifyGatewayCredential(signed, tokenA, f.trust, atAcme({ destination: { kind: 'registry' } })))).toBe('GATEWAY_CREDENTIAL_INVALID');
    expect(refusal(() => verifyGatewayCredential(credential({ audience: 'urn:x' }), tokenA, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it('is bound to its request: the same credential with another body is refused', () => {
    const signed = credential();
    expect(message(() => verifyGatewayCredential(signed, tokenA, f.trust, atAcme({ request: `${BODY} ` })))).toMatch(/not issued for this request/);
  });

  it('is accepted once: the same credential again is refused as already used', () => {
    const replay = new ReplayGuard();
    const signed = credential();
    expect(verifyGatewayCredential(signed, tokenA, f.trust, atAcme({ replay }))).toEqual({ gatewayId: 'main' });
    expect(message(() => verifyGatewayCredential(signed, tokenA, f.trust, atAcme({ replay })))).toMatch(/already used/);
    expect(verifyGatewayCredential(credential(), tokenA, f.trust, atAcme({ replay }))).toEqual({ gatewayId: 'main' });
  });

  it('expired → GATEWAY_CREDENTIAL_INVALID', () => {
    const issued = new Date('2030-01-01T00:00:00Z');
    const signed = credential({ now: issued, ttlSeconds: 60 });
    expect(verifyGatewayCredential(signed, tokenA, f.trust, atAcme({ now: new Date(issued.getTime() + 30_000) }))).toEqual({ gatewayId: 'main' });
    expect(refusal(() => verifyGatewayCredential(signed, tokenA, f.trust, atAcme({ now: new Date(issued.getTime() + 120_000) })))).toBe(
      'GATEWAY_CREDENTIAL_INVALID',
    );
  });

  it('signed by a firm key (not a gateway) → GATEWAY_CREDENTIAL_INVALID', () => {
    const byFirm = credential({ privateKeyPem: f.acme.keys.privateKeyPem, issuer: f.acme.issuer, gatewayId: 'main' });
    expect(refusal(() => verifyGatewayCredential(byFirm, tokenA, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it("the gateway's issuer with a foreign key → GATEWAY_CREDENTIAL_INVALID", () => {
    const forged = credential({ privateKeyPem: f.outsider.privateKeyPem });
    expect(refusal(() => verifyGatewayCredential(forged, tokenA, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it('alg none, and a subject other than the gateway are refused', () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64url({ alg: 'none' })}.${b64url({ iss: f.gateway.issuer, sub: 'main', aud: `${f.audience}/firm/acme`, uth: sha256Text(tokenA), rqh: sha256Text(BODY), jti: 'j', iat: now, exp: now + 60 })}.`;
    expect(refusal(() => verifyGatewayCredential(unsigned, tokenA, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_INVALID');
    expect(refusal(() => verifyGatewayCredential(credential({ gatewayId: 'other' }), tokenA, f.trust, atAcme()))).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it('refuses lifetimes beyond the maximum when signing', () => {
    expect(() => credential({ ttlSeconds: 3600 })).toThrow(/ttlSeconds/);
  });
});

describe('ReplayGuard', () => {
  const at = (s: number): Date => new Date(s * 1000);

  it('accepts an id once until it expires, then forgets it', () => {
    const guard = new ReplayGuard();
    expect(guard.firstUse('a', 100, at(10))).toBe(true);
    expect(guard.firstUse('a', 100, at(50))).toBe(false);
    expect(guard.firstUse('b', 200, at(150))).toBe(true); // a expired: dropped on the way
    expect(guard.size).toBe(1);
  });

  it('refuses new ids when full of live ones rather than forgetting one', () => {
    const guard = new ReplayGuard(2);
    expect(guard.firstUse('a', 100, at(10))).toBe(true);
    expect(guard.firstUse('b', 100, at(10))).toBe(true);
    expect(guard.firstUse('c', 100, at(10))).toBe(false);
    expect(guard.firstUse('a', 100, at(10))).toBe(false);
    expect(guard.firstUse('c', 300, at(101))).toBe(true);
  });
});
