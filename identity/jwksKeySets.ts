import { fetchJwks } from './fetchJwks.js';
import { JwksKeySet, type JwksSettings } from './jwksKeySet.js';

/** At most this many key sets are kept (a directory names a few identity providers). */
const MAX_SETS = 256;
const shared = new Map<string, JwksKeySet>();

/**
 * The process's key set for these settings, kept across directory refreshes: each new
 * directory builds a new trust list, and the cache of an identity provider's keys must outlive
 * it. The same URI with other settings (an operator's edit) is another set.
 * @example const keys = sharedJwksKeySet({ uri, cacheSeconds: 600, maxStaleSeconds: 3600, minRefreshSeconds: 10 });
 */
export function sharedJwksKeySet(settings: JwksSettings): JwksKeySet {
  const key = JSON.stringify([settings.uri, settings.cacheSeconds, settings.maxStaleSeconds, settings.minRefreshSeconds]);
  let set = shared.get(key);
  if (!set) {
    if (shared.size >= MAX_SETS) {
      const oldest = shared.keys().next();
      if (!oldest.done) shared.delete(oldest.value);
    }
    set = new JwksKeySet(settings, { fetch: fetchJwks });
    shared.set(key, set);
  }
  return set;
}
