/**
 * Request bodies under a size limit, and the 413 of a body over it. A refused body is read to
 * its end and thrown away before the answer: a server that closes a connection with bytes of
 * the request still arriving makes its TCP stack send a reset, which can destroy the 413 in
 * the client's buffers before the client reads it (RFC 9112, section 9.6). Read to its end,
 * the connection also stays usable (keep-alive) for the client's next request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendGraphQLError } from './jsonResponse.js';

/** Thrown by {@link readBody} past the limit: the server answers 413 `REQUEST_TOO_LARGE` ({@link answerBodyTooLarge}). */
export class BodyTooLarge extends Error {}

/**
 * Default of how much of a refused body the server reads and discards before it answers 413.
 * A larger body (or a larger declared `content-length`) is answered at once with
 * `connection: close`, and such a client may see a reset instead of the answer.
 */
export const DEFAULT_MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Reads a request body as UTF-8, up to `limit` bytes. Past it (or when `content-length`
 * declares more), rejects with {@link BodyTooLarge} and leaves the rest of the body unread
 * (the request paused); a route's `handle` may let that propagate: the server answers 413.
 * @example const text = await readBody(req, 1024 * 1024);
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (declaredLength(req) > limit) {
      req.pause();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        // Keep the rest where it is: answerBodyTooLarge reads it to the end, then answers.
        stop();
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Answers 413 `REQUEST_TOO_LARGE` to a request whose body went over `limit`: first reads the
 * rest of the body (discarding it, at most `maxDrainBytes`), then answers, and the connection
 * stays open for the next request. A body declared or found larger than `maxDrainBytes` is
 * answered at once with `connection: close`. A client that goes away gets no answer.
 * @example if (err instanceof BodyTooLarge) answerBodyTooLarge(req, res, maxBodyBytes);
 */
export function answerBodyTooLarge(req: IncomingMessage, res: ServerResponse, limit: number, maxDrainBytes = DEFAULT_MAX_DRAIN_BYTES): void {
  const answer = (close: boolean): void => {
    if (res.headersSent || res.destroyed) return;
    sendGraphQLError(res, 413, 'REQUEST_TOO_LARGE', `The request body exceeds ${limit} bytes.`, close ? { connection: 'close' } : {});
  };
  if (req.readableEnded) return answer(false);
  if (declaredLength(req) > maxDrainBytes) return answer(true);
  let discarded = 0;
  const stop = (): void => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', stop);
    req.off('close', stop);
  };
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > maxDrainBytes) {
      stop();
      answer(true);
    }
  };
  const onEnd = (): void => {
    stop();
    answer(false);
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', stop);
  req.on('close', stop);
  req.resume();
}

/** The request's `content-length`, or 0 when it has none (chunked) or it is not a number. */
function declaredLength(req: IncomingMessage): number {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) ? declared : 0;
}
