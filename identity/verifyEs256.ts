/**
 * The JWT mechanics shared by user tokens and gateway credentials: reading a token's
 * header and payload WITHOUT trusting them (only to choose keys), and verifying an ES256
 * signature against a set of keys (key rotation) with pinned issuer and audience.
 */
import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { keyId } from './keyId.js';

/** Tokens longer than this are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

/** Allowed clock skew between issuer and verifier, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Why a token did not verify; the caller maps these to its own error codes. */
export type JwtFailureReason = 'malformed' | 'algorithm' | 'key' | 'signature' | 'expired' | 'not-yet-valid' | 'audience' | 'issuer';

export type VerifyResult =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: JwtFailureReason; message: string };

export type UnverifiedResult =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; message: string };

/**
 * A token's header and payload, decoded but NOT verified: use them only to pick keys.
 *
 * @example
 * ```ts
 * const parts = decodeUnverified(token);
 * if (parts.ok && typeof parts.payload.iss === 'string') trust.lookup(parts.payload.iss);
 * ```
 */
export function decodeUnverified(token: string): UnverifiedResult {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, message: 'token too long' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: 'malformed token' };
  const header = decodeJsonPart(parts[0] ?? '');
  const payload = decodeJsonPart(parts[1] ?? '');
  if (header === undefined || payload === undefined) return { ok: false, message: 'malformed token' };
  return { ok: true, header, payload };
}

/**
 * Verifies an ES256 JWT with each key in turn (the first that verifies the signature wins);
 * issuer and audience pinned, expiry required and checked with a small clock tolerance.
 * A token whose header names a `kid` (the RFC 7638 thumbprint, see keyId.ts) is tried with
 * that key only, and refused (`key`) when none of `keys` has that id; a token without `kid`
 * is tried with every key.
 *
 * @example
 * ```ts
 * const result = verifyEs256(token, entry.publicKeys, { issuer: entry.issuer, audience, now: new Date() });
 * if (!result.ok) throw new AuthError('TOKEN_INVALID', `the token is invalid: ${result.message}`);
 * ```
 */
export function verifyEs256(
  token: string,
  keys: readonly KeyObject[],
  expected: { issuer: string; audience: string; now?: Date },
): VerifyResult {
  const parts = decodeUnverified(token);
  if (!parts.ok) return { ok: false, reason: 'malformed', message: parts.message };
  // Refuse anything but ES256 before handing the token to the library (`none`, HS*, RS*...).
  if (parts.header.alg !== 'ES256') return { ok: false, reason: 'algorithm', message: 'algorithm not accepted' };
  if (typeof parts.payload.exp !== 'number') return { ok: false, reason: 'malformed', message: 'no expiry' };
  const kid = parts.header.kid;
  if (kid !== undefined && typeof kid !== 'string') return { ok: false, reason: 'malformed', message: 'kid is not a string' };
  const candidates = kid === undefined ? keys : keys.filter((key) => keyId(key) === kid);
  if (candidates.length === 0) return { ok: false, reason: 'key', message: 'no trusted key has this kid' };
  return verifyJwtSignature(token, candidates, { ...expected, algorithm: 'ES256' });
}

/**
 * Verifies a JWT with each key in turn (the first that verifies the signature wins) for ONE
 * algorithm: `ES256` for the cluster's own tokens, `RS256` or `ES256` for an identity provider's
 * (the caller has checked that the header names that algorithm); issuer and audience pinned,
 * expiry required and checked with CLOCK_TOLERANCE_SECONDS.
 *
 * @example
 * ```ts
 * const result = verifyJwtSignature(token, [rsaKey], { issuer, audience, algorithm: 'RS256' });
 * ```
 */
export function verifyJwtSignature(
  token: string,
  keys: readonly KeyObject[],
  expected: { issuer: string; audience: string; algorithm: 'ES256' | 'RS256'; now?: Date },
): VerifyResult {
  const clockTimestamp = Math.floor((expected.now ?? new Date()).getTime() / 1000);
  for (const key of keys) {
    try {
      const payload = jwt.verify(token, key, {
        algorithms: [expected.algorithm],
        audience: expected.audience,
        issuer: expected.issuer,
        clockTimestamp,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return { ok: false, reason: 'malformed', message: 'payload is not an object' };
      }
      if (typeof payload.exp !== 'number') return { ok: false, reason: 'malformed', message: 'no expiry' };
      return { ok: true, payload: { ...payload } };
    } catch (error) {
      const failure = classify(error);
      // A bad signature with this key may be a good one with the next (key rotation);
      // every other check runs only after the signature verified, so it is final.
      if (failure.reason !== 'signature') return failure;
    }
  }
  return { ok: false, reason: 'signature', message: 'signature does not verify' };
}

function classify(error: unknown): Extract<VerifyResult, { ok: false }> {
  if (error instanceof jwt.TokenExpiredError) return { ok: false, reason: 'expired', message: 'expired' };
  if (error instanceof jwt.NotBeforeError) return { ok: false, reason: 'not-yet-valid', message: 'not yet valid' };
  const message = error instanceof Error ? error.message : '';
  if (message === 'invalid signature') return { ok: false, reason: 'signature', message: 'signature does not verify' };
  if (message.startsWith('jwt audience invalid')) return { ok: false, reason: 'audience', message: 'wrong audience' };
  if (message.startsWith('jwt issuer invalid')) return { ok: false, reason: 'issuer', message: 'wrong issuer' };
  if (message === 'invalid algorithm') return { ok: false, reason: 'algorithm', message: 'algorithm not accepted' };
  // Never pass the library's message through: some of them echo expected values.
  return { ok: false, reason: 'malformed', message: 'malformed token' };
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
