/**
 * The directory as the registry serves it: a compact JWS (ES256) signed with the cluster
 * operator's key, its payload the directory and short-lived claims `iat` and `exp`. Every
 * reader pins the operator's public key (one or two, for a rotation) and refuses anything
 * else: an unsigned document, another key, an expired or future one, an older one than it
 * already holds (rollback), another cluster's, or a directory that does not validate.
 * No I/O: the caller fetches, this module decides.
 */
import { createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';
import { es256PublicKey } from '../identity/es256PublicKey.js';
import { keyId } from '../identity/keyId.js';
import { ServiceKeys } from '../identity/serviceKeys.js';
import { TrustList } from '../identity/trustList.js';
import { CLOCK_TOLERANCE_SECONDS } from '../identity/verifyEs256.js';
import type { Directory } from './directory.js';
import { parseDirectory } from './directorySchema.js';

/** The JOSE `typ` of a signed directory: nothing else signed by the operator's key can pass for one. */
export const DIRECTORY_DOCUMENT_TYPE = 'dataspace-directory+jwt';

/** The content type of `GET /directory`. */
export const DIRECTORY_MEDIA_TYPE = 'application/jwt';

/** How long a signed directory is valid by default: 5 minutes (the registry re-signs at half-life). */
export const DEFAULT_DIRECTORY_TTL_SECONDS = 300;

/** The longest validity a reader accepts (and the registry signs): one hour. */
export const MAX_DIRECTORY_TTL_SECONDS = 3600;

/** The largest document a reader reads: 16 MiB. */
export const MAX_DIRECTORY_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Why a reader refused a document; every one keeps its last good directory. */
export type DirectoryRefusalReason =
  | 'unsigned'
  | 'malformed'
  | 'algorithm'
  | 'key'
  | 'signature'
  | 'expired'
  | 'not-yet-valid'
  | 'lifetime'
  | 'rollback'
  | 'cluster'
  | 'invalid';

/** A document that verified: the directory and when it was signed and expires (seconds). */
export interface DirectoryDocument {
  directory: Directory;
  iat: number;
  exp: number;
  /** The operator key that signed it. */
  kid: string;
}

export type ReadDirectoryResult = { ok: true; document: DirectoryDocument } | { ok: false; reason: DirectoryRefusalReason; message: string };

/** Options of {@link signDirectory}. */
export interface SignDirectoryOptions {
  /** The operator's PKCS#8 PEM private key (ES256). */
  privateKeyPem: string;
  /** Validity in seconds, 1..MAX_DIRECTORY_TTL_SECONDS; default DEFAULT_DIRECTORY_TTL_SECONDS. */
  ttlSeconds?: number;
  /** `iat`, seconds since the epoch; default now (the registry makes it strictly increasing). */
  issuedAt?: number;
}

/**
 * Signs a directory as a compact JWS: header `{ alg: ES256, typ, kid }`, payload
 * `{ iat, exp, directory }`.
 *
 * @example
 * ```ts
 * res.end(signDirectory(source.current(), { privateKeyPem: operatorKey }));
 * ```
 */
export function signDirectory(directory: Directory, options: SignDirectoryOptions): string {
  const ttl = options.ttlSeconds ?? DEFAULT_DIRECTORY_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_DIRECTORY_TTL_SECONDS) {
    throw new Error(`signDirectory: ttlSeconds must be an integer in 1..${MAX_DIRECTORY_TTL_SECONDS}`);
  }
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const key = createPrivateKey(options.privateKeyPem);
  const header = part({ alg: 'ES256', typ: DIRECTORY_DOCUMENT_TYPE, kid: keyId(key) });
  const payload = part({ iat, exp: iat + ttl, directory });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/**
 * The operator keys a reader pins, parsed: one, or two during a rotation. Throws an Error
 * naming the key (`operator key #2 is not ...`).
 *
 * @example
 * ```ts
 * const pinned = pinnedOperatorKeys([readFileSync('keys/operator.pub.pem', 'utf8')]);
 * ```
 */
export function pinnedOperatorKeys(pems: readonly string[]): KeyObject[] {
  if (pems.length < 1 || pems.length > 2) throw new Error(`pin one or two operator keys (a rotation), not ${pems.length}`);
  return pems.map((pem, i) => {
    const key = es256PublicKey(pem, `operator key #${i + 1}`);
    keyId(key);
    return key;
  });
}

/** What a reader knows when it reads a new document. */
export interface ReadDirectoryOptions {
  /** The reader's clock. Default now. */
  now?: Date;
  /** The `iat` of the last good document: an older one is a rollback. */
  lastIssuedAt?: number;
  /** The cluster of the last good document: another cluster's is refused. */
  clusterId?: string;
}

/**
 * Verifies a signed directory against the pinned operator keys (the one its `kid` names,
 * or each) and validates its payload as a directory whose trust list and service keys build.
 *
 * @example
 * ```ts
 * const read = readDirectoryDocument(await res.text(), pinned, { lastIssuedAt: last?.iat });
 * if (!read.ok) log(`refused: ${read.message}`);
 * ```
 */
export function readDirectoryDocument(text: string, pinned: readonly KeyObject[], options: ReadDirectoryOptions = {}): ReadDirectoryResult {
  if (text.length > MAX_DIRECTORY_DOCUMENT_BYTES) return refuse('malformed', 'the document is too large');
  if (text.trimStart().startsWith('{')) return refuse('unsigned', 'the document is not signed (plain JSON)');
  const parts = text.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return refuse('malformed', 'the document is not a compact JWS');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = jsonPart(headerPart);
  if (header === undefined) return refuse('malformed', 'the header is not a JSON object');
  if (header.alg === 'none' || signaturePart === '') return refuse('unsigned', 'the document is not signed (alg none)');
  if (header.alg !== 'ES256') return refuse('algorithm', 'only ES256 is accepted');
  if (header.typ !== DIRECTORY_DOCUMENT_TYPE) return refuse('malformed', `the document is not a ${DIRECTORY_DOCUMENT_TYPE}`);
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') return refuse('malformed', 'kid is not a string');
  const candidates = kid === undefined ? pinned : pinned.filter((key) => keyId(key) === kid);
  if (candidates.length === 0) return refuse('key', 'signed with a key that is not a pinned operator key');
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  const signer = candidates.find((key) => verifies(signed, key, signature));
  if (!signer) return refuse('signature', 'the signature does not verify with the pinned operator key');

  // Signed by the operator from here on: its claims can be trusted to be the operator's.
  const payload = jsonPart(payloadPart);
  if (payload === undefined) return refuse('malformed', 'the payload is not a JSON object');
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') return refuse('malformed', 'iat and exp are required');
  const now = (options.now ?? new Date()).getTime() / 1000;
  if (exp + CLOCK_TOLERANCE_SECONDS <= now) return refuse('expired', 'the document has expired');
  if (iat - CLOCK_TOLERANCE_SECONDS > now) return refuse('not-yet-valid', 'the document is signed in the future');
  if (exp <= iat || exp - iat > MAX_DIRECTORY_TTL_SECONDS) return refuse('lifetime', `the document is valid for more than ${MAX_DIRECTORY_TTL_SECONDS} s`);
  if (options.lastIssuedAt !== undefined && iat < options.lastIssuedAt) return refuse('rollback', 'the document is older than the directory in use');
  let directory: Directory;
  try {
    directory = parseDirectory(payload.directory);
    // A directory whose trust list does not build (a malformed key) is refused whole, and so
    // is one whose service keys are malformed or are keys of another role (identity/serviceKeys.ts).
    TrustList.of(directory);
    ServiceKeys.of(directory);
  } catch (error) {
    return refuse('invalid', error instanceof Error ? error.message : 'invalid directory');
  }
  if (options.clusterId !== undefined && directory.clusterId !== options.clusterId) {
    return refuse('cluster', `the document is cluster ${directory.clusterId}'s, not ${options.clusterId}'s`);
  }
  return { ok: true, document: { directory, iat, exp, kid: keyId(signer) } };
}

function verifies(signed: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

function refuse(reason: DirectoryRefusalReason, message: string): ReadDirectoryResult {
  return { ok: false, reason, message };
}

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function jsonPart(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
