import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Parses a PEM public key that must be an ES256 (EC P-256) key; throws an Error that starts
 * with `label` (which key of what) when it is a private key, not a PEM key, or another kind.
 *
 * @example
 * ```ts
 * const key = es256PublicKey(pem, 'operatorPublicKeyFiles[0]');
 * ```
 */
export function es256PublicKey(pem: string, label: string): KeyObject {
  if (pem.includes('PRIVATE KEY')) throw new Error(`${label} is a PRIVATE key; publish only the public key`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`${label} is not a valid PEM public key`);
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${label} is not an ES256 (EC P-256) public key`);
  }
  return key;
}
