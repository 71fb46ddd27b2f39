import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readSupergraph } from '../../schema/supergraph.js';

/**
 * The part of `@graphql-hive/gateway-runtime` used here, typed locally. Its own types would
 * bring graphql-yoga's global augmentation of `GraphQLErrorExtensions` (`http.headers`, a plain
 * object) into the whole program, where the Apollo-based limits put a HeaderMap: the module is
 * imported by a specifier TypeScript does not resolve, and checked against this interface.
 */
interface HiveGatewayRuntimeModule {
  createGatewayRuntime(config: {
    supergraph: string;
    transportEntries: Record<string, { location: string; options: { deduplicateInflightRequests: boolean } }>;
    propagateHeaders: { fromClientToSubgraphs(payload: { request: Request; subgraphName: string }): Record<string, string | undefined> };
    logging: boolean;
    landingPage: boolean;
    graphiql: boolean;
    disableIntrospection: Record<string, never>;
  }): RequestListener & { dispose(): Promise<void> | void };
}

const HIVE_GATEWAY_RUNTIME: string = '@graphql-hive/gateway-runtime';

/** Where the peer gateway sends each logical subgraph of the supergraph. */
export interface HiveSubgraphUrls {
  firm: string;
  links: string;
  registry: string;
}

export interface RunningHiveGateway {
  /** The GraphQL endpoint, `<base>/graphql`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Another federation gateway from npm (Hive Gateway's runtime, `@graphql-hive/gateway-runtime`)
 * on the committed supergraph, served by node:http: its subgraph URLs replaced by `urls`
 * (`transportEntries`: the stand-alone owner router's `/firm`, `/links`, `/registry`, over
 * `@graphql-mesh/transport-http`, which the runtime loads by itself), the client's
 * `authorization` header propagated to every subgraph and nothing else, no in-flight request
 * sharing, no logging, no landing page or GraphiQL, introspection off. It holds no key and
 * verifies nothing: the owner router behind it does.
 * @example const hive = await startHiveGateway(router.endpoints); await postGraphQL(hive.url, '{ firms { id } }', { token });
 */
export async function startHiveGateway(
  urls: HiveSubgraphUrls,
  options: { host?: string; port?: number; /** Hive's default (true) shares identical in-flight subgraph requests; default here false. */ deduplicateInflightRequests?: boolean } = {},
): Promise<RunningHiveGateway> {
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY_RUNTIME)) as HiveGatewayRuntimeModule;
  const gateway = createGatewayRuntime({
    supergraph: readSupergraph(),
    // Hive's HTTP executor shares one subgraph request between identical queries in flight
    // with the same headers (`deduplicateInflightRequests`, on by default): two requests of one
    // user would then cost the owner one read and one access-log entry. Every read must reach
    // the owner and be logged, as through our gateway: off.
    transportEntries: {
      firm: { location: urls.firm, options: { deduplicateInflightRequests: options.deduplicateInflightRequests ?? false } },
      links: { location: urls.links, options: { deduplicateInflightRequests: options.deduplicateInflightRequests ?? false } },
      registry: { location: urls.registry, options: { deduplicateInflightRequests: options.deduplicateInflightRequests ?? false } },
    },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? undefined }),
    },
    logging: false,
    landingPage: false,
    graphiql: false,
    disableIntrospection: {},
  });
  const server = createServer(gateway);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/graphql`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gateway.dispose();
    },
  };
}
