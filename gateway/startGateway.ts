import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import type { DirectoryClient } from '../cluster/directoryClient.js';
import { graphqlRoute, startHttpServer } from '../http/startHttpServer.js';
import { checkListSizes, GATEWAY_LIMITS, resolveLimits, type Limits, type LimitsOverrides } from '../limits/limitsConfig.js';
import { serverLimits } from '../limits/serverLimits.js';
import type { TrustedDocuments } from '../limits/trustedDocuments.js';
import { withRateLimit } from '../limits/withRateLimit.js';
import type { CircuitBreakerOptions } from '../routing/circuitBreaker.js';
import { clusterOwnerRouter, routerHealth } from './clusterOwnerRouter.js';
import type { OwnerRouter } from '../routing/ownerRouter.js';
import { readSupergraph } from '../schema/supergraph.js';
import { Metrics } from '../http/metrics.js';
import type { MetricsEndpoint } from '../http/metricsEndpoint.js';
import type { TlsCredentials } from '../http/tlsCredentials.js';
import { gatewayContext, type GatewayContext } from './gatewayContext.js';
import { withKeyAliasShield } from './keyAliasGateway.js';
import { keyFieldNames } from './keyAliases.js';
import { LocalLinksDataSource } from './localLinksDataSource.js';
import { subgraphHeaders } from './subgraphHeaders.js';
import { OwnerRoutedDataSource } from './ownerRoutedDataSource.js';
import { RegistryDataSource } from './registryDataSource.js';
import { requestDeadlineMs } from '../http/requestDeadline.js';
import { hardenedServerOptions } from '../limits/hardenedServerOptions.js';

// @apollo/gateway reports usage metrics to Apollo and probes cloud metadata endpoints
// unless told not to. A data space whose promise is that no data leaves the cluster does
// not phone home: this is not configurable.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

export interface GatewayOptions {
  /** The registry's base URL; its GraphQL endpoint is `<registryUrl>/graphql`. */
  registryUrl: string;
  /** Keeps the member endpoints and the trust list fresh (started by the caller). */
  directory: DirectoryClient;
  /** This gateway's id and signing key; its public key must be in the registry's trust list. */
  gatewayId: string;
  /** The signing key; a function is asked at every signature (the gateway command re-reads its key file when it changes). */
  privateKeyPem: string | (() => string);
  /** Per-firm timeout for one fetch, default 5000 ms. */
  firmTimeoutMs?: number;
  /**
   * Deadline of a whole client request, default 15 000 ms: when it passes, every firm fetch
   * still pending is cancelled and answered null + `REQUEST_TIMEOUT`, and no further fetch is sent.
   */
  requestTimeoutMs?: number;
  /** Per-firm circuit breaker; default on: 5 failures within 60 s open it for 30 s. `false`: off. */
  circuitBreaker?: CircuitBreakerOptions | false;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Introspection and field suggestions, default off. */
  introspection?: boolean;
  /**
   * The firms' user-token keys are the demo's (in its data folder): a request without a token
   * is told `npx dataspace token --firm <id>` (gateway/tokenAdvice.ts). Default false.
   */
  demoKeys?: boolean;
  /** Operation limits, cost, body size, rate limit per caller firm (limits/limitsConfig.ts; default GATEWAY_LIMITS). */
  limits?: LimitsOverrides;
  /**
   * Where `limits` come from, named in the ConfigError (`CONFIG_INVALID`) of a `listSizes`
   * key that is no list field of the supergraph: the configuration file. Default `startGateway options`.
   */
  configFile?: string;
  /** Trusted-documents mode: only the manifest's operations run. */
  trustedDocuments?: TrustedDocuments;
  log?: (error: unknown) => void;
  /**
   * Answer the key-only `links` hops here (default true) instead of a round trip to the
   * owner: they read no data. `false` routes them to each owner's `/links` endpoint.
   */
  localLinks?: boolean;
  /** Listen with TLS: the certificate and key (PEM); the URL becomes https://. */
  tls?: TlsCredentials;
  /** Who may scrape `GET /metrics` (http/metricsEndpoint.ts): a bearer token, a separate listener; default local callers only. */
  metricsEndpoint?: MetricsEndpoint;
}

export interface RunningGateway {
  url: string;
  /** The separate metrics listener's base URL (`metricsEndpoint.listen`), when there is one. */
  metricsUrl?: string;
  port: number;
  router: OwnerRouter;
  metrics: Metrics;
  close(): Promise<void>;
}

/**
 * The gateway's limits: `overrides` over GATEWAY_LIMITS, their `listSizes` keys checked
 * against the supergraph (whose object types and fields are those of the API schema: nothing
 * in it is @inaccessible). A key that is no list field there is a ConfigError naming `source`.
 * @example const limits = gatewayLimits(config.limits, 'gateway.yaml');
 */
export function gatewayLimits(overrides: LimitsOverrides | undefined, source: string, supergraphSdl = readSupergraph()): Limits {
  const limits = resolveLimits(overrides, GATEWAY_LIMITS);
  checkListSizes(limits, [buildSchema(supergraphSdl, { assumeValidSDL: true })], source);
  return limits;
}

/**
 * Starts the cluster gateway: @apollo/gateway on the committed supergraph, with the
 * owner-routing data source for `firm` and `links` and the registry for `registry`.
 * It verifies each user's token, forwards it, and adds its own short-lived credential.
 * @example const gw = await startGateway({ registryUrl, directory, gatewayId: 'main', privateKeyPem });
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { directory } = options;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new Error(`startGateway: requestTimeoutMs must be a positive number of milliseconds, got ${String(options.requestTimeoutMs)}`);
  }
  const supergraphSdl = readSupergraph();
  const limits = gatewayLimits(options.limits, options.configFile ?? 'startGateway options', supergraphSdl);
  const metrics = new Metrics({ service: 'gateway' });
  metrics.gauge('dataspace_directory_refused_total', () => directory.refusals);
  const authFor = subgraphHeaders({ gatewayId: options.gatewayId, privateKeyPem: options.privateKeyPem });
  const headersFor = (ctx: GatewayContext): Record<string, string> => ({ authorization: `Bearer ${ctx.token}` });
  const signFor = (ctx: GatewayContext) => {
    const auth = authFor(directory.current(), ctx.token);
    return (owner: string, body: string): Record<string, string> => auth.credential({ kind: 'firm', firmId: owner }, body);
  };
  const signForRegistry = (ctx: GatewayContext) => {
    const auth = authFor(directory.current(), ctx.token);
    return (body: string): Record<string, string> => auth.credential({ kind: 'registry' }, body);
  };

  const router = clusterOwnerRouter(directory, metrics, { firmTimeoutMs: options.firmTimeoutMs, circuitBreaker: options.circuitBreaker });
  const signalFor = (ctx: GatewayContext): AbortSignal | undefined => ctx.deadline;
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      if (name === 'links' && options.localLinks !== false) return new LocalLinksDataSource<GatewayContext>();
      if (name === 'firm' || name === 'links') return new OwnerRoutedDataSource<GatewayContext>({ subgraph: name, router, headersFor, signFor, signalFor });
      return new RegistryDataSource<GatewayContext>({
        url: () => new URL('/graphql', options.registryUrl).href,
        headersFor,
        signFor: signForRegistry,
        signalFor,
        timeoutMs: options.firmTimeoutMs ?? 5_000,
      });
    },
  });
  const guard = serverLimits<GatewayContext>(limits, {
    development: options.introspection ?? false,
    trustedDocuments: options.trustedDocuments,
    onReject: (code) => metrics.inc(code === 'RATE_LIMITED' ? 'dataspace_rate_limited_total' : 'dataspace_limit_rejections_total'),
  });
  const server = new ApolloServer<GatewayContext>({
    // Client aliases that collide with key fields are renamed around Apollo's planner (gateway/keyAliases.ts).
    gateway: withKeyAliasShield(gateway, keyFieldNames(supergraphSdl)),
    ...hardenedServerOptions(guard, {
      log: options.log,
      plugins: [
        {
          async requestDidStart() {
            metrics.inc('dataspace_gateway_requests_total');
          },
        },
      ],
    }),
  });
  await server.start();
  const http = await startHttpServer({
    service: 'gateway',
    host: options.host,
    port: options.port,
    maxBodyBytes: limits.maxBodyBytes,
    routes: [
      graphqlRoute(
        '/graphql',
        server,
        withRateLimit(
          async (req) => ({
            ...(await gatewayContext(req, directory.current(), { demoKeys: options.demoKeys === true })),
            deadline: AbortSignal.timeout(requestDeadlineMs(req.headers, requestTimeoutMs)),
          }),
          { rateLimit: limits.rateLimit, keyOf: (ctx) => ctx.caller.firmId },
        ),
      ),
    ],
    metrics,
    metricsEndpoint: options.metricsEndpoint,
    tls: options.tls,
    health: () => routerHealth(directory, router),
  });
  return {
    url: `${http.url}/graphql`,
    ...(http.metricsUrl === undefined ? {} : { metricsUrl: http.metricsUrl }),
    port: http.port,
    router,
    metrics,
    close: async () => {
      await http.close();
      await server.stop();
    },
  };
}
