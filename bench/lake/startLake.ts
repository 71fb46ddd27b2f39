import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';
import { clusterAudience, type ClusterTopology, type Directory } from '../../cluster/directory.js';
import { graphqlRoute, startHttpServer, type RunningHttpServer } from '../../http/startHttpServer.js';
import { readSupergraph, subgraphSdl } from '../../schema/supergraph.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { openFirmDatabase, type FirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { registryResolvers, type RegistryContext } from '../../subgraphs/registry/registryResolvers.js';
import { OwnerRoutedDataSource } from '../../gateway/ownerRoutedDataSource.js';
import { OwnerRouter } from '../../routing/ownerRouter.js';
import { LakeLoaders } from './lakeLoaders.js';
import { lakeFirmResolvers, lakeLinksResolvers, type LakeContext, type LakeResolverMap } from './lakeResolvers.js';

export interface LakeOptions {
  topology: ClusterTopology;
  /** The generator's knobs: the same as the cluster's, so that both hold the same rows. */
  seed: { seed?: number; lotsPerFirm?: number };
  /** A PostgreSQL URL for the one lake database; absent: in-memory PGlite. */
  databaseUrl?: string;
  /** One plain subgraph and database per firm, routed by owner (see {@link startLake}). */
  perFirm?: boolean;
}

/** GraphQL requests each lake server received: the plain gateway's subgraph requests. */
export interface LakeRequestCounts {
  registry: number;
  firm: number;
  links: number;
}

export interface RunningLake {
  gatewayUrl: string;
  /** SQL statements run so far (all databases). */
  statements(): number;
  counts: LakeRequestCounts;
  /** Rows per table inserted (every firm's seed). */
  rows: number;
  stop(): Promise<void>;
}

function countRequests(counts: LakeRequestCounts, key: keyof LakeRequestCounts): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      counts[key] += 1;
    },
  };
}

const PLAIN_PLUGINS = [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()];


function schemaOf(name: 'firm' | 'links' | 'registry', resolvers: LakeResolverMap | typeof registryResolvers) {
  return buildSubgraphSchema([{ typeDefs: parse(subgraphSdl(name)), resolvers: resolvers as unknown as GraphQLResolverMap<unknown> }]);
}

/** A plain subgraph server over one database: `/firm` and `/links`, no auth, no policy. */
async function startPlainSubgraph(service: string, db: FirmDatabase, counts: LakeRequestCounts, stops: (() => Promise<void>)[]): Promise<RunningHttpServer> {
  const lakeServer = (name: 'firm' | 'links'): ApolloServer<LakeContext> =>
    new ApolloServer<LakeContext>({
      schema: name === 'firm' ? FIRM_SCHEMA : LINKS_SCHEMA,
      introspection: false,
      stopOnTerminationSignals: false,
      plugins: [countRequests(counts, name), ...PLAIN_PLUGINS],
    });
  const firmServer = lakeServer('firm');
  const linksServer = lakeServer('links');
  await Promise.all([firmServer.start(), linksServer.start()]);
  const context = async (): Promise<LakeContext> => ({ loaders: new LakeLoaders(db.db) });
  const http = await startHttpServer({
    service,
    routes: [graphqlRoute('/firm', firmServer, context), graphqlRoute('/links', linksServer, context)],
  });
  stops.push(() => firmServer.stop(), () => linksServer.stop(), () => http.close());
  return http;
}

const FIRM_SCHEMA = schemaOf('firm', lakeFirmResolvers);
const LINKS_SCHEMA = schemaOf('links', lakeLinksResolvers);
const REGISTRY_SCHEMA = schemaOf('registry', registryResolvers);

function rowsOf(seed: object): number {
  let rows = 0;
  for (const value of Object.values(seed)) if (Array.isArray(value)) rows += value.length;
  return rows;
}

/**
 * A central data lake, the way the cluster's data would be served if the firms handed it
 * over: ONE database holding every firm's rows, ONE plain subgraph server (the `firm` and
 * `links` SDL at `/firm` and `/links`, no auth, no policy, no access log, no owner
 * checks), a plain registry subgraph over the same members, and a plain
 * `@apollo/gateway` with Apollo's default `RemoteGraphQLDataSource` (one request per plan
 * step). Same HTTP layer (`http/startHttpServer`) as the cluster's servers.
 *
 * With `perFirm: true`, the same plain subgraph runs once per firm over the firm's own
 * database, and the gateway routes `firm` and `links` by owner with the project's
 * OwnerRoutedDataSource (no token, no credential): federation by owner without zero trust
 * or policies, to split the lake's advantage into routing and governance.
 */
export async function startLake(options: LakeOptions): Promise<RunningLake> {
  const { topology } = options;
  const seed = generateCluster(topology, options.seed);
  const counts: LakeRequestCounts = { registry: 0, firm: 0, links: 0 };
  const stops: (() => Promise<void>)[] = [];
  const databases: FirmDatabase[] = [];
  let rows = 0;
  const endpoints = new Map<string, { firm: string; links: string }>();
  if (options.perFirm) {
    await Promise.all(
      topology.members.map(async (m) => {
        const db = await openFirmDatabase({});
        databases.push(db);
        const firmSeed = seed.firms[m.id];
        if (firmSeed) {
          await insertFirmSeed(db.db, firmSeed);
          rows += rowsOf(firmSeed);
        }
        const http = await startPlainSubgraph(`plain:${m.id}`, db, counts, stops);
        endpoints.set(m.id, { firm: `${http.url}/firm`, links: `${http.url}/links` });
      }),
    );
  } else {
    const db = await openFirmDatabase(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {});
    databases.push(db);
    for (const firmSeed of Object.values(seed.firms)) {
      await insertFirmSeed(db.db, firmSeed);
      rows += rowsOf(firmSeed);
    }
    const http = await startPlainSubgraph('lake', db, counts, stops);
    for (const m of topology.members) endpoints.set(m.id, { firm: `${http.url}/firm`, links: `${http.url}/links` });
  }

  const directory: Directory = {
    clusterId: topology.clusterId,
    audience: clusterAudience(topology.clusterId),
    members: topology.members.map((m) => ({ ...m, endpoints: endpoints.get(m.id) ?? { firm: '', links: '' }, issuer: '', publicKeys: [] })),
    gateways: [],
    relationships: topology.relationships,
  };
  const registryServer = new ApolloServer<RegistryContext>({
    schema: REGISTRY_SCHEMA,
    introspection: false,
    stopOnTerminationSignals: false,
    plugins: [countRequests(counts, 'registry'), ...PLAIN_PLUGINS],
  });
  await registryServer.start();
  const registryHttp = await startHttpServer({
    service: 'lake-registry',
    routes: [graphqlRoute('/graphql', registryServer, async () => ({ directory }))],
  });
  stops.push(() => registryServer.stop(), () => registryHttp.close());

  const registryUrl = `${registryHttp.url}/graphql`;
  const router = options.perFirm ? new OwnerRouter({ endpointOf: (firmId, subgraph) => endpoints.get(firmId)?.[subgraph] }) : undefined;
  const single = topology.members[0] ? endpoints.get(topology.members[0].id) : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(),
    buildService: ({ name }) => {
      if (name === 'registry') return new RemoteGraphQLDataSource({ url: registryUrl });
      const subgraph = name === 'links' ? 'links' : 'firm';
      if (router) return new OwnerRoutedDataSource<BaseContext>({ subgraph, router, headersFor: () => ({}) });
      return new RemoteGraphQLDataSource({ url: single?.[subgraph] });
    },
  });
  const gatewayServer = new ApolloServer<BaseContext>({
    gateway,
    introspection: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await gatewayServer.start();
  const gatewayHttp = await startHttpServer({
    service: 'lake-gateway',
    routes: [graphqlRoute('/graphql', gatewayServer, async () => ({}))],
  });

  return {
    gatewayUrl: `${gatewayHttp.url}/graphql`,
    statements: () => databases.reduce((n, d) => n + d.statements(), 0),
    counts,
    rows,
    async stop() {
      await gatewayHttp.close();
      await gatewayServer.stop();
      for (const stop of stops.reverse()) await stop();
      for (const d of databases) await d.close();
    },
  };
}
