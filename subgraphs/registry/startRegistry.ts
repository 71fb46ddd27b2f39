import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { buildSchema, parse } from 'graphql';
import { graphqlRoute, startHttpServer, type RawRequest } from '../../http/startHttpServer.js';
import type { TlsCredentials } from '../../http/tlsCredentials.js';
import { ReplayGuard } from '../../identity/replayGuard.js';
import { readSupergraph, subgraphSdl } from '../../schema/supergraph.js';
import { verifySubgraphRequest } from '../auth/verifySubgraphRequest.js';
import { guardEntities } from '../representations/guardEntities.js';
import { validateRepresentations } from '../representations/validateRepresentations.js';
import { checkListSizes, resolveLimits, SUBGRAPH_LIMITS, type LimitsOverrides } from '../../limits/limitsConfig.js';
import { serverLimits } from '../../limits/serverLimits.js';
import { withRateLimit } from '../../limits/withRateLimit.js';
import { directoryRoute } from './directoryRoute.js';
import { DirectorySigner } from './directorySigner.js';
import type { DirectorySource } from './directorySource.js';
import { registryResolvers, type RegistryContext } from './registryResolvers.js';
import { hardenedServerOptions } from '../../limits/hardenedServerOptions.js';

export interface RegistryOptions {
  source: DirectorySource;
  /** The cluster operator's PKCS#8 PEM private key (ES256): `GET /directory` is signed with it; every reader pins its public half. */
  operatorPrivateKeyPem: string;
  /** Validity of a signed directory in seconds, default 300 (re-signed at half-life and on every change), at most 3600. */
  directoryTtlSeconds?: number;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  log?: (error: unknown) => void;
  /**
   * Operation limits, cost, body size, rate limit per caller firm (default SUBGRAPH_LIMITS).
   * A `listSizes` key must name a list field of the cluster's supergraph, not only of the
   * registry's own types: the subgraph defaults (and a cluster's shared subgraph limits)
   * name the firms' `Lot.components`.
   */
  limits?: LimitsOverrides;
  /** Where `limits` come from, named in a ConfigError (the configuration file). Default `startRegistry options`. */
  configFile?: string;
  /** Listen with TLS: the certificate and key (PEM); the URL becomes https://. */
  tls?: TlsCredentials;
}

export interface RunningRegistry {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The registry's schema; its `_entities` (Firm by id) checks representations before resolving them. */
const schema = guardEntities(
  buildSubgraphSchema([{ typeDefs: parse(subgraphSdl('registry')), resolvers: registryResolvers as unknown as GraphQLResolverMap<RegistryContext> }]),
);

/**
 * Starts the cluster registry: the `registry` logical subgraph at `/graphql` (behind the
 * gateway, zero trust like every subgraph) and the directory at `GET /directory` (members,
 * endpoints, relationships and the trust list of public keys) that the gateway and the firms
 * poll: signed with the operator's key (a compact JWS), and served to members and gateways
 * only, each proving itself with a reader token (see directoryRoute.ts).
 * @example const r = await startRegistry({ source: new MemoryDirectorySource(directory), operatorPrivateKeyPem });
 */
export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  const limits = resolveLimits(options.limits, SUBGRAPH_LIMITS);
  checkListSizes(limits, [buildSchema(readSupergraph(), { assumeValidSDL: true })], options.configFile ?? 'startRegistry options');
  const signer = new DirectorySigner({ privateKeyPem: options.operatorPrivateKeyPem, ...(options.directoryTtlSeconds === undefined ? {} : { ttlSeconds: options.directoryTtlSeconds }) });
  const guard = serverLimits<RegistryContext>(limits);
  const self = { destination: { kind: 'registry' } as const, replay: new ReplayGuard() };
  const verify = withRateLimit(async (req: IncomingMessage, raw: RawRequest) => verifySubgraphRequest(req, raw, options.source.current(), self), {
    rateLimit: limits.rateLimit,
    keyOf: (verified) => verified.caller.firmId,
  });
  const server = new ApolloServer<RegistryContext>({
    schema,
    ...hardenedServerOptions(guard, { log: options.log, subgraph: true, plugins: [validateRepresentations<RegistryContext>(schema)] }),
  });
  await server.start();
  const http = await startHttpServer({
    service: 'registry',
    host: options.host,
    port: options.port,
    maxBodyBytes: limits.maxBodyBytes,
    routes: [graphqlRoute('/graphql', server, async (req, raw) => ({ directory: (await verify(req, raw)).directory }))],
    get: { '/directory': directoryRoute(options.source, signer) },
    tls: options.tls,
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
