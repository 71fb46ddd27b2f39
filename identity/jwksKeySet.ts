/**
 * The keys of an identity provider's JSON Web Key Set, as one verifier holds them: the whole
 * set, fetched (identity/fetchJwks.ts: jwks-rsa) and cached for `cacheSeconds`, fetched again
 * when a token names a `kid` the set does not have (a rotated-in key, at most once per
 * `minRefreshSeconds`), and replaced whole by each fetch, so a key the provider removed is
 * refused from the next fetch on. While the endpoint fails, the last good set stays in use for
 * `maxStaleSeconds` more; after that every token of the issuer is refused as unverifiable.
 * The clock and the fetch are injected; no timer runs: a fetch happens on a token's demand.
 */
import type { KeyObject } from 'node:crypto';
import type { IdentityProviderAlgorithm } from '../cluster/directory.js';

/** Where the set is and how long its copy is good. */
export interface JwksSettings {
  uri: string;
  cacheSeconds: number;
  maxStaleSeconds: number;
  minRefreshSeconds: number;
}

/** A usable public key of the set: RS256 (RSA, 2048 bits at least) or ES256 (P-256). */
export interface JwksKey {
  /** The provider's key id, when it names one. */
  kid: string | undefined;
  alg: IdentityProviderAlgorithm;
  key: KeyObject;
}

/** Fetches the set; throws when the endpoint fails or answers no usable set. */
export type FetchJwks = (uri: string) => Promise<JwksKey[]>;

/** The keys for a token, or why there are none. */
export type JwksLookup =
  | { ok: true; keys: readonly JwksKey[]; generation: number }
  | { ok: false; reason: 'unavailable' | 'unknown-kid'; message: string };

export interface JwksKeySetOptions {
  fetch: FetchJwks;
  /** Milliseconds since the epoch (tests). Default Date.now. */
  now?: () => number;
  /** Where failures are reported (once per outage). Default console.error. */
  log?: (line: string) => void;
}

/**
 * One identity provider's key set, cached.
 *
 * @example
 * ```ts
 * const set = new JwksKeySet({ uri, cacheSeconds: 600, maxStaleSeconds: 3600, minRefreshSeconds: 10 }, { fetch: fetchJwks });
 * const found = await set.lookup(header.kid);
 * if (!found.ok) throw new AuthError(found.reason === 'unavailable' ? 'ISSUER_KEYS_UNAVAILABLE' : 'TOKEN_INVALID');
 * ```
 */
export class JwksKeySet {
  readonly #settings: JwksSettings;
  readonly #fetch: FetchJwks;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  #keys: readonly JwksKey[] | undefined;
  #fetchedAt = 0;
  #lastAttemptAt: number | undefined;
  #lastError: string | undefined;
  #generation = 0;
  #inFlight: Promise<boolean> | undefined;

  constructor(settings: JwksSettings, options: JwksKeySetOptions) {
    this.#settings = settings;
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((line) => console.error(line));
  }

  /** The set's settings. */
  get settings(): JwksSettings {
    return this.#settings;
  }

  /**
   * The keys that may have signed a token whose header names `kid` (all of them when it names
   * none). Fetches first when the copy is older than `cacheSeconds`, or when no key has this kid
   * (each at most once per `minRefreshSeconds`). `generation` changes whenever the set does.
   */
  async lookup(kid: string | undefined): Promise<JwksLookup> {
    // Whether this call fetched, and with what outcome.
    let fetched: boolean | undefined;
    if ((this.#keys === undefined || this.#age() >= this.#settings.cacheSeconds * 1000) && this.#mayAttempt()) fetched = await this.#refresh();
    const usable = this.#usable();
    if (!usable.ok) return usable;
    let keys = this.#candidates(kid);
    if (keys.length === 0 && kid !== undefined) {
      if (fetched === undefined && this.#mayAttempt()) {
        fetched = await this.#refresh();
        keys = this.#candidates(kid);
      }
      // A kid not seen yet while the endpoint fails may be a rotated-in key: unverifiable, not invalid.
      if (keys.length === 0 && this.#lastError !== undefined) return this.#unavailable();
    }
    if (keys.length === 0) {
      return { ok: false, reason: 'unknown-kid', message: kid === undefined ? 'the issuer publishes no key' : "no key of the issuer's key set has this kid" };
    }
    return { ok: true, keys, generation: this.#generation };
  }

  #candidates(kid: string | undefined): readonly JwksKey[] {
    const keys = this.#keys ?? [];
    return kid === undefined ? keys : keys.filter((k) => k.kid === kid);
  }

  #age(): number {
    return this.#now() - this.#fetchedAt;
  }

  #mayAttempt(): boolean {
    return this.#lastAttemptAt === undefined || this.#now() - this.#lastAttemptAt >= this.#settings.minRefreshSeconds * 1000;
  }

  /** Whether the copy may be used: fetched once, and not older than cacheSeconds + maxStaleSeconds. */
  #usable(): { ok: true } | Extract<JwksLookup, { ok: false }> {
    if (this.#keys === undefined) return this.#unavailable();
    if (this.#age() >= (this.#settings.cacheSeconds + this.#settings.maxStaleSeconds) * 1000) return this.#unavailable();
    return { ok: true };
  }

  #unavailable(): Extract<JwksLookup, { ok: false }> {
    const since = this.#keys === undefined ? 'no key set was fetched yet' : `the last good key set is ${Math.floor(this.#age() / 1000)} s old`;
    return { ok: false, reason: 'unavailable', message: `the keys of the token's issuer cannot be fetched (${since}); try again later` };
  }

  /** Fetches the set once (concurrent callers share the fetch); whether it succeeded. */
  #refresh(): Promise<boolean> {
    this.#inFlight ??= this.#doRefresh().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #doRefresh(): Promise<boolean> {
    this.#lastAttemptAt = this.#now();
    try {
      const keys = await this.#fetch(this.#settings.uri);
      if (fingerprint(keys) !== fingerprint(this.#keys ?? [])) this.#generation += 1;
      this.#keys = Object.freeze([...keys]);
      this.#fetchedAt = this.#now();
      if (this.#lastError !== undefined) this.#log(`jwks ${this.#settings.uri}: fetched again`);
      this.#lastError = undefined;
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.#lastError === undefined) {
        const keep = this.#keys === undefined ? 'no key set yet' : `the last good key set stays in use for up to ${this.#settings.cacheSeconds + this.#settings.maxStaleSeconds} s after its fetch`;
        this.#log(`jwks ${this.#settings.uri}: cannot fetch the key set (${message}); ${keep}`);
      }
      this.#lastError = message;
      return false;
    }
  }
}

function fingerprint(keys: readonly JwksKey[]): string {
  return keys.map((k) => `${k.kid ?? ''}/${k.alg}/${k.key.export({ type: 'spki', format: 'der' }).toString('base64')}`).sort().join(',');
}

/**
 * The algorithm a public key verifies, among those accepted from identity providers.
 * @example algorithmOf(createPublicKey(rsaPem)); // 'RS256'
 */
export function algorithmOf(key: KeyObject): IdentityProviderAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}
