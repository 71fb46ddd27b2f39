/**
 * Tokens of a member's identity provider (OpenID Connect): the signature checked with a key of
 * the provider's JWKS (picked by `kid`, RS256 or ES256 as the directory allows, a key the
 * directory lists for another role never), issuer and audience pinned, then the claims mapped
 * to the cluster's (identity/claimMapping.ts). The firm is the member's whose entry names the
 * issuer.
 */
import type { KeyObject } from 'node:crypto';
import { AuthError } from './authError.js';
import { mapClaims } from './claimMapping.js';
import { algorithmOf } from './jwksKeySet.js';
import { keyId } from './keyId.js';
import type { FirmIssuer, IdentityProviderTrust } from './trustList.js';
import { verifyJwtSignature, type UnverifiedResult } from './verifyEs256.js';

/** A provider's token that verified: who, and how long it may be remembered. */
export interface VerifiedProviderToken {
  subject: string;
  roles: string[];
  purpose?: string;
  iat?: number;
  exp: number;
  /** The key set's generation the token verified against (a new set forgets remembered tokens). */
  generation: number;
}

/**
 * Verifies a token of `entry`'s identity provider. Throws {@link AuthError}: TOKEN_INVALID (an
 * algorithm not allowed, a kid not in the set, a bad signature, wrong audience, claims that do
 * not map), TOKEN_EXPIRED, FIRM_MISMATCH (a mapped firm claim naming another firm) or
 * ISSUER_KEYS_UNAVAILABLE (503: the key set cannot be fetched and the last good one is too old).
 *
 * @example
 * ```ts
 * const verified = await verifyProviderToken(token, decodeUnverified(token), entry, directory.audience);
 * verified.roles; // ['planner'], from realm_access.roles
 * ```
 */
export async function verifyProviderToken(
  token: string,
  unverified: Extract<UnverifiedResult, { ok: true }>,
  entry: FirmIssuer & { identityProvider: IdentityProviderTrust },
  clusterAudience: string,
  now?: Date,
): Promise<VerifiedProviderToken> {
  const idp = entry.identityProvider;
  const { alg, kid } = unverified.header;
  if (alg !== 'RS256' && alg !== 'ES256') throw invalid('algorithm not accepted');
  if (!idp.algorithms.includes(alg)) throw invalid('algorithm not accepted');
  if (kid !== undefined && typeof kid !== 'string') throw invalid('kid is not a string');
  const found = await idp.keys.lookup(kid);
  if (!found.ok) throw found.reason === 'unavailable' ? new AuthError('ISSUER_KEYS_UNAVAILABLE', found.message) : invalid(found.message);
  const keys = found.keys.filter((k) => k.alg === alg && !listedElsewhere(k.key, idp)).map((k) => k.key);
  if (keys.length === 0) throw invalid("no key of the issuer's key set fits this token");
  const result = verifyJwtSignature(token, keys, { issuer: entry.issuer, audience: idp.audience ?? clusterAudience, algorithm: alg, ...(now ? { now } : {}) });
  if (!result.ok) throw result.reason === 'expired' ? new AuthError('TOKEN_EXPIRED') : invalid(result.message);
  const claims = mapClaims(result.payload, idp.claims, entry.firmId);
  if (!claims.ok) throw new AuthError(claims.code, claims.message);
  const { iat, exp } = result.payload;
  if (typeof exp !== 'number') throw invalid('no expiry');
  if (iat !== undefined && typeof iat !== 'number') throw invalid('claim iat ill-typed');
  return { subject: claims.subject, roles: claims.roles, ...(claims.purpose === undefined ? {} : { purpose: claims.purpose }), ...(iat === undefined ? {} : { iat }), exp, generation: found.generation };
}

/** Whether a provider's key is one the directory lists for some role (only P-256 keys can be). */
function listedElsewhere(key: KeyObject, idp: IdentityProviderTrust): boolean {
  return algorithmOf(key) === 'ES256' && idp.directoryKeyIds.has(keyId(key));
}

function invalid(reason: string): AuthError {
  return new AuthError('TOKEN_INVALID', reason.startsWith('the token is invalid') ? reason : `the token is invalid: ${reason}`);
}
