import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { clusterAudience, type ClusterTopology, type Directory } from '../../cluster/directory.js';
import { LocalLinksDataSource } from '../../gateway/localLinksDataSource.js';
import { OwnerRoutedDataSource } from '../../gateway/ownerRoutedDataSource.js';
import { graphqlRoute, startHttpServer } from '../../http/startHttpServer.js';
import { OwnerRouter } from '../../routing/ownerRouter.js';
import { readSupergraph } from '../../schema/supergraph.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { openFirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { registryResolvers, type RegistryContext } from '../../subgraphs/registry/registryResolvers.js';
import { spawnServer } from '../lib/spawnServer.js';
import { countRequests, PLAIN_PLUGINS, plainSchema, startPlainSubgraph, type LakeRequestCounts } from './plainSubgraph.js';

export type { LakeRequestCounts } from './plainSubgraph.js';

export interface LakeOptions {
  topology: ClusterTopology;
  /** The generator's knobs: the same as the cluster's, so that both hold the same rows. */
  seed: { seed?: number; lotsPerFirm?: number };
  /**
   * A PostgreSQL database per plain subgraph: called with the firm's id (`perFirm`) or
   * `'lake'`; absent: in-memory PGlite.
   */
  databaseUrlFor?: (key: string) => string;
  /** One plain subgraph and database per firm, routed by owner (see {@link startLake}). */
  perFirm?: boolean;
  /** Each plain subgraph in its own process (bench/lib/serverProcess.ts); the gateway and registry stay here. */
  processes?: boolean;
}

export interface RunningLake {
  gatewayUrl: string;
  /** SQL statements run so far (all databases). */
  statements(): Promise<number>;
  /** Requests the plain servers received so far. */
  counts(): Promise<LakeRequestCounts>;
  /** Rows per table inserted (every firm's seed). */
  rows: number;
  /** Process ids of the plain subgraphs' processes (with `processes`). */
  pids: number[];
  stop(): Promise<void>;
}

interface PlainServer {
  endpoints: { firm: string; links: string };
  pid?: number;
  statements(): Promise<number>;
  counts(): Promise<LakeRequestCounts>;
  stop(): Promise<void>;
}

const REGISTRY_SCHEMA = plainSchema('registry', registryResolvers);

function rowsOf(seed: object): number {
  let rows = 0;
  for (const value of Object.values(seed)) if (Array.isArray(value)) rows += value.length;
  return rows;
}

/** A plain subgraph over the rows of `firmIds`, in this process or in its own. */
async function startPlain(options: LakeOptions, firmIds: string[]): Promise<PlainServer> {
  const { topology, seed } = options;
  if (options.processes) {
    const server = await spawnServer({ kind: 'plain', firmIds, topology, seed });
    return {
      endpoints: { firm: `${server.url}/firm`, links: `${server.url}/links` },
      pid: server.pid,
      statements: async () => (await server.stats()).statements,
      counts: async () => (await server.stats()).counts,
      stop: () => server.stop(),
    };
  }
  const generated = generateCluster(topology, seed);
  const key = firmIds.length === 1 ? (firmIds[0] as string) : 'lake';
  const db = await openFirmDatabase(options.databaseUrlFor ? { databaseUrl: options.databaseUrlFor(key) } : {});
  for (const id of firmIds) {
    const firmSeed = generated.firms[id];
    if (firmSeed) await insertFirmSeed(db.db, firmSeed);
  }
  const counts: LakeRequestCounts = { registry: 0, firm: 0, links: 0 };
  const server = await startPlainSubgraph(`plain:${key}`, db, counts);
  return {
    endpoints: server.endpoints,
    statements: async () => db.statements(),
    counts: async () => ({ ...counts }),
    async stop() {
      await server.close();
      await db.close();
    },
  };
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
 * database, and the gateway routes `firm` by owner with the project's
 * OwnerRoutedDataSource and answers the key-only `links` hops itself (LocalLinksDataSource),
 * as the cluster's gateway does, with no token and no credential: federation by owner
 * without zero trust or policies, to split the lake's advantage into routing and governance.
 */
export async function startLake(options: LakeOptions): Promise<RunningLake> {
  const { topology } = options;
  const ids = topology.members.map((m) => m.id);
  const generated = generateCluster(topology, options.seed);
  const rows = Object.values(generated.firms).reduce((n, s) => n + rowsOf(s), 0);
  const servers = options.perFirm ? await Promise.all(ids.map((id) => startPlain(options, [id]))) : [await startPlain(options, ids)];
  const endpoints = new Map(ids.map((id, i) => [id, (servers[options.perFirm ? i : 0] as PlainServer).endpoints]));

  const directory: Directory = {
    clusterId: topology.clusterId,
    audience: clusterAudience(topology.clusterId),
    members: topology.members.map((m) => ({ ...m, endpoints: endpoints.get(m.id) ?? { firm: '', links: '' }, issuer: '', publicKeys: [], serviceKeys: [] })),
    gateways: [],
    relationships: topology.relationships,
  };
  const registryCounts: LakeRequestCounts = { registry: 0, firm: 0, links: 0 };
  const registryServer = new ApolloServer<RegistryContext>({
    schema: REGISTRY_SCHEMA,
    introspection: false,
    stopOnTerminationSignals: false,
    plugins: [countRequests(registryCounts, 'registry'), ...PLAIN_PLUGINS],
  });
  await registryServer.start();
  const registryHttp = await startHttpServer({
    service: 'lake-registry',
    routes: [graphqlRoute('/graphql', registryServer, async () => ({ directory }))],
  });

  const registryUrl = `${registryHttp.url}/graphql`;
  const router = options.perFirm ? new OwnerRouter({ endpointOf: (firmId, subgraph) => endpoints.get(firmId)?.[subgraph] }) : undefined;
  const single = servers[0]?.endpoints;
  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraph(),
    buildService: ({ name }) => {
      if (name === 'registry') return new RemoteGraphQLDataSource({ url: registryUrl });
      if (router) {
        if (name === 'links') return new LocalLinksDataSource<BaseContext>();
        return new OwnerRoutedDataSource<BaseContext>({ subgraph: 'firm', router, headersFor: () => ({}) });
      }
      return new RemoteGraphQLDataSource({ url: name === 'links' ? single?.links : single?.firm });
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
    statements: async () => (await Promise.all(servers.map((s) => s.statements()))).reduce((a, b) => a + b, 0),
    async counts() {
      const all = await Promise.all(servers.map((s) => s.counts()));
      return all.reduce((t, c) => ({ registry: t.registry, firm: t.firm + c.firm, links: t.links + c.links }), { ...registryCounts });
    },
    rows,
    pids: servers.flatMap((s) => (s.pid ? [s.pid] : [])),
    async stop() {
      await gatewayHttp.close();
      await gatewayServer.stop();
      await registryServer.stop();
      await registryHttp.close();
      for (const s of servers) await s.stop();
    },
  };
}
