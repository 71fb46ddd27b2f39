import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLScalarType, parse } from 'graphql';
import type { Directory } from '../../cluster/directory.js';
import { graphqlRoute, startHttpServer, type RawRequest } from '../../http/startHttpServer.js';
import { ReplayGuard } from '../../identity/replayGuard.js';
import { firmDataModel } from '../../schema/model.js';
import { subgraphSdl } from '../../schema/supergraph.js';
import { verifySubgraphRequest } from '../auth/verifySubgraphRequest.js';
import { Metrics } from '../../http/metrics.js';
import type { MetricsEndpoint } from '../../http/metricsEndpoint.js';
import type { TlsCredentials } from '../../http/tlsCredentials.js';
import { checkListSizes, resolveLimits, SUBGRAPH_LIMITS, type LimitsOverrides } from '../../limits/limitsConfig.js';
import { serverLimits } from '../../limits/serverLimits.js';
import { guardEntities } from '../representations/guardEntities.js';
import { validateRepresentations } from '../representations/validateRepresentations.js';
import { withRateLimit } from '../../limits/withRateLimit.js';
import { accessLogPlugin } from './accessLog/accessLogPlugin.js';
import { accessLogResolvers } from './accessLog/accessLogResolvers.js';
import { accessFor, type AccessSources } from './accessFor.js';
import { aggregateResolvers } from './aggregateResolvers.js';
import { policyResolvers } from './policyResolvers.js';
import { agreementResolvers } from './agreements/agreementResolvers.js';
import type { FirmDatabase } from './db/openFirmDatabase.js';
import type { FirmContext } from './firmContext.js';
import { firmResolvers, linksResolvers } from './firmResolvers.js';
import { enforcePolicy } from './enforcePolicy.js';
import { guardStoredValues } from './guardStoredValues.js';
import { importEndpoint } from './importEndpoint.js';
import { FirmPolicy } from './firmPolicy.js';
import { Loaders } from './loaders.js';
import { PeerPolicies } from './peerPolicies.js';
import { policyEndpoint } from './policyEndpoint.js';
import type { PublishedPolicy } from './publishedPolicy.js';
import { ReadRecorder } from './readRecorder.js';
import { gatewayQuery } from './receipts/gatewayQuery.js';
import { receiptResolvers } from './receipts/receiptResolvers.js';
import { capabilityResolvers, spcResolvers } from './spc/spcResolvers.js';
import { writeApiResolvers } from './writeApi/writeApiResolvers.js';
import { notificationResolvers } from './notifications/notificationResolvers.js';
import { NotificationCourier } from './notifications/notificationCourier.js';
import { writeLogResolvers } from './writeLog/writeLogResolvers.js';
import { bearerToken } from '../../identity/userToken.js';
import { hardenedServerOptions } from '../../limits/hardenedServerOptions.js';
import { gatewayAsFirm } from './gatewayAsFirm.js';

export interface FirmSubgraphOptions {
  firmId: string;
  database: FirmDatabase;
  /** The firm's policy file as published (its text): parsed at start, served at `GET /policy`. */
  policy: PublishedPolicy;
  /**
   * The cluster directory (trust list, relationships), kept fresh by a DirectoryClient; its
   * `refusals` (documents refused: unsigned, wrongly signed, rolled back...) are served as
   * `dataspace_directory_refused_total`.
   */
  directory: { current(): Directory | undefined; readonly refusals?: number };
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /**
   * Write the access log (default true). Only a benchmark's baseline turns it off; no
   * configuration file can: a firm in a cluster always logs.
   */
  accessLog?: boolean;
  /** Log for internal errors (masked to clients). Default console.error. */
  log?: (error: unknown) => void;
  /**
   * The firm's own operation limits, cost, body size and rate limit per caller firm, for
   * `/firm` and `/links` alike (limits/limitsConfig.ts; default SUBGRAPH_LIMITS): the firm
   * does not rely on the gateway's. A `listSizes` key must name a list field of the `firm`
   * or `links` schema.
   */
  limits?: LimitsOverrides;
  /** Where `limits` come from, named in a ConfigError (the configuration file). Default `startFirmSubgraph options`. */
  configFile?: string;
  /** Listen with TLS: the certificate and key (PEM); the URL becomes https://. */
  tls?: TlsCredentials;
  /** Who may scrape `GET /metrics` (http/metricsEndpoint.ts): a bearer token, a separate listener; default local callers only. */
  metricsEndpoint?: MetricsEndpoint;
  /**
   * The firm's service key (PKCS#8 PEM, or a function re-reading it on rotation), whose public
   * half the directory lists in its `serviceKeys`: it reads its peers' `GET /policy` (members
   * only) for give-to-get rules. Without it, no peer policy is read and give-to-get rules never hold.
   */
  serviceKey?: string | (() => string);
  /**
   * The cluster gateway's GraphQL endpoint (`https://gateway.example/graphql`), or a function
   * giving it once the gateway runs: a receipt (`recordReceipt`) checks the supplier's shipment
   * through it with the caller's own token. Absent: receipts are stored unverified.
   */
  gatewayUrl?: string | (() => string | undefined);
  /** How often undelivered quality-notification changes are retried (default 5000 ms; docs/quality-notifications.md). */
  notificationRetryMs?: number;
}

export interface RunningFirmSubgraph {
  firmId: string;
  url: string;
  /** The separate metrics listener's base URL (`metricsEndpoint.listen`), when there is one. */
  metricsUrl?: string;
  port: number;
  endpoints: { firm: string; links: string };
  metrics: Metrics;
  /** The firm's policy under the cluster terms: `policy.inForce(directory)` throws when they do not fit. */
  policy: FirmPolicy;
  /** The courier of the firm's quality-notification changes (tests wait on `idle()`). */
  notifications: NotificationCourier;
  close(): Promise<void>;
}

const dataModel = firmDataModel();

/**
 * The resolver maps of the `firm` logical subgraph, merged type by type: the data
 * (firmResolvers) and each governance capability in its own module.
 */
const FIRM_RESOLVER_MODULES = [
  firmResolvers,
  accessLogResolvers,
  agreementResolvers,
  policyResolvers,
  aggregateResolvers,
  writeApiResolvers,
  writeLogResolvers,
  receiptResolvers,
  notificationResolvers,
  spcResolvers,
  capabilityResolvers,
];

function mergeResolverMaps(maps: readonly object[]): GraphQLResolverMap<FirmContext> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, resolvers] of Object.entries(map)) {
      if (resolvers instanceof GraphQLScalarType) {
        (merged as Record<string, unknown>)[type] = resolvers;
        continue;
      }
      merged[type] = { ...(merged[type] ?? {}), ...(resolvers as Record<string, unknown>) };
    }
  }
  return merged as GraphQLResolverMap<FirmContext>;
}

/**
 * The firm's schemas, built once per process: the policy is applied per request. Every
 * `_entities` call checks its representations before any resolver reads them (guardEntities);
 * a stored value the schema cannot represent fails its field with STORED_VALUE_INVALID (guardStoredValues).
 */
const schemas = (() => {
  const firm = guardEntities(
    enforcePolicy(guardStoredValues(buildSubgraphSchema([{ typeDefs: parse(subgraphSdl('firm')), resolvers: mergeResolverMaps(FIRM_RESOLVER_MODULES) }])), dataModel),
  );
  const links = guardEntities(buildSubgraphSchema([{ typeDefs: parse(subgraphSdl('links')), resolvers: linksResolvers as GraphQLResolverMap<FirmContext> }]));
  return { firm, links };
})();

function countingPlugin(metrics: Metrics): ApolloServerPlugin<FirmContext> {
  return {
    async requestDidStart() {
      metrics.inc('dataspace_graphql_requests_total');
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            if (e.extensions?.code === 'OWNER_MISMATCH') metrics.inc('dataspace_owner_mismatch_total');
            if (e.extensions?.code === 'FORBIDDEN') metrics.inc('dataspace_forbidden_total');
          }
        },
      };
    },
  };
}

/**
 * Starts a firm's subgraph: the `firm` and `links` logical subgraphs at `/firm` and `/links`,
 * `GET /health` and `GET /metrics`. Every request must carry a user token of a cluster
 * member and the gateway's credential bound to it (zero trust); the firm's own policy
 * decides what that user sees.
 * @example const s = await startFirmSubgraph({ firmId: 'structura', database, policy, directory });
 */
export async function startFirmSubgraph(options: FirmSubgraphOptions): Promise<RunningFirmSubgraph> {
  const { firmId, database, policy, directory } = options;
  const limits = resolveLimits(options.limits, SUBGRAPH_LIMITS);
  checkListSizes(limits, [schemas.firm, schemas.links], options.configFile ?? 'startFirmSubgraph options');
  const metrics = new Metrics({ firm: firmId });
  metrics.gauge('dataspace_sql_statements_total', () => database.statements());
  metrics.gauge('dataspace_directory_refused_total', () => directory.refusals ?? 0);

  const firmPolicy = new FirmPolicy(firmId, policy, dataModel);
  const peers = new PeerPolicies(dataModel, {
    ...(options.serviceKey === undefined ? {} : { reader: { kind: 'firm', id: firmId, privateKeyPem: options.serviceKey } }),
    onRefused: () => metrics.inc('dataspace_peer_policy_refused_total'),
  });
  const sources: AccessSources = { firmId, policy: firmPolicy, db: database.db, peers, model: dataModel };

  const guard = serverLimits<FirmContext>(limits, {
    onReject: (code) => metrics.inc(code === 'RATE_LIMITED' ? 'dataspace_rate_limited_total' : 'dataspace_limit_rejections_total'),
  });
  // Verify, then spend one request of the caller firm's budget (shared by /firm and /links),
  // before the policy and agreements are read.
  const self = { destination: { kind: 'firm', firmId } as const, replay: new ReplayGuard() };
  const verify = withRateLimit(async (req: IncomingMessage, raw: RawRequest) => verifySubgraphRequest(req, raw, directory.current(), self), {
    rateLimit: limits.rateLimit,
    keyOf: (verified) => verified.caller.firmId,
  });

  // The gateway, asked as the request's own user (its verified token): a receipt's check.
  const gatewayFor = (req: IncomingMessage): Pick<FirmContext, 'gateway'> => {
    const url = typeof options.gatewayUrl === 'function' ? options.gatewayUrl() : options.gatewayUrl;
    const token = bearerToken(req.headers.authorization);
    return url && token ? { gateway: gatewayQuery(url, token) } : {};
  };
  // The gateway, asked as this firm itself (its service key): chain membership, notifications.
  const asFirmFor = (current: Directory): Pick<FirmContext, 'asFirm'> => {
    const gatewayUrl = typeof options.gatewayUrl === 'function' ? options.gatewayUrl() : options.gatewayUrl;
    const serviceKey = options.serviceKey;
    return gatewayUrl && serviceKey ? { asFirm: (purpose) => gatewayAsFirm({ firmId, gatewayUrl, serviceKey, audience: current.audience }, purpose) } : {};
  };

  // Delivers the firm's quality-notification changes to the other parties, as the firm itself.
  const courier = new NotificationCourier({
    firmId,
    db: database.db,
    asFirm: () => {
      const current = directory.current();
      return current ? asFirmFor(current).asFirm?.('quality-investigation') : undefined;
    },
    ...(options.notificationRetryMs === undefined ? {} : { retryMs: options.notificationRetryMs }),
    ...(options.log ? { log: options.log } : {}),
  });

  const context = async (req: IncomingMessage, raw: RawRequest): Promise<FirmContext> => {
    const verified = await verify(req, raw);
    const now = new Date();
    const access = await accessFor(sources, verified.directory, verified.caller, now);
    const reads = new ReadRecorder((type) => dataModel.types[type]?.keyFields ?? []);
    return {
      firmId,
      access,
      loaders: new Loaders(database.db, access),
      db: database.db,
      reads,
      now,
      directory: verified.directory,
      accessAs: (caller) => accessFor(sources, verified.directory, caller, now),
      purposes: firmPolicy.inForce(verified.directory).terms?.purposes.map((p) => p.id),
      ...gatewayFor(req),
      ...asFirmFor(verified.directory),
      notifications: courier,
    };
  };

  const onAppend = (outcome: 'ok' | 'failed'): void => metrics.inc(`dataspace_access_log_${outcome === 'ok' ? 'entries' : 'failures'}_total`);
  const servers = (['firm', 'links'] as const).map(
    (name) =>
      new ApolloServer<FirmContext>({
        schema: schemas[name],
        ...hardenedServerOptions(guard, {
          log: options.log,
          subgraph: true,
          plugins: [
            validateRepresentations<FirmContext>(schemas[name]),
            countingPlugin(metrics),
            ...(name === 'firm' && options.accessLog !== false ? [accessLogPlugin({ log: options.log, onAppend })] : []),
          ],
        }),
      }),
  );
  await Promise.all(servers.map((s) => s.start()));
  const [firmServer, linksServer] = servers as [ApolloServer<FirmContext>, ApolloServer<FirmContext>];

  const http = await startHttpServer({
    service: `firm:${firmId}`,
    host: options.host,
    port: options.port,
    maxBodyBytes: limits.maxBodyBytes,
    routes: [
      graphqlRoute('/firm', firmServer, context),
      graphqlRoute('/links', linksServer, context),
      // The firm's own import while it runs (one writer): its users with the role integration only.
      importEndpoint({ firmId, db: database.db, directory }),
    ],
    metrics,
    metricsEndpoint: options.metricsEndpoint,
    tls: options.tls,
    get: {
      // Members only: a user token of any member, or a member firm's reader token (policyEndpoint.ts).
      '/policy': policyEndpoint(policy, directory),
    },
    // `members`: how many the directory it holds lists (a firm that joined shows once it re-read it).
    health: () => ({ firmId, directory: directory.current() ? 'loaded' : 'pending', members: directory.current()?.members.length ?? 0 }),
  });

  courier.start();
  return {
    firmId,
    url: http.url,
    ...(http.metricsUrl === undefined ? {} : { metricsUrl: http.metricsUrl }),
    port: http.port,
    endpoints: { firm: `${http.url}/firm`, links: `${http.url}/links` },
    metrics,
    policy: firmPolicy,
    notifications: courier,
    close: async () => {
      courier.stop();
      await courier.idle();
      await http.close();
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}
