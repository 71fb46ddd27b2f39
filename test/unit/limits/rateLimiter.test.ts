import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../limits/rateLimiter.js';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('RateLimiter (token bucket per caller firm)', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const c = clock();
    const limiter = new RateLimiter({ requestsPerSecond: 2, burst: 3, now: c.now });
    expect([1, 2, 3].map(() => limiter.take('skyframe').allowed)).toEqual([true, true, true]);
    expect(limiter.take('skyframe')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    c.advance(499);
    expect(limiter.take('skyframe').allowed).toBe(false);
    c.advance(1);
    expect(limiter.take('skyframe').allowed).toBe(true);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    const c = clock();
    const slow = new RateLimiter({ requestsPerSecond: 0.1, burst: 1, now: c.now });
    slow.take('a');
    expect(slow.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    c.advance(9_500);
    expect(slow.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('keeps one bucket per key: one firm cannot spend another one’s budget', () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1, now: clock().now });
    expect(limiter.take('alumill').allowed).toBe(true);
    expect(limiter.take('alumill').allowed).toBe(false);
    expect(limiter.take('skyframe').allowed).toBe(true);
  });

  it('refills up to the burst, never beyond', () => {
    const c = clock();
    const limiter = new RateLimiter({ requestsPerSecond: 10, burst: 5, now: c.now });
    limiter.take('a');
    c.advance(3_600_000);
    const allowed = Array.from({ length: 8 }, () => limiter.take('a').allowed).filter(Boolean).length;
    expect(allowed).toBe(5);
  });

  it('admits at most burst + rate × elapsed over any schedule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        const c = clock();
        const limiter = new RateLimiter({ requestsPerSecond: 5, burst: 4, now: c.now });
        let admitted = 0;
        for (const gap of gaps) {
          c.advance(gap);
          if (limiter.take('k').allowed) admitted += 1;
        }
        const elapsed = gaps.reduce((a, b) => a + b, 0) / 1000;
        expect(admitted).toBeLessThanOrEqual(4 + Math.floor(5 * elapsed + 1e-9));
      }),
    );
  });

  it('stays bounded in memory: idle (refilled) buckets are forgotten first', () => {
    const c = clock();
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1, now: c.now, maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) limiter.take(k);
    c.advance(5_000);
    limiter.take('d');
    expect(limiter.size).toBeLessThanOrEqual(3);
    for (let i = 0; i < 100; i += 1) limiter.take(`k${i}`);
    expect(limiter.size).toBeLessThanOrEqual(3);
  });

  it('refuses nonsense budgets', () => {
    expect(() => new RateLimiter({ requestsPerSecond: 0, burst: 1 })).toThrow(/requestsPerSecond/);
    expect(() => new RateLimiter({ requestsPerSecond: 1, burst: 0 })).toThrow(/burst/);
  });
});
