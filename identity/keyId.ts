/**
 * Key ids (`kid`): the RFC 7638 JWK thumbprint of an EC P-256 public key, the base64url
 * SHA-256 of its canonical JWK `{"crv","kty","x","y"}`. Every token, credential and signed
 * directory of the cluster names its signing key by this id, so that a verifier with two
 * keys for one issuer (a rotation) tries the right one, and only that one.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

const byKey = new WeakMap<KeyObject, string>();
const byPem = new Map<string, string>();
const MAX_PEM_ENTRIES = 1_000;

/**
 * The RFC 7638 thumbprint of a public key, or of the public half of a private key (PEM or
 * KeyObject). Cached per key object and per PEM text: signing a token costs no key parsing.
 * Throws when the key is not an EC P-256 key.
 *
 * @example
 * ```ts
 * const token = jwt.sign(claims, privateKeyPem, { algorithm: 'ES256', keyid: keyId(privateKeyPem) });
 * keyId(publicKeyPem) === keyId(privateKeyPem); // true: the same pair
 * ```
 */
export function keyId(key: KeyObject | string): string {
  if (typeof key === 'string') {
    let id = byPem.get(key);
    if (id === undefined) {
      id = thumbprint(createPublicKey(key));
      if (byPem.size >= MAX_PEM_ENTRIES) byPem.clear();
      byPem.set(key, id);
    }
    return id;
  }
  let id = byKey.get(key);
  if (id === undefined) {
    id = thumbprint(key.type === 'private' ? createPublicKey(key) : key);
    byKey.set(key, id);
  }
  return id;
}

function thumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new Error('keyId: not an EC P-256 key');
  }
  // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
  const canonical = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
