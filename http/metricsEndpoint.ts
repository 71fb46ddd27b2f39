/**
 * Who may read a server's `GET /metrics` (per-firm counters: who asks how much, refusals,
 * circuits). `/health` stays open; `/metrics` is served to a scraper that sends the configured
 * bearer token, or on a separate listener, or, when neither is configured, to local callers only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bearerToken } from '../identity/userToken.js';

/** How `GET /metrics` is guarded (configuration key `metrics`). */
export interface MetricsEndpoint {
  /** The scrape credential: a scraper must send `authorization: Bearer <token>` (compared in constant time). */
  token?: string;
  /**
   * Serve `/metrics` on its own listener (with the server's TLS, if any), not on the server's
   * port. Without a token, whoever reaches this address may scrape: bind it to a private interface.
   */
  listen?: { host?: string; port: number };
}

/** A refused scrape: status, stable code, message and headers of the answer. */
export interface ScrapeRefusal {
  status: 401 | 403;
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  message: string;
  headers: Record<string, string>;
}

/** What the decision needs of a request. */
export interface ScrapeRequest {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string | undefined };
}

/** Headers that say a proxy forwarded the request: its peer address is then the proxy's, not the caller's. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Whether a scrape is refused, and how; undefined when it may read the metrics.
 * - a token is configured: the request must carry it as a bearer token (401 otherwise);
 * - no token, a separate listener: whoever reaches it (the operator chose its address);
 * - neither: a caller on the loopback interface only, not forwarded by a proxy (403 otherwise).
 * @example const refusal = scrapeRefusal(req, { token }); if (refusal) sendGraphQLError(res, refusal.status, refusal.code, refusal.message, refusal.headers);
 */
export function scrapeRefusal(req: ScrapeRequest, endpoint: MetricsEndpoint | undefined): ScrapeRefusal | undefined {
  if (endpoint?.token !== undefined) {
    const header = req.headers.authorization;
    const sent = bearerToken(Array.isArray(header) ? header[0] : header);
    if (sent !== undefined && sameSecret(sent, endpoint.token)) return undefined;
    return {
      status: 401,
      code: 'UNAUTHENTICATED',
      message: 'GET /metrics requires the scrape credential: send it as a bearer token.',
      headers: { 'www-authenticate': 'Bearer realm="metrics"' },
    };
  }
  if (endpoint?.listen) return undefined;
  const forwarded = FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);
  if (!forwarded && isLoopback(req.socket.remoteAddress)) return undefined;
  return {
    status: 403,
    code: 'FORBIDDEN',
    message: 'GET /metrics answers local callers only; configure metrics.tokenFile (a scrape credential) or metrics.listen to scrape from elsewhere.',
    headers: {},
  };
}

/**
 * Whether an address is on the loopback interface (127.0.0.0/8, ::1, or either mapped in IPv6).
 * @example isLoopback('::ffff:127.0.0.1'); // true
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Compares two secrets in constant time (their SHA-256 digests, so that lengths leak nothing either).
 * @example sameSecret(sent, configured); // true or false, in the same time
 */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
