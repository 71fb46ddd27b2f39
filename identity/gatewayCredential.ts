/**
 * The gateway's own credential: a short-lived ES256 JWT, sent next to the user's token,
 * proving that the call came through a trusted gateway. It is bound to
 * - the user token it accompanies (claim `uth`, the base64url SHA-256 of that token), so it
 *   cannot go with another user's token;
 * - its destination (`aud`: one firm's subgraphs, or the registry), so a member that
 *   receives it cannot replay it at another firm;
 * - the very request it accompanies (`rqh`, the base64url SHA-256 of the request body), so
 *   it cannot carry another query;
 * - itself (`jti`, a random id): a subgraph accepts each credential once (see ReplayGuard).
 */
import { createHash, createPrivateKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthError } from './authError.js';
import { keyId } from './keyId.js';
import type { ReplayGuard } from './replayGuard.js';
import type { TrustList } from './trustList.js';
import { CLOCK_TOLERANCE_SECONDS, decodeUnverified, verifyEs256 } from './verifyEs256.js';

/** The HTTP header that carries the gateway credential. */
export const GATEWAY_CREDENTIAL_HEADER = 'x-dataspace-gateway';

/** Where a gateway credential is sent: one firm's subgraphs, or the cluster registry. */
export type CredentialDestination = { kind: 'firm'; firmId: string } | { kind: 'registry' };

/** Longest lifetime a gateway credential may have, in seconds (signing and verifying). */
export const MAX_GATEWAY_CREDENTIAL_TTL_SECONDS = 900;

/**
 * The audience of a credential meant for a destination: the cluster's audience and the
 * destination, e.g. `urn:dataspace:aero/firm/structura` or `urn:dataspace:aero/registry`.
 * @example destinationAudience('urn:dataspace:aero', { kind: 'firm', firmId: 'structura' }) // 'urn:dataspace:aero/firm/structura'
 */
export function destinationAudience(clusterAudience: string, destination: CredentialDestination): string {
  return destination.kind === 'firm' ? `${clusterAudience}/firm/${destination.firmId}` : `${clusterAudience}/registry`;
}

/** Options of {@link signGatewayCredential}. */
export interface SignGatewayCredentialOptions {
  /** The gateway's PKCS#8 PEM private key (ES256). */
  privateKeyPem: string;
  /** The gateway's issuer, e.g. `urn:dataspace:aero:gateway:main`. */
  issuer: string;
  /** The cluster audience (the destination is added to it: see {@link destinationAudience}). */
  audience: string;
  /** Where the request goes. */
  destination: CredentialDestination;
  /** The user token this credential accompanies. */
  userToken: string;
  /** The exact request it accompanies: the body of a POST (the search string of a GET). */
  request: string;
  /** Lifetime in seconds. Default 60, at most 900. */
  ttlSeconds?: number;
  /** The `sub` claim. Default: the issuer's last `:` segment (the gateway id by convention). */
  gatewayId?: string;
  /** Issue time (tests). Default now. */
  now?: Date;
}

/**
 * The base64url SHA-256 of a text: of a user token (claim `uth`) or of a request (`rqh`).
 *
 * @example
 * ```ts
 * sha256Text('eyJ...'); // 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg'
 * ```
 */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/**
 * Signs a gateway credential (ES256, `kid` = its key's thumbprint) for one request of one
 * user to one destination.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ query, variables });
 * headers[GATEWAY_CREDENTIAL_HEADER] = signGatewayCredential({ privateKeyPem, issuer: gatewayIssuer('aero', 'main'),
 *   audience: clusterAudience('aero'), destination: { kind: 'firm', firmId: 'structura' }, userToken, request: body });
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
    aud: destinationAudience(options.audience, options.destination),
    uth: sha256Text(options.userToken),
    rqh: sha256Text(options.request),
    jti: randomBytes(16).toString('base64url'),
    iat,
    exp: iat + ttl,
  };
  const key = privateKeyOf(options.privateKeyPem);
  return jwt.sign(claims, key.object, { algorithm: 'ES256', keyid: key.kid });
}

/** Parsed signing keys by PEM text: a credential is signed per firm request, a PEM parsed once (a rotation adds one). */
const signingKeys = new Map<string, { object: KeyObject; kid: string }>();

function privateKeyOf(pem: string): { object: KeyObject; kid: string } {
  let key = signingKeys.get(pem);
  if (!key) {
    if (signingKeys.size >= 16) signingKeys.clear();
    const object = createPrivateKey(pem);
    key = { object, kid: keyId(object) };
    signingKeys.set(pem, key);
  }
  return key;
}

/** What a subgraph expects of the credentials it receives. */
export interface CredentialExpectation {
  /** The cluster audience. */
  audience: string;
  /** The subgraph itself: a credential meant for any other destination is refused. */
  destination: CredentialDestination;
  /** The request as received (see {@link SignGatewayCredentialOptions.request}). */
  request: string;
  /** Remembers the credentials already used: each is accepted once. Absent: not checked (unit tests). */
  replay?: ReplayGuard;
  now?: Date;
}

/**
 * Verifies the gateway credential that accompanies a user token: a trusted GATEWAY issuer,
 * ES256 only, meant for this destination, unexpired, `sub` the gateway's id, `uth` the hash
 * of this very user token, `rqh` the hash of this very request, and never seen before.
 * Throws {@link AuthError} (`GATEWAY_CREDENTIAL_REQUIRED` when absent,
 * `GATEWAY_CREDENTIAL_INVALID` otherwise, with the reason).
 *
 * @example
 * ```ts
 * const { gatewayId } = verifyGatewayCredential(req.headers[GATEWAY_CREDENTIAL_HEADER], userToken, trust,
 *   { audience: directory.audience, destination: { kind: 'firm', firmId }, request: body, replay });
 * ```
 */
export function verifyGatewayCredential(
  credential: string | undefined,
  userToken: string,
  trust: TrustList,
  expected: CredentialExpectation,
): { gatewayId: string } {
  if (credential === undefined || credential.length === 0) throw new AuthError('GATEWAY_CREDENTIAL_REQUIRED');
  const unverified = decodeUnverified(credential);
  if (!unverified.ok) throw invalid(unverified.message);
  const issuer = unverified.payload.iss;
  const entry = typeof issuer === 'string' ? trust.lookup(issuer) : undefined;
  if (entry === undefined || entry.kind !== 'gateway' || typeof issuer !== 'string') {
    throw invalid('not issued by a trusted gateway');
  }
  const audience = destinationAudience(expected.audience, expected.destination);
  const claimed = unverified.payload.aud;
  if (typeof claimed === 'string' && claimed !== audience && claimed.startsWith(`${expected.audience}/`)) {
    throw invalid(`issued for another destination (${claimed.slice(expected.audience.length + 1)}), not for ${audience.slice(expected.audience.length + 1)}`);
  }
  const result = verifyEs256(credential, entry.publicKeys, { issuer, audience, ...(expected.now ? { now: expected.now } : {}) });
  if (!result.ok) throw invalid(result.message);
  const { sub, uth, rqh, jti, iat, exp } = result.payload;
  if (sub !== entry.gatewayId) throw invalid('subject is not the gateway');
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_GATEWAY_CREDENTIAL_TTL_SECONDS) {
    throw invalid('lifetime too long');
  }
  if (typeof uth !== 'string' || !sameText(uth, sha256Text(userToken))) throw invalid('not issued for this user token');
  if (typeof rqh !== 'string' || !sameText(rqh, sha256Text(expected.request))) throw invalid('not issued for this request');
  if (typeof jti !== 'string' || jti.length === 0) throw invalid('no credential id (jti)');
  if (expected.replay && !expected.replay.firstUse(`${issuer}\n${jti}`, exp + CLOCK_TOLERANCE_SECONDS, expected.now)) throw invalid('already used');
  return { gatewayId: entry.gatewayId };
}

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
