import type { FirmDb } from '../db/firmDb.js';
import { isExclusive } from '../db/exclusiveDatabase.js';

/** What the cache keeps per holder: the ACTIVE agreements that had not ended when loaded. */
export interface HeldAgreement {
  validFrom: Date;
  validUntil: Date;
}

const caches = new WeakMap<FirmDb, Map<string, Promise<readonly HeldAgreement[]>>>();

/**
 * The ACTIVE agreements of a holder, read once and kept while nothing changes them, on a
 * database only this process writes (embedded PGlite, see exclusiveDatabase.ts); `load` runs
 * every time on a shared one (PostgreSQL). Every write of this process to the agreements
 * calls {@link agreementsChanged} once it is committed, which drops the cache: a
 * revocation acts on the next request, as with a read per request. Requests that began
 * before the revocation committed may still use the agreement, exactly as they would with
 * a read per request. The caller filters by its own instant (`validFrom ≤ now < validUntil`).
 * @example const held = await heldAgreements(db, 'avionix', () => loadHeldAgreements(db, 'avionix', now));
 */
export function heldAgreements<T extends HeldAgreement>(db: FirmDb, holderId: string, load: () => Promise<T[]>): Promise<readonly T[]> {
  if (!isExclusive(db)) return load();
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const known = cache.get(holderId) as Promise<readonly T[]> | undefined;
  if (known) return known;
  const loading = load();
  cache.set(holderId, loading);
  // A failed read is not kept: the next request reads again.
  loading.catch(() => {
    if (cache.get(holderId) === loading) cache.delete(holderId);
  });
  return loading;
}

/**
 * Drops what {@link heldAgreements} keeps for `db`: call after every committed write to
 * its agreements (grant, revocation). A read still in flight is dropped too; the requests
 * already waiting on it began before the write.
 */
export function agreementsChanged(db: FirmDb): void {
  caches.get(db)?.clear();
}
