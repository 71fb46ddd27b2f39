import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { DirectoryClient } from '../cluster/directoryClient.js';
import { sendGraphQLError, sendJson } from '../http/jsonResponse.js';
import { Metrics } from '../http/metrics.js';
import type { MetricsEndpoint } from '../http/metricsEndpoint.js';
import type { TlsCredentials } from '../http/tlsCredentials.js';
import { readBody, startHttpServer, type GraphQLRoute } from '../http/startHttpServer.js';
import { SUBGRAPH_LIMITS } from '../limits/limitsConfig.js';
import type { CircuitBreakerOptions } from '../routing/circuitBreaker.js';
import { localLinks } from '../routing/localLinks.js';
import { clusterOwnerRouter, routerHealth } from '../gateway/clusterOwnerRouter.js';
import type { OwnerRouter } from '../routing/ownerRouter.js';
import { readGraphQLResponse } from '../routing/readGraphQLResponse.js';
import type { SubgraphRequest, SubgraphResponse } from '../routing/types.js';
import { subgraphSdl } from '../schema/supergraph.js';
import { gatewayContext } from '../gateway/gatewayContext.js';
import { readSubgraphRequest } from './readSubgraphRequest.js';
import { subgraphHeaders, type SubgraphAuth } from '../gateway/subgraphHeaders.js';

export interface OwnerRouterServerOptions {
  /** The registry's base URL: `/registry` forwards to `<registryUrl>/graphql`; the directory is read from it. */
  registryUrl: string;
  /**
   * A directory client started by the caller; default: one of its own on `registryUrl`
   * (reading as this gateway, pinned to `operatorPublicKeys`), started here and stopped by `close`.
   */
  directory?: DirectoryClient;
  /** The operator's public keys (PEM) its own directory client pins; required without `directory`. */
  operatorPublicKeys?: readonly string[];
  /** How often its own directory client re-reads the directory, default 10 000 ms. */
  directoryRefreshMs?: number;
  /** This router's gateway id and signing key: its public key must be in the directory's `gateways`. */
  gatewayId: string;
  /** The signing key; a function is asked at every signature (re-read on rotation). */
  privateKeyPem: string | (() => string);
  /** Per-firm timeout for one fetch (and for the registry), default 5000 ms. */
  firmTimeoutMs?: number;
  /** Deadline of one subgraph request from the gateway in front, default 15 000 ms (`REQUEST_TIMEOUT`). */
  requestTimeoutMs?: number;
  /** Per-firm circuit breaker (see startGateway); default on. */
  circuitBreaker?: CircuitBreakerOptions | false;
  /** Largest request body, default the subgraphs' (4 MiB): a fetch carries a plan step's representations. */
  maxBodyBytes?: number;
  /** Answer `/links` here (default true: the key-only hops read no data) instead of routing them to each owner's `/links`. */
  localLinks?: boolean;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  log?: (error: unknown) => void;
  /** Listen with TLS: the certificate and key (PEM); the URL becomes https://. */
  tls?: TlsCredentials;
  /** Who may scrape `GET /metrics` (http/metricsEndpoint.ts): a bearer token, a separate listener; default local callers only. */
  metricsEndpoint?: MetricsEndpoint;
}

export interface RunningOwnerRouterServer {
  /** Base URL; the subgraph endpoints are `<url>/firm`, `<url>/links` and `<url>/registry`. */
  url: string;
  /** The separate metrics listener's base URL (`metricsEndpoint.listen`), when there is one. */
  metricsUrl?: string;
  port: number;
  endpoints: { firm: string; links: string; registry: string };
  router: OwnerRouter;
  metrics: Metrics;
  close(): Promise<void>;
}

type RouteName = 'firm' | 'links' | 'registry';

/**
 * A stand-alone owner router: the cluster's routing by owner behind plain subgraph endpoints,
 * so that any federation gateway run on the committed supergraph (with `firm`, `links` and
 * `registry` pointed at `/firm`, `/links` and `/registry`) queries the firms as our gateway
 * does. Each endpoint takes one subgraph request `{ query, variables, operationName }` and
 * answers the GraphQL response: `/firm` through the {@link OwnerRouter} (each firm gets only
 * its own representations), `/links` answered locally (or routed), `/registry` forwarded.
 *
 * Zero trust holds as at our gateway: the user token (`authorization`, forwarded by the
 * gateway in front) is verified against the directory's trust list before anything else; only
 * then is the router's own credential, bound to that token, signed and sent, to the firms and
 * the registry only, never back. No token, a bad or untrusted one: 401 with its code, and
 * nothing is signed or sent. Bad input: 400 `BAD_REQUEST` (not JSON, a batch, no query), 413
 * `REQUEST_TOO_LARGE`, 405 for another method; 503 `DIRECTORY_UNAVAILABLE` before the
 * first directory. The gateway in front needs no key and is trusted with nothing.
 * @example const r = await startOwnerRouterServer({ registryUrl, gatewayId: 'peer', privateKeyPem, operatorPublicKeys }); r.endpoints.firm
 */
export async function startOwnerRouterServer(options: OwnerRouterServerOptions): Promise<RunningOwnerRouterServer> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const firmTimeoutMs = options.firmTimeoutMs ?? 5_000;
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new Error(`startOwnerRouterServer: requestTimeoutMs must be a positive number of milliseconds, got ${String(options.requestTimeoutMs)}`);
  }
  if (!options.directory && !options.operatorPublicKeys) throw new Error('startOwnerRouterServer: pass a directory client, or the operator public keys to pin');
  const ownDirectory = options.directory
    ? undefined
    : new DirectoryClient({
        registryUrl: options.registryUrl,
        refreshMs: options.directoryRefreshMs ?? 10_000,
        operatorPublicKeys: options.operatorPublicKeys ?? [],
        reader: { kind: 'gateway', id: options.gatewayId, privateKeyPem: options.privateKeyPem },
      });
  const directory = options.directory ?? (ownDirectory as DirectoryClient);
  if (ownDirectory) await ownDirectory.start();

  const metrics = new Metrics({ service: 'owner-router' });
  metrics.gauge('dataspace_directory_refused_total', () => directory.refusals);
  const authFor = subgraphHeaders({ gatewayId: options.gatewayId, privateKeyPem: options.privateKeyPem });
  const router = clusterOwnerRouter(directory, metrics, { firmTimeoutMs, circuitBreaker: options.circuitBreaker });
  const links = options.localLinks === false ? undefined : localLinks(subgraphSdl('links'));
  const registryGraphQL = new URL('/graphql', options.registryUrl).href;

  const forwardToRegistry = async (request: SubgraphRequest, auth: SubgraphAuth, deadline: AbortSignal): Promise<[number, SubgraphResponse]> => {
    metrics.inc('dataspace_subgraph_requests_total');
    const requestBody = JSON.stringify(request);
    try {
      const res = await fetch(registryGraphQL, {
        method: 'POST',
        headers: { ...auth.headers, ...auth.credential({ kind: 'registry' }, requestBody), 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: requestBody,
        signal: AbortSignal.any([AbortSignal.timeout(firmTimeoutMs), deadline]),
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const response = readGraphQLResponse(body);
      if (response) return [res.status, response];
      return [502, { errors: [{ message: `The cluster registry answered HTTP ${res.status} without a GraphQL response.`, extensions: { code: 'REGISTRY_UNAVAILABLE' } }] }];
    } catch (err) {
      if (deadline.aborted) return [200, { errors: [{ message: "The cluster registry did not answer before the request's deadline.", extensions: { code: 'REQUEST_TIMEOUT' } }] }];
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return [
        200,
        {
          errors: [
            {
              message: timedOut ? 'The cluster registry did not answer in time.' : 'The cluster registry is unreachable.',
              extensions: { code: timedOut ? 'REGISTRY_TIMEOUT' : 'REGISTRY_UNAVAILABLE' },
            },
          ],
        },
      ];
    }
  };

  const answerLinksLocally = async (request: SubgraphRequest): Promise<SubgraphResponse> => {
    try {
      return await (links as NonNullable<typeof links>).execute(request);
    } catch (err) {
      if (err instanceof GraphQLError) return { data: null, errors: [{ message: err.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] };
      throw err;
    }
  };

  const handle = async (name: RouteName, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> => {
    metrics.inc(`dataspace_router_${name}_requests_total`);
    if (req.method !== 'POST') {
      sendGraphQLError(res, 405, 'BAD_REQUEST', `Only POST is served at /${name}: it is a subgraph endpoint.`, { allow: 'POST' });
      return;
    }
    const text = await readBody(req, maxBodyBytes); // over the limit: the server answers 413
    const read = readSubgraphRequest(text);
    if (!read.ok) {
      sendGraphQLError(res, 400, read.refusal.code, read.refusal.message);
      return;
    }
    // Verify the user before anything is signed or sent: the router must not vouch for a token it has not checked.
    const current = directory.current();
    let token: string;
    try {
      token = (await gatewayContext(req, current)).token;
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      const code = typeof err.extensions.code === 'string' ? err.extensions.code : 'UNAUTHENTICATED';
      const http = err.extensions.http as { status?: unknown } | undefined;
      metrics.inc('dataspace_auth_rejections_total');
      sendGraphQLError(res, typeof http?.status === 'number' ? http.status : 401, code, err.message);
      return;
    }
    const auth = authFor(current, token);
    const deadline = AbortSignal.timeout(requestTimeoutMs);
    const sign = (owner: string, body: string): Record<string, string> => auth.credential({ kind: 'firm', firmId: owner }, body);
    try {
      if (name === 'registry') {
        const [status, response] = await forwardToRegistry(read.request, auth, deadline);
        sendJson(res, status, response);
        return;
      }
      const response =
        name === 'links' && links ? await answerLinksLocally(read.request) : await router.execute(name, read.request, auth.headers, { signal: deadline, sign });
      sendJson(res, 200, response);
    } catch (err) {
      options.log?.(err);
      sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
    }
  };
  const route = (name: RouteName): GraphQLRoute => ({ path: `/${name}`, handle: (req, res, _search, max) => handle(name, req, res, max) });

  const http = await startHttpServer({
    service: 'owner-router',
    host: options.host,
    port: options.port,
    maxBodyBytes: options.maxBodyBytes ?? SUBGRAPH_LIMITS.maxBodyBytes,
    routes: [route('firm'), route('links'), route('registry')],
    metrics,
    metricsEndpoint: options.metricsEndpoint,
    tls: options.tls,
    health: () => routerHealth(directory, router),
  });
  return {
    url: http.url,
    ...(http.metricsUrl === undefined ? {} : { metricsUrl: http.metricsUrl }),
    port: http.port,
    endpoints: { firm: `${http.url}/firm`, links: `${http.url}/links`, registry: `${http.url}/registry` },
    router,
    metrics,
    close: async () => {
      ownDirectory?.stop();
      await http.close();
    },
  };
}
