/**
 * Firm tokens: a member firm speaking as itself, not as one of its users — a customer asking
 * its direct suppliers "is X in your part of the chain?", a firm delivering a quality
 * notification to another. A short-lived ES256 JWT signed with the firm's SERVICE key (the key
 * of its subgraph process, listed as the member's `serviceKeys`; never a user-token key), with
 * the cluster's audience. Its caller has the one reserved role `firm` (FIRM_ROLE): a policy
 * grants a firm speaking as itself with `who: { roles: [firm] }`, and no user token may carry
 * that role. The gateway and every subgraph accept it like a user token, with the gateway's
 * credential bound to it as usual.
 */
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Directory } from '../cluster/directory.js';
import { AuthError } from './authError.js';
import type { Caller } from './caller.js';
import { keyId } from './keyId.js';
import { ServiceKeys } from './serviceKeys.js';
import { decodeUnverified, verifyEs256 } from './verifyEs256.js';

/** The JOSE `typ` of a firm token: no user token, credential or reader token passes for one. */
export const FIRM_TOKEN_TYPE = 'dataspace-firm+jwt';

/** The role of a firm speaking as itself; reserved: a user token that claims it is refused. */
export const FIRM_ROLE = 'firm';

/** Default and longest lifetime of a firm token, in seconds. */
export const DEFAULT_FIRM_TOKEN_TTL_SECONDS = 60;
export const MAX_FIRM_TOKEN_TTL_SECONDS = 300;

/** The subject of a firm's own calls, as access logs and policies see it: `firm:<id>`. */
export function firmSubject(firmId: string): string {
  return `firm:${firmId}`;
}

/** Options of {@link signFirmToken}. */
export interface SignFirmTokenOptions {
  firmId: string;
  /** The firm's service key (PKCS#8 PEM, ES256), or a function asked at each signature. */
  serviceKeyPem: string | (() => string);
  /** The cluster audience (`directory.audience`). */
  audience: string;
  /** Why the firm asks (a purpose of the cluster terms), if the call needs one. */
  purpose?: string;
  ttlSeconds?: number;
  now?: Date;
}

/**
 * Signs a firm token: `iss` and `sub` the firm's id, `kind: firm`, the cluster's audience,
 * an optional `purpose`, a fresh `jti`.
 * @example
 * const token = signFirmToken({ firmId: 'avionix', serviceKeyPem, audience: directory.audience, purpose: 'quality-investigation' });
 * await fetch(gatewayUrl, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
 */
export function signFirmToken(options: SignFirmTokenOptions): string {
  const ttl = options.ttlSeconds ?? DEFAULT_FIRM_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_FIRM_TOKEN_TTL_SECONDS) {
    throw new Error(`signFirmToken: ttlSeconds must be an integer in 1..${MAX_FIRM_TOKEN_TTL_SECONDS}`);
  }
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims = {
    iss: options.firmId,
    sub: options.firmId,
    kind: 'firm',
    aud: options.audience,
    ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
    jti: randomBytes(12).toString('base64url'),
    iat,
    exp: iat + ttl,
  };
  const pem = typeof options.serviceKeyPem === 'function' ? options.serviceKeyPem() : options.serviceKeyPem;
  return jwt.sign(claims, pem, { algorithm: 'ES256', header: { alg: 'ES256', typ: FIRM_TOKEN_TYPE, kid: keyId(pem) } });
}

/** Whether a token says it is a firm token (its header's `typ`); nothing is verified. */
export function isFirmToken(token: string): boolean {
  const unverified = decodeUnverified(token);
  return unverified.ok && unverified.header.typ === FIRM_TOKEN_TYPE;
}

/**
 * Verifies a firm token against the directory: a listed member, signed with one of its service
 * keys (ES256, the key picked by `kid`), the cluster's audience, unexpired, at most
 * MAX_FIRM_TOKEN_TTL_SECONDS long. Its caller: the firm, subject `firm:<id>`, role `firm`.
 * Throws AuthError (`TOKEN_INVALID`, `TOKEN_EXPIRED`, `ISSUER_UNTRUSTED`).
 * @example const caller = verifyFirmToken(token, directory); caller.roles // ['firm']
 */
export function verifyFirmToken(token: string, directory: Directory, now?: Date): Caller {
  const unverified = decodeUnverified(token);
  if (!unverified.ok) throw invalid(unverified.message);
  if (unverified.header.typ !== FIRM_TOKEN_TYPE) throw invalid('not a firm token');
  const { sub, kind } = unverified.payload;
  if (kind !== 'firm' || typeof sub !== 'string') throw invalid('kind firm and sub are required');
  const keys = ServiceKeys.of(directory).keysOf(sub);
  if (!keys) throw new AuthError('ISSUER_UNTRUSTED', `firm ${sub} is not a member of the cluster`);
  const result = verifyEs256(token, keys, { issuer: sub, audience: directory.audience, ...(now ? { now } : {}) });
  if (!result.ok) throw result.reason === 'expired' ? new AuthError('TOKEN_EXPIRED') : invalid(result.message);
  const { iat, exp, purpose } = result.payload;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_FIRM_TOKEN_TTL_SECONDS) throw invalid('lifetime too long');
  if (purpose !== undefined && typeof purpose !== 'string') throw invalid('claim purpose ill-typed');
  return { firmId: sub, subject: firmSubject(sub), roles: [FIRM_ROLE], ...(typeof purpose === 'string' ? { purpose } : {}), issuer: `firm:${sub}` };
}

function invalid(reason: string): AuthError {
  return new AuthError('TOKEN_INVALID', `the firm token is invalid: ${reason}`);
}
