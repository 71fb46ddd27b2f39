import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { answerClientError } from './answerClientError.js';
import { answerBodyTooLarge, BodyTooLarge, readBody } from './readBody.js';
import { sendGraphQLError, sendJson } from './jsonResponse.js';
import type { RawRequest } from './rawRequest.js';

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

/** A plain handler for a GET path (health, metrics, directory). */
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
}

export interface RunningHttpServer {
  url: string;
  port: number;
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

/**
 * Starts a node:http server for one or more Apollo Servers, with `GET /health`, a body size
 * limit and JSON errors with stable codes for bad HTTP input.
 * @example const s = await startHttpServer({ service: 'registry', routes: [graphqlRoute('/graphql', server, context)] });
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const routes = new Map(options.routes.map((r) => [r.path, r]));
  const started = Date.now();
  const httpServer = createServer((req, res) => {
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
  httpServer.keepAliveTimeout = 65_000;
  httpServer.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}
