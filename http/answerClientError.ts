import type { Duplex } from 'node:stream';

/** Node's parser error code → status, reason phrase, our error code, message. */
const ANSWERS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'REQUEST_TOO_LARGE', 'The request headers are too large.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'REQUEST_TOO_LARGE', 'The request chunk extensions are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request took too long to arrive.'],
};

/**
 * `clientError` handler of a node:http server: a request that Node cannot parse (headers
 * over the size limit, a broken request line, bad chunked encoding) gets the same JSON error
 * shape as every other refusal (`{ errors: [{ message, extensions: { code } }] }`) instead of
 * Node's empty body, then the connection closes.
 * @example httpServer.on('clientError', answerClientError);
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] = ANSWERS[err.code ?? ''] ?? [400, 'Bad Request', 'BAD_REQUEST', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
