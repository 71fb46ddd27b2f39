/**
 * Fetches an identity provider's JSON Web Key Set with jwks-rsa (the JWKS client made for
 * jsonwebtoken: HTTP(S) fetch with a timeout, JWK → PEM conversion, private and non-signing keys
 * left out), its own cache and rate limit off: identity/jwksKeySet.ts caches the whole set.
 * Of the keys it returns, only RS256 (RSA of 2048 bits at least) and ES256 (P-256) keys are kept.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import jwksRsa from 'jwks-rsa';
import { algorithmOf, type JwksKey } from './jwksKeySet.js';

/** How long a JWKS fetch may take. */
export const JWKS_FETCH_TIMEOUT_MS = 5_000;

/**
 * The usable signing keys at `uri`; throws when the endpoint fails (network, HTTP status, not
 * JSON) or publishes no usable key.
 * @example const set = new JwksKeySet(settings, { fetch: fetchJwks });
 */
export async function fetchJwks(uri: string): Promise<JwksKey[]> {
  const client = new jwksRsa.JwksClient({ jwksUri: uri, cache: false, rateLimit: false, timeout: JWKS_FETCH_TIMEOUT_MS });
  const signingKeys = await client.getSigningKeys();
  const keys = signingKeys.flatMap((signingKey): JwksKey[] => {
    let key: KeyObject;
    try {
      key = createPublicKey(signingKey.getPublicKey());
    } catch {
      return [];
    }
    const alg = algorithmOf(key);
    // A JWK that names another algorithm than its key's is not used.
    if (alg === undefined || (signingKey.alg !== undefined && signingKey.alg !== alg)) return [];
    return [{ kid: typeof signingKey.kid === 'string' && signingKey.kid.length > 0 ? signingKey.kid : undefined, alg, key }];
  });
  if (keys.length === 0) throw new Error('the key set has no RS256 or ES256 signing key');
  return keys;
}
