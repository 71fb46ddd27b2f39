import type { TrustList } from './trustList.js';

interface Entry<T> {
  value: T;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * Remembers tokens that verified, for as long as they are valid: an ES256 signature check
 * is the costliest step of every subgraph request, and the gateway sends the same user
 * token and credential to every firm of a query. A result is tied to the trust list it
 * was verified against (a new directory — a key removed — starts afresh) and to the exact
 * token text; only successes are kept, bounded in number (oldest out first).
 * @example const caller = cache.get(trust, key, now) ?? verifyAndRemember();
 */
export class VerifiedTokenCache<T> {
  private readonly byTrust = new WeakMap<TrustList, Map<string, Entry<T>>>();

  constructor(private readonly maxEntries = 10_000) {}

  get(trust: TrustList, key: string, nowSeconds: number): T | undefined {
    const entries = this.byTrust.get(trust);
    const hit = entries?.get(key);
    if (!hit) return undefined;
    if (hit.exp <= nowSeconds) {
      entries?.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(trust: TrustList, key: string, value: T, exp: number): void {
    let entries = this.byTrust.get(trust);
    if (!entries) {
      entries = new Map();
      this.byTrust.set(trust, entries);
    }
    if (entries.size >= this.maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(key, { value, exp });
  }
}
