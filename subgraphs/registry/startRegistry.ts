import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';
import { graphqlRoute, startHttpServer } from '../../http/startHttpServer.js';
import { sendJson } from '../../http/jsonResponse.js';
import { subgraphSdl } from '../../schema/supergraph.js';
import { verifySubgraphRequest } from '../auth/verifySubgraphRequest.js';
import { maskErrors } from '../shared/maskErrors.js';
import type { DirectorySource } from './directorySource.js';
import { registryResolvers, type RegistryContext } from './registryResolvers.js';

export interface RegistryOptions {
  source: DirectorySource;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  log?: (error: unknown) => void;
}

export interface RunningRegistry {
  url: string;
  port: number;
  close(): Promise<void>;
}

const schema = buildSubgraphSchema([
  { typeDefs: parse(subgraphSdl('registry')), resolvers: registryResolvers as unknown as GraphQLResolverMap<RegistryContext> },
]);

/**
 * Starts the cluster registry: the `registry` logical subgraph at `/graphql` (behind the
 * gateway, zero trust like every subgraph) and the public directory at `GET /directory`
 * (members, endpoints, relationships and the trust list of public keys) that the gateway
 * and the firms poll.
 * @example const r = await startRegistry({ source: new MemoryDirectorySource(directory) });
 */
export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  const server = new ApolloServer<RegistryContext>({
    schema,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: maskErrors(options.log),
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();
  const http = await startHttpServer({
    service: 'registry',
    host: options.host,
    port: options.port,
    routes: [
      graphqlRoute('/graphql', server, async (req) => {
        const directory = options.source.current();
        verifySubgraphRequest(req, directory);
        return { directory };
      }),
    ],
    get: { '/directory': (_req, res) => sendJson(res, 200, options.source.current()) },
    health: () => ({ members: options.source.current().members.length }),
  });
  return {
    url: http.url,
    port: http.port,
    close: async () => {
      await http.close();
      await server.stop();
    },
  };
}
