import { createPrivateKey } from 'node:crypto';
import type { Directory } from '../../cluster/directory.js';
import { DEFAULT_DIRECTORY_TTL_SECONDS, MAX_DIRECTORY_TTL_SECONDS, signDirectory } from '../../cluster/directoryDocument.js';
import { directoryAudience } from '../../identity/directoryReaderToken.js';
import { keyId } from '../../identity/keyId.js';

/** Options of {@link DirectorySigner}. */
export interface DirectorySignerOptions {
  /** The cluster operator's PKCS#8 PEM private key (ES256); readers pin its public half. */
  privateKeyPem: string;
  /** Validity of each signed document, default 300 s, at most 3600. */
  ttlSeconds?: number;
  /** The clock (tests). */
  clock?: () => Date;
}

/**
 * Signs the registry's directory with the operator's key, once per directory and
 * half-lifetime: every reader of a refresh gets the same document, re-signed as it ages or
 * as soon as the directory changes. Each new document's `iat` is strictly greater than the
 * last one's, so that readers can refuse any older document (rollback) without refusing a
 * change made within the same second.
 * @example const signer = new DirectorySigner({ privateKeyPem }); res.end(signer.documentFor(source.current()));
 */
export class DirectorySigner {
  /** The operator key's id (RFC 7638 thumbprint), the `kid` of every document. */
  readonly kid: string;
  /** The audience of the reader tokens this registry accepts. */
  readonly audience: string;
  readonly #privateKeyPem: string;
  readonly #ttlSeconds: number;
  readonly #clock: () => Date;
  #last: { directory: Directory; text: string; iat: number } | undefined;

  constructor(options: DirectorySignerOptions) {
    const ttl = options.ttlSeconds ?? DEFAULT_DIRECTORY_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < 2 || ttl > MAX_DIRECTORY_TTL_SECONDS) {
      throw new Error(`DirectorySigner: ttlSeconds must be an integer in 2..${MAX_DIRECTORY_TTL_SECONDS}`);
    }
    try {
      this.kid = keyId(createPrivateKey(options.privateKeyPem));
    } catch {
      throw new Error("DirectorySigner: the operator's key is not an ES256 (EC P-256) PEM private key");
    }
    this.audience = directoryAudience(this.kid);
    this.#privateKeyPem = options.privateKeyPem;
    this.#ttlSeconds = ttl;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** The signed document of `directory`: the cached one while it is the same directory and younger than half its lifetime. */
  documentFor(directory: Directory): string {
    const now = Math.floor(this.#clock().getTime() / 1000);
    const last = this.#last;
    if (last && last.directory === directory && now - last.iat < this.#ttlSeconds / 2) return last.text;
    const iat = last ? Math.max(now, last.iat + 1) : now;
    const text = signDirectory(directory, { privateKeyPem: this.#privateKeyPem, ttlSeconds: this.#ttlSeconds, issuedAt: iat });
    this.#last = { directory, text, iat };
    return text;
  }
}
