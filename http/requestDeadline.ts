import type { IncomingHttpHeaders } from 'node:http';

/**
 * A client may ask for a shorter deadline than the gateway's own (`requestTimeoutMs`) with this
 * header, in milliseconds: a firm's traversal asking the gateway one step at a time keeps every
 * step inside the time its own caller gave it, so that a slow firm becomes that step's
 * `REQUEST_TIMEOUT` (a tombstone) rather than the whole traversal's. It can only shorten.
 */
export const DEADLINE_HEADER = 'x-dataspace-deadline-ms';

/**
 * The deadline of one request: the gateway's `requestTimeoutMs`, or the client's
 * {@link DEADLINE_HEADER} when it is a positive integer below it (anything else is ignored).
 * @example requestDeadlineMs({ 'x-dataspace-deadline-ms': '1500' }, 15_000) // 1500
 */
export function requestDeadlineMs(headers: IncomingHttpHeaders, requestTimeoutMs: number): number {
  const raw = headers[DEADLINE_HEADER];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isInteger(value) && value > 0 && value < requestTimeoutMs ? value : requestTimeoutMs;
}
