/**
 * User tokens: each member signs its own users' tokens (ES256); every subgraph verifies
 * them against the cluster's trust list, pinning issuer, audience and algorithm.
 */
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AuthError } from './authError.js';
import { analyticsRoleProblem } from '../policies/analyticsRole.js';
import { FIRM_ROLE } from './firmToken.js';
import type { Caller, UserClaims } from './caller.js';
import { keyId } from './keyId.js';
import { verifyProviderToken } from './identityProviderToken.js';
import type { FirmIssuer, IdentityProviderTrust, TrustList } from './trustList.js';
import { VerifiedTokenCache } from './verifiedTokenCache.js';
import { CLOCK_TOLERANCE_SECONDS, decodeUnverified, verifyEs256 } from './verifyEs256.js';
import type { JwtFailureReason } from './verifyEs256.js';

/** Options of {@link signUserToken}. */
export interface SignUserTokenOptions {
  /** The member's PKCS#8 PEM private key (ES256). */
  privateKeyPem: string;
  /** The member's issuer, e.g. `urn:dataspace:aero:firm:structura`. */
  issuer: string;
  /** The cluster audience, e.g. `urn:dataspace:aero`. */
  audience: string;
  firmId: string;
  subject: string;
  roles: string[];
  purpose?: string;
  /** Lifetime in seconds. Default 3600. */
  ttlSeconds?: number;
  /** Issue time (tests). Default now. */
  now?: Date;
}

/**
 * Signs a user token (ES256) with the claims of {@link UserClaims}, its header naming the
 * signing key (`kid`: the RFC 7638 thumbprint of its public half, see keyId.ts).
 *
 * @example
 * ```ts
 * const token = signUserToken({
 *   privateKeyPem, issuer: memberIssuer('aero', 'structura'), audience: clusterAudience('aero'),
 *   firmId: 'structura', subject: 'alice', roles: ['planner'], purpose: 'planning',
 * });
 * ```
 */
export function signUserToken(options: SignUserTokenOptions): string {
  const ttl = options.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('signUserToken: ttlSeconds must be a positive integer');
  if (options.subject.length === 0) throw new Error('signUserToken: subject must not be empty');
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: UserClaims = {
    iss: options.issuer,
    sub: options.subject,
    aud: options.audience,
    firm: options.firmId,
    roles: [...options.roles],
    ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
    iat,
    exp: iat + ttl,
  };
  return jwt.sign(claims, options.privateKeyPem, { algorithm: 'ES256', keyid: keyId(options.privateKeyPem) });
}

const userClaimsSchema = z.object({
  iss: z.string().min(1),
  sub: z.string().min(1),
  firm: z.string().min(1),
  roles: z.array(z.string()),
  purpose: z.string().optional(),
  iat: z.number().optional(),
  exp: z.number(),
});

/**
 * Verifies a user token and returns the caller it identifies. The token's header and
 * payload are read unverified only to pick the issuer's keys; the issuer must be a trusted
 * FIRM issuer, the audience the cluster's, the token unexpired (30 s tolerance), its lifetime
 * within the issuer's `maxTokenLifetimeSeconds` (`exp - iat`, and `exp` no further than that
 * from now: `TOKEN_LIFETIME_TOO_LONG`), and its firm the issuer's own firm.
 * - A member's own issuer: ES256 only, the key named by the header's `kid` (or else each of
 *   the issuer's keys: key rotation), the cluster's claims (`firm`, `roles`, `purpose`).
 * - A member's identity provider (`identityProvider` in the directory): RS256 or ES256 as
 *   allowed, a key of its JWKS (fetched and cached: identity/jwksKeySet.ts), its audience, its
 *   claims mapped (identity/identityProviderToken.ts); ISSUER_KEYS_UNAVAILABLE (503) when its
 *   keys cannot be had.
 * Throws {@link AuthError}.
 *
 * @example
 * ```ts
 * const caller = await verifyUserToken(bearerToken(req.headers.authorization), trust, directory.audience);
 * caller.firmId; // 'structura'
 * ```
 */
export async function verifyUserToken(token: string | undefined, trust: TrustList, audience: string, now?: Date): Promise<Caller> {
  if (token === undefined || token.length === 0) throw new AuthError('UNAUTHENTICATED');
  const nowSeconds = Math.floor((now ?? new Date()).getTime() / 1000);
  const cacheKey = `${audience}\n${token}`;
  const known = verified.get(trust, cacheKey, nowSeconds);
  if (known) return known;
  const unverified = decodeUnverified(token);
  if (!unverified.ok) throw invalid(unverified.message);
  const issuer = unverified.payload.iss;
  if (typeof issuer !== 'string') throw invalid('no issuer');
  const entry = trust.lookup(issuer);
  if (entry === undefined || entry.kind !== 'firm') throw new AuthError('ISSUER_UNTRUSTED');
  if (entry.identityProvider) return verifyProviderUser(token, unverified, { ...entry, identityProvider: entry.identityProvider }, trust, audience, now);

  const result = verifyEs256(token, entry.publicKeys, { issuer, audience, ...(now ? { now } : {}) });
  if (!result.ok) throw fromFailure(result.reason, result.message);
  const claims = userClaimsSchema.safeParse(result.payload);
  if (!claims.success) {
    const claim = claims.error.issues[0]?.path[0];
    throw invalid(typeof claim === 'string' ? `claim ${claim} missing or ill-typed` : 'claims ill-typed');
  }
  if (tooLong(claims.data, entry.maxTokenLifetimeSeconds, now)) throw new AuthError('TOKEN_LIFETIME_TOO_LONG');
  if (claims.data.firm !== entry.firmId) throw new AuthError('FIRM_MISMATCH');
  const caller: Caller = {
    firmId: entry.firmId,
    subject: claims.data.sub,
    roles: claims.data.roles,
    ...(claims.data.purpose === undefined ? {} : { purpose: claims.data.purpose }),
    issuer,
  };
  const exp = (result.payload as { exp?: unknown }).exp;
  refuseReservedRole(caller);
  if (typeof exp === 'number') verified.set(trust, cacheKey, caller, exp);
  return caller;
}

/**
 * A token of a member's identity provider. Its keys are looked up first (cheap while the copy
 * is fresh), so that a removed key or an expired copy is refused even for a token verified
 * before; a verified token is remembered for one generation of the key set.
 */
async function verifyProviderUser(
  token: string,
  unverified: Extract<ReturnType<typeof decodeUnverified>, { ok: true }>,
  entry: FirmIssuer & { identityProvider: IdentityProviderTrust },
  trust: TrustList,
  audience: string,
  now: Date | undefined,
): Promise<Caller> {
  const nowSeconds = Math.floor((now ?? new Date()).getTime() / 1000);
  const { alg, kid } = unverified.header;
  // Before any key is looked up: a token of another algorithm makes no fetch.
  if ((alg !== 'RS256' && alg !== 'ES256') || !entry.identityProvider.algorithms.includes(alg)) throw invalid('algorithm not accepted');
  const found = await entry.identityProvider.keys.lookup(typeof kid === 'string' ? kid : undefined);
  const cacheKey = found.ok ? `${audience}\n#${found.generation}\n${token}` : undefined;
  const known = cacheKey === undefined ? undefined : verified.get(trust, cacheKey, nowSeconds);
  if (known) return known;
  const result = await verifyProviderToken(token, unverified, entry, audience, now);
  if (tooLong(result, entry.maxTokenLifetimeSeconds, now)) throw new AuthError('TOKEN_LIFETIME_TOO_LONG');
  const caller: Caller = {
    firmId: entry.firmId,
    subject: result.subject,
    roles: result.roles,
    ...(result.purpose === undefined ? {} : { purpose: result.purpose }),
    issuer: entry.issuer,
  };
  refuseReservedRole(caller);
  verified.set(trust, `${audience}\n#${result.generation}\n${token}`, caller, result.exp);
  return caller;
}

/** The role `firm` is a firm speaking as itself (a firm token): no user token may claim it; `analytics` (a tool's) goes alone. */
function refuseReservedRole(caller: Caller): void {
  if (caller.roles.includes(FIRM_ROLE)) throw invalid(`the role ${FIRM_ROLE} is reserved for a firm speaking as itself (a firm token signed with its service key)`);
  const tool = analyticsRoleProblem(caller.roles);
  if (tool) throw invalid(tool);
}

/** Tokens that verified, until they expire (see VerifiedTokenCache). */
const verified = new VerifiedTokenCache<Caller>();

/**
 * The token of an `Authorization: Bearer <token>` header, or `undefined` when there is none
 * (or the header uses another scheme).
 *
 * @example
 * ```ts
 * bearerToken('Bearer eyJhbGciOi...'); // 'eyJhbGciOi...'
 * bearerToken('Basic dXNlcjpwdw==');   // undefined
 * ```
 */
export function bearerToken(authorizationHeader: string | undefined): string | undefined {
  if (authorizationHeader === undefined) return undefined;
  const match = /^\s*Bearer\s+([^\s]+)\s*$/i.exec(authorizationHeader);
  return match?.[1];
}

/**
 * Whether a token lives longer than `max` seconds: issued for longer (`exp - iat`), or, with
 * or without `iat`, still valid further than that from now (an `iat` in the future hides nothing).
 */
function tooLong(claims: { iat?: number | undefined; exp: number }, max: number, now: Date | undefined): boolean {
  const nowSeconds = (now ?? new Date()).getTime() / 1000;
  if (claims.iat !== undefined && claims.exp - claims.iat > max) return true;
  return claims.exp - nowSeconds > max + CLOCK_TOLERANCE_SECONDS;
}

function invalid(reason: string): AuthError {
  return new AuthError('TOKEN_INVALID', `the token is invalid: ${reason}`);
}

function fromFailure(reason: JwtFailureReason, message: string): AuthError {
  return reason === 'expired' ? new AuthError('TOKEN_EXPIRED') : invalid(message);
}
