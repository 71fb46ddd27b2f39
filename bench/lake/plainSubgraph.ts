import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';
import { graphqlRoute, startHttpServer } from '../../http/startHttpServer.js';
import { subgraphSdl } from '../../schema/supergraph.js';
import type { FirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { registryResolvers } from '../../subgraphs/registry/registryResolvers.js';
import { LakeLoaders } from './lakeLoaders.js';
import { lakeFirmResolvers, lakeLinksResolvers, type LakeContext, type LakeResolverMap } from './lakeResolvers.js';

/** GraphQL requests each lake server received: the plain gateway's subgraph requests. */
export interface LakeRequestCounts {
  registry: number;
  firm: number;
  links: number;
}

/** Counts every request a plain server receives under `key`. */
export function countRequests(counts: LakeRequestCounts, key: keyof LakeRequestCounts): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      counts[key] += 1;
    },
  };
}

export const PLAIN_PLUGINS = [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()];

/** A subgraph schema of the project's SDL with plain resolvers (no auth, no policy). */
export function plainSchema(name: 'firm' | 'links' | 'registry', resolvers: LakeResolverMap | typeof registryResolvers) {
  return buildSubgraphSchema([{ typeDefs: parse(subgraphSdl(name)), resolvers: resolvers as unknown as GraphQLResolverMap<unknown> }]);
}

const FIRM_SCHEMA = plainSchema('firm', lakeFirmResolvers);
const LINKS_SCHEMA = plainSchema('links', lakeLinksResolvers);

/** A running plain subgraph server. */
export interface PlainSubgraph {
  url: string;
  endpoints: { firm: string; links: string };
  close(): Promise<void>;
}

/**
 * A plain subgraph server over one database: the `firm` and `links` SDL at `/firm` and
 * `/links`, per-request DataLoaders, no auth, no policy, no access log, no owner checks.
 * Same HTTP layer (`http/startHttpServer`) as the cluster's servers.
 */
export async function startPlainSubgraph(service: string, db: FirmDatabase, counts: LakeRequestCounts): Promise<PlainSubgraph> {
  const server = (name: 'firm' | 'links'): ApolloServer<LakeContext> =>
    new ApolloServer<LakeContext>({
      schema: name === 'firm' ? FIRM_SCHEMA : LINKS_SCHEMA,
      introspection: false,
      stopOnTerminationSignals: false,
      plugins: [countRequests(counts, name), ...PLAIN_PLUGINS],
    });
  const firmServer = server('firm');
  const linksServer = server('links');
  await Promise.all([firmServer.start(), linksServer.start()]);
  const context = async (): Promise<LakeContext> => ({ loaders: new LakeLoaders(db.db) });
  const http = await startHttpServer({
    service,
    routes: [graphqlRoute('/firm', firmServer, context), graphqlRoute('/links', linksServer, context)],
  });
  return {
    url: http.url,
    endpoints: { firm: `${http.url}/firm`, links: `${http.url}/links` },
    async close() {
      await http.close();
      await firmServer.stop();
      await linksServer.stop();
    },
  };
}
