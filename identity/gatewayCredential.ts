/**
 * The gateway's own credential: a short-lived ES256 JWT, sent next to the user's token,
 * proving that the call came through a trusted gateway. It is bound to the user token it
 * accompanies (claim `uth`, the base64url SHA-256 of that token), so it cannot be replayed
 * with another user's token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthError } from './authError.js';
import type { TrustList } from './trustList.js';
import { VerifiedTokenCache } from './verifiedTokenCache.js';
import { decodeUnverified, verifyEs256 } from './verifyEs256.js';

/** The HTTP header that carries the gateway credential. */
export const GATEWAY_CREDENTIAL_HEADER = 'x-dataspace-gateway';

/** Where a gateway credential is sent: one firm's subgraphs, or the cluster registry. */
export type CredentialDestination = { kind: 'firm'; firmId: string } | { kind: 'registry' };

/** Longest lifetime a gateway credential may have, in seconds (signing and verifying). */
export const MAX_GATEWAY_CREDENTIAL_TTL_SECONDS = 900;

/** Options of {@link signGatewayCredential}. */
export interface SignGatewayCredentialOptions {
  /** The gateway's PKCS#8 PEM private key (ES256). */
  privateKeyPem: string;
  /** The gateway's issuer, e.g. `urn:dataspace:aero:gateway:main`. */
  issuer: string;
  /** The cluster audience. */
  audience: string;
  /** The user token this credential accompanies. */
  userToken: string;
  /** Lifetime in seconds. Default 60, at most 900. */
  ttlSeconds?: number;
  /** The `sub` claim. Default: the issuer's last `:` segment (the gateway id by convention). */
  gatewayId?: string;
  /** Issue time (tests). Default now. */
  now?: Date;
}

/**
 * The base64url SHA-256 of a user token: the `uth` claim that binds a credential to it.
 *
 * @example
 * ```ts
 * userTokenHash('eyJ...'); // 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg'
 * ```
 */
export function userTokenHash(userToken: string): string {
  return createHash('sha256').update(userToken, 'utf8').digest('base64url');
}

/**
 * Signs a gateway credential (ES256) bound to a user token.
 *
 * @example
 * ```ts
 * const credential = signGatewayCredential({ privateKeyPem, issuer: gatewayIssuer('aero', 'main'),
 *   audience: clusterAudience('aero'), userToken });
 * headers[GATEWAY_CREDENTIAL_HEADER] = credential;
 * ```
 */
export function signGatewayCredential(options: SignGatewayCredentialOptions): string {
  const ttl = options.ttlSeconds ?? 60;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_GATEWAY_CREDENTIAL_TTL_SECONDS) {
    throw new Error(`signGatewayCredential: ttlSeconds must be an integer in 1..${MAX_GATEWAY_CREDENTIAL_TTL_SECONDS}`);
  }
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims = {
    iss: options.issuer,
    sub: options.gatewayId ?? defaultGatewayId(options.issuer),
    aud: options.audience,
    uth: userTokenHash(options.userToken),
    iat,
    exp: iat + ttl,
  };
  return jwt.sign(claims, options.privateKeyPem, { algorithm: 'ES256' });
}

/**
 * Verifies the gateway credential that accompanies a user token: a trusted GATEWAY
 * issuer, ES256 only, the cluster audience, unexpired, `sub` the gateway's id, and `uth`
 * the hash of this very user token. Throws {@link AuthError}
 * (`GATEWAY_CREDENTIAL_REQUIRED` when absent, `GATEWAY_CREDENTIAL_INVALID` otherwise).
 *
 * @example
 * ```ts
 * const { gatewayId } = verifyGatewayCredential(
 *   req.headers[GATEWAY_CREDENTIAL_HEADER], userToken, trust, directory.audience);
 * ```
 */
export function verifyGatewayCredential(
  credential: string | undefined,
  userToken: string,
  trust: TrustList,
  audience: string,
  now?: Date,
): { gatewayId: string } {
  if (credential === undefined || credential.length === 0) throw new AuthError('GATEWAY_CREDENTIAL_REQUIRED');
  const nowSeconds = Math.floor((now ?? new Date()).getTime() / 1000);
  const cacheKey = `${audience}\n${credential}\n${userToken}`;
  const known = verifiedCredentials.get(trust, cacheKey, nowSeconds);
  if (known) return known;
  const unverified = decodeUnverified(credential);
  if (!unverified.ok) throw invalid(unverified.message);
  const issuer = unverified.payload.iss;
  const entry = typeof issuer === 'string' ? trust.lookup(issuer) : undefined;
  if (entry === undefined || entry.kind !== 'gateway' || typeof issuer !== 'string') {
    throw invalid('not issued by a trusted gateway');
  }
  const result = verifyEs256(credential, entry.publicKeys, { issuer, audience, ...(now ? { now } : {}) });
  if (!result.ok) throw invalid(result.message);
  const { sub, uth, iat, exp } = result.payload;
  if (sub !== entry.gatewayId) throw invalid('subject is not the gateway');
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_GATEWAY_CREDENTIAL_TTL_SECONDS) {
    throw invalid('lifetime too long');
  }
  if (typeof uth !== 'string' || !sameText(uth, userTokenHash(userToken))) {
    throw invalid('not issued for this user token');
  }
  const verifiedCredential = { gatewayId: entry.gatewayId };
  verifiedCredentials.set(trust, cacheKey, verifiedCredential, exp);
  return verifiedCredential;
}

/** Credentials that verified with their user token, until they expire. */
const verifiedCredentials = new VerifiedTokenCache<{ gatewayId: string }>();

function defaultGatewayId(issuer: string): string {
  return issuer.slice(issuer.lastIndexOf(':') + 1);
}

function invalid(reason: string): AuthError {
  return new AuthError('GATEWAY_CREDENTIAL_INVALID', `the gateway credential is invalid: ${reason}`);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
