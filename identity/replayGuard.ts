/**
 * Remembers the single-use ids (`jti`) a server has accepted, until they expire, so that a
 * credential is accepted once: a request captured on the way (or a member that received one)
 * cannot be played again. Bounded: past `maxEntries` live ids, new ones are refused rather
 * than old ones forgotten (forgetting would re-open a replay window), so a flood costs the
 * flooder, not the guarantee. One guard per server process; a firm scaled out behind a load
 * balancer keeps one per instance (a credential then is single-use per instance, and still
 * bound to its firm, user, request and minute).
 * @example const guard = new ReplayGuard(); guard.firstUse(jti, exp) // true, then false
 */
export class ReplayGuard {
  /** id → expiry (seconds since the epoch); insertion order ≈ expiry order. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 200_000) {}

  /** True the first time an id is offered before it expires; false when seen before (or the guard is full). */
  firstUse(id: string, exp: number, now: Date = new Date()): boolean {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    this.dropExpiredOldest(nowSeconds);
    if (this.seen.has(id)) return false;
    if (this.seen.size >= this.maxEntries) this.prune(nowSeconds);
    if (this.seen.size >= this.maxEntries) return false;
    this.seen.set(id, exp);
    return true;
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.seen.size;
  }

  /** Forgets the oldest ids while they have expired (a few per call: amortized, no timer). */
  private dropExpiredOldest(nowSeconds: number): void {
    for (let i = 0; i < 8; i += 1) {
      const oldest = this.seen.entries().next();
      if (oldest.done === true || oldest.value[1] >= nowSeconds) return;
      this.seen.delete(oldest.value[0]);
    }
  }

  private prune(nowSeconds: number): void {
    for (const [id, exp] of this.seen) if (exp < nowSeconds) this.seen.delete(id);
  }
}
