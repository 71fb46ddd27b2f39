import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256Hex } from '../../subgraphs/firm/accessLog/hashEntry.js';

/** One request that went through a {@link startRecordingProxy}, and what came back. */
export interface ProxyExchange {
  path: string;
  /** sha256 of the GraphQL query text: the firm's access log entry carries the same `operationHash`. */
  operationHash: string;
  /** Epoch ms when the request arrived / when the upstream's answer was passed on (or failed). */
  receivedAt: number;
  answeredAt: number;
  /** The upstream's HTTP status; undefined when it gave no answer (the client's connection was cut). */
  status: number | undefined;
  /**
   * The answer carried the firm's data: some non-null field value under `data` other than
   * `__typename` and other than an echo of the request's variables (the `links` subgraph
   * answers `LotRef.lot` with the very keys it was sent, which tells the caller nothing).
   */
  dataBearing: boolean;
  /** The request as it arrived: its headers and body (to replay it elsewhere, as a member could). */
  request: { headers: Record<string, string>; body: string };
}

export interface RecordingProxy {
  url: string;
  exchanges: ProxyExchange[];
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Wait this long before forwarding (a slow firm). Default 0. */
  delayMs?: number;
  /** Awaited before each request is forwarded, e.g. to kill the firm while the request is in flight. */
  beforeForward?(path: string): void | Promise<void>;
}

/**
 * True when a GraphQL `data` value holds at least one non-null field value other than
 * `__typename`, and other than the scalar values in `sent` (what the caller sent: echoes).
 * @example carriesData({ _entities: [{ lot: { firmId: 'a', lotId: '1' } }] }, { representations: [{ firmId: 'a', lotId: '1' }] }); // false
 */
export function carriesData(value: unknown, sent?: unknown): boolean {
  const echoes = new Set<string>();
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
    else if (v !== null && v !== undefined) echoes.add(JSON.stringify(v));
  };
  collect(sent);
  const has = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(has);
    if (v === null || v === undefined) return false;
    if (typeof v !== 'object') return !echoes.has(JSON.stringify(v));
    return Object.entries(v as Record<string, unknown>).some(([key, inner]) => key !== '__typename' && has(inner));
  };
  return has(value);
}

/**
 * An HTTP proxy on port 0 in front of a firm's subgraph server (`target`, its base URL):
 * forwards each request, buffers the answer, records whether it carried data, and passes
 * it on. When the firm is down the client's connection is cut, as the firm's own would be.
 * Counts exactly what the gateway sent to the firm and what the firm let out.
 * @example const proxy = await startRecordingProxy(firm.server.url); ... proxy.exchanges.filter((e) => e.dataBearing)
 */
export async function startRecordingProxy(target: string, options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const base = new URL(target);
  const exchanges: ProxyExchange[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const receivedAt = Date.now();
        const body = Buffer.concat(chunks);
        let query = '';
        let variables: unknown;
        try {
          const parsed = JSON.parse(body.toString('utf8')) as { query?: unknown; variables?: unknown };
          query = String(parsed.query ?? '');
          variables = parsed.variables;
        } catch {
          // not JSON: recorded with the hash of an empty query
        }
        const exchange: ProxyExchange = {
          path: req.url ?? '/',
          operationHash: sha256Hex(query),
          receivedAt,
          answeredAt: receivedAt,
          status: undefined,
          dataBearing: false,
          request: {
            headers: Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : []))),
            body: body.toString('utf8'),
          },
        };
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        await options.beforeForward?.(exchange.path);
        const upstream = request(
          { host: base.hostname, port: base.port, path: req.url, method: req.method, headers: req.headers },
          (up) => {
            const parts: Buffer[] = [];
            up.on('data', (c: Buffer) => parts.push(c));
            // Cut mid-answer (the firm was killed): the client's connection is cut too.
            const cut = (): void => {
              if (exchanges.includes(exchange)) return;
              exchange.answeredAt = Date.now();
              exchanges.push(exchange);
              res.destroy();
            };
            up.on('error', cut);
            up.on('close', () => {
              if (!up.complete) cut();
            });
            up.on('end', () => {
              const text = Buffer.concat(parts);
              try {
                exchange.dataBearing = carriesData((JSON.parse(text.toString('utf8')) as { data?: unknown }).data, variables);
              } catch {
                exchange.dataBearing = false;
              }
              exchange.status = up.statusCode;
              exchange.answeredAt = Date.now();
              exchanges.push(exchange);
              if (res.destroyed) return;
              res.writeHead(up.statusCode ?? 502, up.headers);
              res.end(text);
            });
          },
        );
        upstream.on('error', () => {
          if (exchanges.includes(exchange)) return;
          exchange.answeredAt = Date.now();
          exchanges.push(exchange);
          res.destroy();
        });
        upstream.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
