import type { RateLimit } from './limitsConfig.js';
import { limitError } from './limitError.js';
import { RateLimiter } from './rateLimiter.js';

export interface WithRateLimitOptions<TContext> {
  /** The budget per key; `false`: no rate limit (the context is returned as it is). */
  rateLimit: RateLimit | false;
  /** The key of a verified context: the caller's firm. */
  keyOf(context: TContext): string;
  /** Shares one limiter between endpoints (a firm's `/firm` and `/links`); default a new one. */
  limiter?: RateLimiter;
  /** Called on each refusal (metrics). */
  onLimited?(key: string): void;
}

/**
 * Wraps a context function (which verifies the caller) with a rate limit per caller: once
 * the caller's firm has spent its budget, the request is refused before any parsing or
 * fetch with HTTP 429, a `Retry-After` header (seconds) and `extensions.code` `RATE_LIMITED`.
 * Verification comes first, so the key is a verified firm, never a claim.
 *
 * @example
 * graphqlRoute('/graphql', server, withRateLimit(async (req) => gatewayContext(req, dir), {
 *   rateLimit: { requestsPerSecond: 50, burst: 100 }, keyOf: (ctx) => ctx.caller.firmId }));
 */
export function withRateLimit<TArgs extends unknown[], TContext>(
  context: (...args: TArgs) => Promise<TContext>,
  options: WithRateLimitOptions<TContext>,
): (...args: TArgs) => Promise<TContext> {
  const { rateLimit } = options;
  if (rateLimit === false) return context;
  const limiter = options.limiter ?? new RateLimiter(rateLimit);
  return async (...args) => {
    const value = await context(...args);
    const key = options.keyOf(value);
    const decision = limiter.take(key);
    if (decision.allowed) return value;
    options.onLimited?.(key);
    const seconds = decision.retryAfterSeconds;
    throw limitError(
      'RATE_LIMITED',
      `Too many requests from firm ${key}: the limit (rateLimit) is ${rateLimit.requestsPerSecond} per second in bursts of ${rateLimit.burst}; retry after ${seconds} s.`,
      { limit: rateLimit.requestsPerSecond, status: 429, headers: { 'retry-after': String(seconds) }, extensions: { retryAfterSeconds: seconds } },
    );
  };
}
