import type { RateLimit } from './limitsConfig.js';

/** The verdict on one request. */
export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiterOptions extends RateLimit {
  /** Milliseconds since some epoch; default `performance.now`. Tests pass a fake clock. */
  now?: () => number;
  /** Buckets kept at most; full (idle) buckets are dropped first. Default 10,000. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key (the caller's firm): each key may spend `burst` requests at once,
 * and earns `requestsPerSecond` back, up to `burst`. Pure but for the injected clock; one
 * instance per server, shared by its endpoints. Memory stays bounded: a bucket that has
 * refilled is the same as no bucket, so idle keys are forgotten when `maxKeys` is reached.
 *
 * @example
 * const limiter = new RateLimiter({ requestsPerSecond: 50, burst: 100 });
 * const d = limiter.take('skyframe');
 * if (!d.allowed) reply(429, { 'retry-after': String(d.retryAfterSeconds) });
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.requestsPerSecond > 0) || !(options.burst >= 1)) {
      throw new Error(`RateLimiter: requestsPerSecond must be > 0 and burst >= 1, got ${options.requestsPerSecond} and ${options.burst}`);
    }
    this.now = options.now ?? (() => performance.now());
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Spends one request of `key`'s budget, or says when the next one will be allowed. */
  take(key: string): RateDecision {
    const { requestsPerSecond } = this.options;
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.store(key, bucket);
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    this.store(key, bucket);
    const waitSeconds = (1 - bucket.tokens) / requestsPerSecond;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    const { requestsPerSecond, burst } = this.options;
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: burst, at: now };
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    return { tokens: Math.min(burst, bucket.tokens + elapsedSeconds * requestsPerSecond), at: now };
  }

  private store(key: string, bucket: Bucket): void {
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.evict(bucket.at);
    this.buckets.set(key, bucket);
  }

  /** Drops buckets that have refilled (no different from new ones), or else the oldest. */
  private evict(now: number): void {
    const { requestsPerSecond, burst } = this.options;
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * requestsPerSecond >= burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
  }
}
