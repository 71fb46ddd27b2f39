import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { answerClientError } from './answerClientError.js';
import { answerBodyTooLarge, BodyTooLarge, readBody } from './readBody.js';
import { sendGraphQLError, sendJson } from './jsonResponse.js';
import type { Metrics } from './metrics.js';
import { scrapeRefusal, type MetricsEndpoint } from './metricsEndpoint.js';
import type { RawRequest } from './rawRequest.js';
import type { TlsCredentials } from './tlsCredentials.js';

export type { RawRequest } from './rawRequest.js';
export { BodyTooLarge, readBody } from './readBody.js';

/** A GraphQL endpoint at a path; build it with {@link graphqlRoute}. */
export interface GraphQLRoute {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, search: string, maxBodyBytes: number): Promise<void>;
}

/**
 * Serves an Apollo Server at a path. `context` builds the per-request context (from the
 * request and its raw bytes); throwing a GraphQLError with `extensions.http.status` answers
 * with that status.
 * @example graphqlRoute('/graphql', server, async (req, raw) => ({ caller: await verify(req, raw) }))
 */
export function graphqlRoute<TContext extends BaseContext>(
  path: string,
  server: ApolloServer<TContext>,
  context: (req: IncomingMessage, raw: RawRequest) => Promise<TContext>,
): GraphQLRoute {
  return { path, handle: (req, res, search, max) => handleGraphQL(server, context, req, res, search, max) };
}

/** A plain handler for a GET path (health, directory, policy). */
export type GetHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  /** Name reported by `GET /health`. */
  service: string;
  routes: GraphQLRoute[];
  get?: Record<string, GetHandler>;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Largest request body accepted, default 1 MiB. */
  maxBodyBytes?: number;
  /** How much of a refused body is read and discarded before the 413 (http/readBody.ts), default 64 MiB. */
  maxDrainBytes?: number;
  /** Extra fields for `GET /health`. */
  health?: () => Record<string, unknown>;
  /** Listen with TLS (https://): the certificate and key, PEM. Default plain HTTP. */
  tls?: TlsCredentials;
  /** Counters served at `GET /metrics`, guarded by `metricsEndpoint` (http/metricsEndpoint.ts). */
  metrics?: Metrics;
  /** Who may scrape `/metrics`: a bearer token, a separate listener; default local callers only. */
  metricsEndpoint?: MetricsEndpoint;
}

export interface RunningHttpServer {
  /** `http://host:port`, or `https://` with TLS. */
  url: string;
  port: number;
  /** The base URL of the separate metrics listener (`metricsEndpoint.listen`), when there is one. */
  metricsUrl?: string;
  close(): Promise<void>;
}

function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function handleGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  context: (req: IncomingMessage, raw: RawRequest) => Promise<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
  maxBodyBytes: number,
): Promise<void> {
  let body: unknown;
  const method = (req.method ?? 'GET').toUpperCase();
  let text = '';
  if (req.method === 'POST') {
    text = await readBody(req, maxBodyBytes);
    const type = req.headers['content-type'] ?? '';
    if (type.includes('json')) {
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        sendGraphQLError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON.');
        return;
      }
    } else {
      body = text;
    }
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers: headerMap(req), search, body },
    context: () => context(req, { method, body: text, search }),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Serves the metrics to a scraper that may read them (http/metricsEndpoint.ts). */
function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics, endpoint: MetricsEndpoint | undefined): void {
  const refusal = scrapeRefusal(req, endpoint);
  if (refusal) {
    sendGraphQLError(res, refusal.status, refusal.code, refusal.message, refusal.headers);
    return;
  }
  metrics.serve(req, res);
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts a node:http server (node:https with `tls`) for one or more Apollo Servers, with
 * `GET /health`, `GET /metrics` for those who may scrape it, a body size limit and JSON errors
 * with stable codes for bad HTTP input.
 * @example const s = await startHttpServer({ service: 'registry', routes: [graphqlRoute('/graphql', server, context)] });
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  if (options.get?.['/metrics']) throw new Error('startHttpServer: serve /metrics with the metrics option, which guards it');
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const routes = new Map(options.routes.map((r) => [r.path, r]));
  const started = Date.now();
  const { metrics, metricsEndpoint } = options;
  const metricsHere = metrics !== undefined && metricsEndpoint?.listen === undefined;
  const create = (listener: RequestListener): Server => {
    // Node's defaults: TLS 1.2 at least, its cipher list; the certificate chain as given.
    const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, listener) : createServer(listener);
    server.keepAliveTimeout = 65_000;
    // A plain-HTTP request to a TLS port fails the handshake: the connection is closed, nothing answered.
    server.on('clientError', answerClientError);
    return server;
  };
  const httpServer = create((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const route = routes.get(url.pathname);
    const run = async (): Promise<void> => {
      if (route) {
        await route.handle(req, res, url.search, maxBodyBytes);
        return;
      }
      if (req.method === 'GET' && url.pathname === '/health') {
        sendJson(res, 200, { status: 'ok', service: options.service, uptimeMs: Date.now() - started, ...options.health?.() });
        return;
      }
      if (req.method === 'GET' && url.pathname === '/metrics' && metricsHere) {
        serveMetrics(req, res, metrics, metricsEndpoint);
        return;
      }
      const handler = req.method === 'GET' ? options.get?.[url.pathname] : undefined;
      if (handler) {
        await handler(req, res);
        return;
      }
      sendGraphQLError(res, 404, 'NOT_FOUND', `No endpoint at ${url.pathname}.`);
    };
    run().catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof BodyTooLarge) {
        answerBodyTooLarge(req, res, maxBodyBytes, options.maxDrainBytes);
        return;
      }
      sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
    });
  });
  const scheme = options.tls ? 'https' : 'http';
  const urlOf = (host: string | undefined, port: number): string => `${scheme}://${host && host !== '0.0.0.0' ? host : '127.0.0.1'}:${port}`;
  const port = await listen(httpServer, options.port ?? 0, options.host ?? '127.0.0.1');
  const servers = [httpServer];
  let metricsUrl: string | undefined;
  if (metrics && metricsEndpoint?.listen) {
    const { host = '127.0.0.1', port: metricsPort } = metricsEndpoint.listen;
    const metricsServer = create((req, res) => {
      if (req.method === 'GET' && new URL(req.url ?? '/', 'http://local').pathname === '/metrics') serveMetrics(req, res, metrics, metricsEndpoint);
      else sendGraphQLError(res, 404, 'NOT_FOUND', 'This listener serves GET /metrics only.');
    });
    try {
      metricsUrl = urlOf(host, await listen(metricsServer, metricsPort, host));
    } catch (error) {
      await closeServer(httpServer);
      throw error;
    }
    servers.push(metricsServer);
  }
  return {
    url: urlOf(options.host, port),
    port,
    ...(metricsUrl === undefined ? {} : { metricsUrl }),
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}
