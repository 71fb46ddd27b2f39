/**
 * Reader tokens: how a firm or a gateway proves who it is to the registry's `GET /directory`.
 * A short-lived ES256 JWT signed with the key whose public half the directory lists for it
 * (a firm: its SERVICE key, `serviceKeys`, never a key of its users' tokens; a gateway: its
 * credential key), addressed to the registry of one
 * operator (`aud`: the operator key's id, so that a registry of another cluster cannot replay
 * it here), and verified by the registry against its own current directory.
 */
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Directory } from '../cluster/directory.js';
import { keyId } from './keyId.js';
import { ServiceKeys } from './serviceKeys.js';
import { TrustList } from './trustList.js';
import { decodeUnverified, verifyEs256 } from './verifyEs256.js';

/** The JOSE `typ` of a reader token: no user token or credential can pass for one. */
export const DIRECTORY_READER_TOKEN_TYPE = 'dataspace-directory-reader+jwt';

/** Default and longest lifetime of a reader token, in seconds. */
export const DEFAULT_READER_TOKEN_TTL_SECONDS = 60;
export const MAX_READER_TOKEN_TTL_SECONDS = 300;

/** Who reads the directory: a member firm or a gateway (the owner router is one). */
export interface DirectoryReader {
  kind: 'firm' | 'gateway';
  /** The member's or the gateway's id in the directory. */
  id: string;
  /**
   * Its PKCS#8 PEM private key (ES256), or a function asked at each signature (a key re-read
   * on rotation); the public half is in the directory: a firm's service key (`serviceKeys`),
   * a gateway's credential key.
   */
  privateKeyPem: string | (() => string);
}

/** The stable codes of a refused reader (HTTP 401). */
export type DirectoryReaderRefusalCode = 'UNAUTHENTICATED' | 'DIRECTORY_READER_UNKNOWN' | 'DIRECTORY_READER_INVALID';

export type VerifyReaderResult =
  | { ok: true; reader: { kind: DirectoryReader['kind']; id: string } }
  | { ok: false; code: DirectoryReaderRefusalCode; message: string };

/**
 * The audience of reader tokens for the registry whose operator key has id `operatorKid`.
 * @example directoryAudience(keyId(operatorPublicKeyPem)); // 'urn:dataspace:directory:NzbLsXh8...'
 */
export function directoryAudience(operatorKid: string): string {
  return `urn:dataspace:directory:${operatorKid}`;
}

/**
 * Signs a reader token: `iss` and `sub` the reader's id, `kind`, `aud` the directory
 * audience of each pinned operator key (two during a rotation), `kid` the reader's key.
 *
 * @example
 * ```ts
 * const token = signDirectoryReaderToken({ kind: 'firm', id: 'structura', privateKeyPem }, [directoryAudience(kid)]);
 * await fetch(`${registryUrl}/directory`, { headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export function signDirectoryReaderToken(
  reader: DirectoryReader,
  audiences: readonly string[],
  options: { now?: Date; ttlSeconds?: number } = {},
): string {
  const ttl = options.ttlSeconds ?? DEFAULT_READER_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_READER_TOKEN_TTL_SECONDS) {
    throw new Error(`signDirectoryReaderToken: ttlSeconds must be an integer in 1..${MAX_READER_TOKEN_TTL_SECONDS}`);
  }
  if (audiences.length === 0) throw new Error('signDirectoryReaderToken: at least one audience');
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims = { iss: reader.id, sub: reader.id, kind: reader.kind, aud: [...audiences], iat, exp: iat + ttl };
  const privateKeyPem = typeof reader.privateKeyPem === 'function' ? reader.privateKeyPem() : reader.privateKeyPem;
  return jwt.sign(claims, privateKeyPem, {
    algorithm: 'ES256',
    header: { alg: 'ES256', typ: DIRECTORY_READER_TOKEN_TYPE, kid: keyId(privateKeyPem) },
  });
}

/**
 * Verifies a reader token against the registry's current directory: the member or gateway
 * it names must be listed there and its keys must verify it (a member's service keys only,
 * never its user-token keys; a gateway's credential keys; ES256, `aud` this registry's,
 * unexpired, at most MAX_READER_TOKEN_TTL_SECONDS long). Throws only when the registry's own
 * directory does not build (a server fault, not the reader's).
 *
 * @example
 * ```ts
 * const read = verifyDirectoryReaderToken(bearerToken(req.headers.authorization), source.current(), audience);
 * if (!read.ok) sendGraphQLError(res, 401, read.code, read.message);
 * ```
 */
export function verifyDirectoryReaderToken(token: string | undefined, directory: Directory, audience: string, now?: Date): VerifyReaderResult {
  if (token === undefined || token.length === 0) {
    return { ok: false, code: 'UNAUTHENTICATED', message: 'the directory is served to members and gateways only: send a reader token' };
  }
  const unverified = decodeUnverified(token);
  if (!unverified.ok) return invalid(unverified.message);
  if (unverified.header.typ !== DIRECTORY_READER_TOKEN_TYPE) return invalid('not a directory reader token');
  const { kind, sub } = unverified.payload;
  if ((kind !== 'firm' && kind !== 'gateway') || typeof sub !== 'string') return invalid('kind and sub are required');
  const keys = readerKeys(directory, kind, sub);
  if (!keys) return { ok: false, code: 'DIRECTORY_READER_UNKNOWN', message: `no ${kind} of this id is in the directory` };
  const result = verifyEs256(token, keys, { issuer: sub, audience, ...(now ? { now } : {}) });
  if (!result.ok) return invalid(result.message);
  const { iat, exp } = result.payload;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_READER_TOKEN_TTL_SECONDS) return invalid('lifetime too long');
  return { ok: true, reader: { kind, id: sub } };
}

/** The keys a reader of this kind and id signs with: a member's service keys, a gateway's credential keys; `undefined` when it is not listed. */
function readerKeys(directory: Directory, kind: DirectoryReader['kind'], id: string): readonly KeyObject[] | undefined {
  if (kind === 'firm') return ServiceKeys.of(directory).keysOf(id);
  const gateway = directory.gateways.find((g) => g.id === id);
  const entry = gateway ? TrustList.of(directory).lookup(gateway.issuer) : undefined;
  return entry?.kind === 'gateway' ? entry.publicKeys : undefined;
}

function invalid(reason: string): VerifyReaderResult {
  return { ok: false, code: 'DIRECTORY_READER_INVALID', message: `the reader token is invalid: ${reason}` };
}
