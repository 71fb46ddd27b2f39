import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { keyId } from '../../../identity/keyId.js';
import { generateKeyPair } from '../../../identity/keys.js';
import { verifyEs256 } from '../../../identity/verifyEs256.js';

/** RFC 7638 computed the long way: the JWK's required members sorted by name, serialised without spaces. */
function thumbprintByHand(publicKeyPem: string): string {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' }) as Record<string, string>;
  const required = Object.fromEntries(['crv', 'kty', 'x', 'y'].sort().map((k) => [k, jwk[k]]));
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

const a = generateKeyPair();
const b = generateKeyPair();
const keys = [createPublicKey(a.publicKeyPem), createPublicKey(b.publicKeyPem)];
const expected = { issuer: 'urn:i', audience: 'urn:a' };
const sign = (privateKeyPem: string, kid?: string): string =>
  jwt.sign({ iss: 'urn:i', aud: 'urn:a' }, privateKeyPem, { algorithm: 'ES256', expiresIn: 60, ...(kid ? { keyid: kid } : {}) });

describe('keyId (RFC 7638 JWK thumbprint)', () => {
  it('is the SHA-256 of the canonical JWK, the same for a pair’s public and private halves', () => {
    expect(keyId(a.publicKeyPem)).toBe(thumbprintByHand(a.publicKeyPem));
    expect(keyId(a.privateKeyPem)).toBe(keyId(a.publicKeyPem));
    expect(keyId(createPublicKey(a.publicKeyPem))).toBe(keyId(a.publicKeyPem));
    expect(keyId(a.publicKeyPem)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keyId(b.publicKeyPem)).not.toBe(keyId(a.publicKeyPem));
  });

  it('refuses keys that are not EC P-256', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => keyId(rsa)).toThrow(/not an EC P-256 key/);
  });
});

describe('verifyEs256 picks the key by kid', () => {
  it('verifies a token with the key its kid names, and a token without kid with any of the keys', () => {
    expect(verifyEs256(sign(b.privateKeyPem, keyId(b.publicKeyPem)), keys, expected).ok).toBe(true);
    expect(verifyEs256(sign(a.privateKeyPem), keys, expected).ok).toBe(true);
    expect(verifyEs256(sign(b.privateKeyPem), keys, expected).ok).toBe(true);
  });

  it('tries no other key than the one its kid names: signed with b under a’s kid is refused though b is trusted', () => {
    expect(verifyEs256(sign(b.privateKeyPem, keyId(a.publicKeyPem)), keys, expected)).toMatchObject({ ok: false, reason: 'signature' });
  });

  it('refuses a kid that no trusted key has, and a kid that is not a string', () => {
    const outsider = generateKeyPair();
    expect(verifyEs256(sign(outsider.privateKeyPem, keyId(outsider.publicKeyPem)), keys, expected)).toMatchObject({ ok: false, reason: 'key' });
    const [, payload, signature] = sign(a.privateKeyPem).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 7 })).toString('base64url');
    expect(verifyEs256(`${header}.${payload}.${signature}`, keys, expected)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
