/**
 * A per-gateway cache of gateway credentials, keyed by the hash of the user token.
 */
import { MAX_GATEWAY_CREDENTIAL_TTL_SECONDS, signGatewayCredential, userTokenHash } from './gatewayCredential.js';

/** Options of {@link GatewayCredentialIssuer}. */
export interface GatewayCredentialIssuerOptions {
  privateKeyPem: string;
  issuer: string;
  audience: string;
  /** Lifetime of each credential in seconds. Default 60. */
  ttlSeconds?: number;
  gatewayId?: string;
  /** Most credentials kept; the oldest is evicted first. Default 10,000. */
  maxEntries?: number;
  /** The clock (tests). Default `() => new Date()`. */
  clock?: () => Date;
}

/**
 * Signs gateway credentials and reuses the one for a given user token until half its
 * lifetime has passed, so that a burst of subgraph fetches for one request signs once.
 * Keys the cache by the token's hash, never by the token itself.
 *
 * @example
 * ```ts
 * const credentials = new GatewayCredentialIssuer({ privateKeyPem, issuer, audience });
 * headers[GATEWAY_CREDENTIAL_HEADER] = credentials.credentialFor(userToken);
 * ```
 */
export class GatewayCredentialIssuer {
  readonly #options: GatewayCredentialIssuerOptions;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => Date;
  /** uth → credential and when it was signed (ms); insertion order = age order. */
  readonly #cache = new Map<string, { credential: string; issuedAtMs: number }>();

  constructor(options: GatewayCredentialIssuerOptions) {
    this.#options = options;
    const ttlSeconds = options.ttlSeconds ?? 60;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_GATEWAY_CREDENTIAL_TTL_SECONDS) {
      throw new Error(`GatewayCredentialIssuer: ttlSeconds must be an integer in 1..${MAX_GATEWAY_CREDENTIAL_TTL_SECONDS}`);
    }
    this.#ttlMs = ttlSeconds * 1000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new Error('GatewayCredentialIssuer: maxEntries must be a positive integer');
    }
    this.#clock = options.clock ?? (() => new Date());
  }

  /**
   * The credential to send with this user token: a cached one if it is less than half
   * its lifetime old, else a freshly signed one.
   *
   * @example
   * ```ts
   * credentials.credentialFor(token) === credentials.credentialFor(token); // true, within TTL/2
   * ```
   */
  credentialFor(userToken: string): string {
    const now = this.#clock();
    const key = userTokenHash(userToken);
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      if (now.getTime() - cached.issuedAtMs < this.#ttlMs / 2) return cached.credential;
      this.#cache.delete(key);
    }
    const { clock: _clock, maxEntries: _maxEntries, ...signOptions } = this.#options;
    const credential = signGatewayCredential({ ...signOptions, userToken, now });
    while (this.#cache.size >= this.#maxEntries) {
      const oldest = this.#cache.keys().next();
      if (oldest.done === true) break;
      this.#cache.delete(oldest.value);
    }
    // Signing truncates to whole seconds: age the entry from the `iat` it carries.
    this.#cache.set(key, { credential, issuedAtMs: Math.floor(now.getTime() / 1000) * 1000 });
    return credential;
  }

  /** How many credentials are cached. */
  get size(): number {
    return this.#cache.size;
  }
}
