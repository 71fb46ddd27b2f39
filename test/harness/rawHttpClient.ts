import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** One HTTP/1.1 response as read off the wire. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A keep-alive HTTP/1.1 connection driven by hand: what a plain client that writes everything, then reads, does. */
export interface RawHttpClient {
  /**
   * Writes `request` whole (headers and body) while reading nothing, then reads one response.
   * Rejects when the connection fails (a reset, a closed socket) before a whole response arrived.
   */
  exchange(request: Buffer | string): Promise<RawResponse>;
  /** Resolves when the server has closed the connection (or it failed). */
  readonly closed: Promise<void>;
  close(): void;
}

/**
 * Opens a connection to `127.0.0.1:port` (over TLS when `ca` is given, for 127.0.0.1).
 * @example const c = await rawHttpClient(port); const r = await c.exchange(postRequest('/echo', body));
 */
export async function rawHttpClient(port: number, options: { ca?: string } = {}): Promise<RawHttpClient> {
  const socket: Socket = options.ca ? connectTls({ port, host: '127.0.0.1', ca: options.ca }) : connectTcp(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once(options.ca ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  let buffer = Buffer.alloc(0);
  let failure: Error | undefined;
  let waiting: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    waiting?.();
  });
  socket.on('error', (error) => {
    failure = error;
    waiting?.();
  });
  socket.on('close', () => {
    failure ??= new Error('the server closed the connection');
    waiting?.();
  });

  const take = (): RawResponse | undefined => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < end + 4 + length) return undefined;
    const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    buffer = buffer.subarray(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  };

  const exchange = async (request: Buffer | string): Promise<RawResponse> => {
    socket.pause();
    await new Promise<void>((resolve, reject) => socket.write(request, (error) => (error ? reject(error) : resolve())));
    socket.resume();
    for (;;) {
      const response = take();
      if (response) return response;
      if (failure) throw failure;
      await new Promise<void>((resolve) => (waiting = resolve));
      waiting = undefined;
    }
  };
  return { exchange, closed, close: () => socket.destroy() };
}

/**
 * A POST request's bytes: with `content-length`, or chunked (`transfer-encoding: chunked`, 64 KiB chunks).
 * @example postRequest('/graphql', Buffer.alloc(5 * 1024 * 1024, 'a'), { chunked: true })
 */
export function postRequest(path: string, body: Buffer, options: { chunked?: boolean; headers?: Record<string, string> } = {}): Buffer {
  const extra = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const framing = options.chunked ? 'transfer-encoding: chunked' : `content-length: ${body.length}`;
  const head = Buffer.from(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${extra}${framing}\r\n\r\n`, 'latin1');
  if (!options.chunked) return Buffer.concat([head, body]);
  const parts: Buffer[] = [head];
  for (let at = 0; at < body.length; at += 65_536) {
    const chunk = body.subarray(at, at + 65_536);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk, Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from('0\r\n\r\n', 'latin1'));
  return Buffer.concat(parts);
}
