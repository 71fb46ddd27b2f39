import { join } from 'node:path';
import { clusterAudience, gatewayIssuer, memberIssuer, type ClusterTopology, type Directory, type MemberRecord } from '../cluster/directory.js';
import { clusterDirectory } from '../cluster/clusterDirectory.js';
import { DirectoryClient } from '../cluster/directoryClient.js';
import type { DirectoryReader } from '../identity/directoryReaderToken.js';
import { publishTerms } from '../cluster/publishTerms.js';
import { startGateway, type RunningGateway } from '../gateway/startGateway.js';
import type { LimitsOverrides } from '../limits/limitsConfig.js';
import type { CircuitBreakerOptions } from '../routing/circuitBreaker.js';
import { signGatewayCredential, type CredentialDestination } from '../identity/gatewayCredential.js';
import { ensureKeyPair, generateKeyPair, type KeyPairPem } from '../identity/keys.js';
import { signUserToken } from '../identity/userToken.js';
import { generateCluster } from '../seed/generateCluster.js';
import { insertFirmSeed, isSeeded } from '../seed/insertSeed.js';
import { openFirmDatabase, type FirmDatabase } from '../subgraphs/firm/db/openFirmDatabase.js';
import { publishPolicy, type PublishedPolicy } from '../subgraphs/firm/publishedPolicy.js';
import { startFirmSubgraph, type RunningFirmSubgraph } from '../subgraphs/firm/startFirmSubgraph.js';
import { MemoryDirectorySource, type DirectorySource } from '../subgraphs/registry/directorySource.js';
import { FileDirectorySource } from '../subgraphs/registry/fileDirectorySource.js';
import { writeClusterFirmFiles, writeClusterRegistryFile, type ClusterFiles } from './writeClusterFiles.js';
import { startRegistry, type RunningRegistry } from '../subgraphs/registry/startRegistry.js';

/** How to start a whole cluster in one process: the demo, the tests and the benchmarks. */
export interface ClusterOptions {
  topology: ClusterTopology;
  /** The policy file of each firm. */
  policyFileFor(firmId: string): string;
  /** The cluster terms file the registry publishes; absent = no terms. */
  termsFile?: string;
  /**
   * Where firm data directories (`firms/<id>/pgdata`) and keys (`keys/`) live. Absent:
   * in-memory PGlite databases and in-memory keys.
   */
  dataDir?: string;
  /** A PostgreSQL URL per firm; when given, used instead of PGlite. */
  databaseUrlFor?: (firmId: string) => string;
  /** The generator's knobs for a firm database that is still empty. */
  seed?: { seed?: number; lotsPerFirm?: number };
  host?: string;
  /** Gateway port; the registry listens on port+1 and firm i on port+2+i. 0 (default): any free ports. */
  port?: number;
  firmTimeoutMs?: number;
  /** The gateway's per-request deadline (default 15 000 ms) and per-firm circuit breaker (see startGateway). */
  requestTimeoutMs?: number;
  circuitBreaker?: CircuitBreakerOptions | false;
  /** Write the access logs (default true); off only for a benchmark's baseline. */
  accessLog?: boolean;
  /** How often the gateway and firms re-read the directory; default 10 s. */
  directoryRefreshMs?: number;
  log?: (error: unknown) => void;
  /** Limits over the defaults (README "Limits"): the gateway's, and every subgraph's (firms and registry). */
  limits?: { gateway?: LimitsOverrides; subgraphs?: LimitsOverrides };
  /**
   * The firms' user-token keys live in `<dataDir>/keys` where `dataspace token --firm <id>` finds
   * them (the demo): the gateway tells a request without a token so (gateway/tokenAdvice.ts).
   */
  demoKeys?: boolean;
}

/** A cluster kept in a registry file (the demo): see {@link startCluster}. */
export interface RegistryFileOption {
  /**
   * The cluster's registry file (`cluster.yaml`, registryConfig.ts format; needs `dataDir`).
   * Once the firms listen, their real endpoints, the key files of `<dataDir>/keys` and the
   * terms file are written into it (other members and relationships in it are kept), and
   * each firm's own file to `<dataDir>/firms/<id>.yaml`; the registry then serves the
   * registry file and re-reads it when it changes: a member added to it joins the running
   * cluster. Absent: the directory is held in memory (`RunningCluster.directory.set`).
   */
  registryFile: string;
}

/** A firm of a running cluster, which a test may stop and start again. */
export interface ClusterFirm {
  firmId: string;
  database: FirmDatabase;
  /** The firm's user-token key pair (its identity provider's): signs its users' tokens, nothing else. */
  keys: KeyPairPem;
  /** The firm's service key pair (`<firmId>.service`, a name no firm id can take): its subgraph process reads the directory with it, and never holds `keys`. */
  serviceKeys: KeyPairPem;
  server: RunningFirmSubgraph | undefined;
  directory: DirectoryClient;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface RunningCluster<Source extends DirectorySource = MemoryDirectorySource> {
  gatewayUrl: string;
  registryUrl: string;
  gateway: RunningGateway;
  registry: RunningRegistry;
  /** What the registry serves: in memory (replace it with `set`), or the registry file (edit the file). */
  directory: Source;
  gatewayDirectory: DirectoryClient;
  firms: Map<string, ClusterFirm>;
  /** The cluster operator's key pair: the registry signs the directory with it, every reader pins its public half. */
  operator: KeyPairPem;
  /**
   * A new directory client on this cluster's registry for a reader listed in its directory
   * (not started; polling off unless `refreshMs` says), pinned to the operator's key.
   */
  directoryClient(reader: DirectoryReader, refreshMs?: number): DirectoryClient;
  /** Signs a token for a user of a firm (as that firm's identity provider would). */
  token(firmId: string, options?: { roles?: string[]; purpose?: string; subject?: string; ttlSeconds?: number }): string;
  /**
   * A credential of the cluster's gateway for a user token, meant for one destination and
   * one request body (tests that play the gateway; see test/harness/postAsGateway.ts).
   */
  gatewayCredential(userToken: string, destination: CredentialDestination, body: string): string;
  stop(): Promise<void>;
}

function portOf(base: number | undefined, offset: number): number {
  return base ? base + offset : 0;
}

/**
 * Starts a registry, a gateway and every firm of a topology, each a real HTTP server, in
 * one process: firms on their own databases (seeded when empty) under their own policies.
 * @example const cluster = await startCluster({ topology: DEMO_TOPOLOGY, policyFileFor: demoPolicyFile });
 */
export async function startCluster(options: ClusterOptions & RegistryFileOption): Promise<RunningCluster<FileDirectorySource>>;
export async function startCluster(options: ClusterOptions): Promise<RunningCluster>;
export async function startCluster(options: ClusterOptions & Partial<RegistryFileOption>): Promise<RunningCluster<DirectorySource>> {
  const { topology } = options;
  if (options.registryFile && !options.dataDir) throw new Error('startCluster: a registryFile needs a dataDir (its key files)');
  const keysOf = (name: string): KeyPairPem =>
    options.dataDir ? ensureKeyPair(join(options.dataDir, 'keys'), name) : generateKeyPair();
  const gatewayKeys = keysOf('gateway');
  const operator = keysOf('operator');
  const firmKeys = new Map(topology.members.map((m) => [m.id, keysOf(m.id)]));
  const serviceKeys = new Map(topology.members.map((m) => [m.id, keysOf(`${m.id}.service`)]));
  const policies = new Map(topology.members.map((m) => [m.id, publishPolicy(m.id, options.policyFileFor(m.id))]));

  const firmPublicKeys = new Map([...firmKeys].map(([id, k]) => [id, k.publicKeyPem]));
  const firmServiceKeys = new Map([...serviceKeys].map(([id, k]) => [id, k.publicKeyPem]));
  const directoryOf = (endpoints: Map<string, MemberRecord['endpoints']>): Directory =>
    clusterDirectory({ topology, firmPublicKeys, firmServiceKeys, gatewayPublicKey: gatewayKeys.publicKeyPem, endpoints, ...(terms ? { terms } : {}) });

  const terms = options.termsFile ? publishTerms(options.termsFile) : undefined;
  const directory = new MemoryDirectorySource(directoryOf(new Map()));
  // With a registry file, the registry serves it once the firms' endpoints are written there.
  let served: DirectorySource = directory;
  const registry = await startRegistry({ source: { current: () => served.current() }, operatorPrivateKeyPem: operator.privateKeyPem, host: options.host, port: portOf(options.port, 1), log: options.log, limits: options.limits?.subgraphs });
  const refreshMs = options.directoryRefreshMs ?? 10_000;
  const directoryClient = (reader: DirectoryReader, every = 0): DirectoryClient =>
    new DirectoryClient({ registryUrl: registry.url, refreshMs: every, operatorPublicKeys: [operator.publicKeyPem], reader });

  let gatewayUrl: string | undefined;
  const seed = generateCluster(topology, options.seed);
  const firms = new Map<string, ClusterFirm>();
  await Promise.all(
    topology.members.map(async (m, i) => {
      const database = await openFirmDatabase(
        options.databaseUrlFor
          ? { databaseUrl: options.databaseUrlFor(m.id) }
          : options.dataDir
            ? { dataDir: join(options.dataDir, 'firms', m.id, 'pgdata') }
            : {},
      );
      const firmSeed = seed.firms[m.id];
      if (firmSeed && !(await isSeeded(database.db))) await insertFirmSeed(database.db, firmSeed);
      const service = serviceKeys.get(m.id) as KeyPairPem;
      const client = directoryClient({ kind: 'firm', id: m.id, privateKeyPem: service.privateKeyPem }, refreshMs);
      let port = portOf(options.port, 2 + i);
      const firm: ClusterFirm = {
        firmId: m.id,
        database,
        keys: firmKeys.get(m.id) as KeyPairPem,
        serviceKeys: service,
        server: undefined,
        directory: client,
        async start() {
          if (firm.server) return;
          firm.server = await startFirmSubgraph({
            firmId: m.id,
            database,
            policy: policies.get(m.id) as PublishedPolicy,
            directory: client,
            ...(options.accessLog === false ? { accessLog: false } : {}),
            host: options.host,
            port,
            log: options.log,
            limits: options.limits?.subgraphs,
            serviceKey: service.privateKeyPem,
            // A receipt checks the supplier's shipment through the cluster's gateway, which starts after the firms.
            gatewayUrl: () => gatewayUrl,
          });
          port = firm.server.port;
        },
        async stop() {
          await firm.server?.close();
          firm.server = undefined;
        },
      };
      await firm.start();
      firms.set(m.id, firm);
    }),
  );
  directory.set(directoryOf(new Map([...firms].map(([id, f]) => [id, f.server?.endpoints ?? { firm: '', links: '' }]))));
  let clusterFiles: ClusterFiles | undefined;
  if (options.registryFile && options.dataDir) {
    clusterFiles = {
      registryFile: options.registryFile,
      dataDir: options.dataDir,
      topology,
      registry: { host: options.host ?? '127.0.0.1', port: registry.port, url: registry.url },
      firms: [...firms.values()].map((f) => ({
        firmId: f.firmId,
        port: f.server?.port ?? 0,
        endpoints: f.server?.endpoints ?? { firm: '', links: '' },
        policyFile: options.policyFileFor(f.firmId),
        ...(options.databaseUrlFor ? { databaseUrl: options.databaseUrlFor(f.firmId) } : {}),
      })),
      ...(options.termsFile ? { termsFile: options.termsFile } : {}),
      directoryRefreshSeconds: Math.max(1, Math.round(refreshMs / 1000)),
    };
    writeClusterRegistryFile(clusterFiles);
    served = new FileDirectorySource(options.registryFile, options.log);
  }
  await Promise.all([...firms.values()].map((f) => f.directory.start()));
  // Each firm's policy must fit the cluster terms (their purpose vocabulary): fail at start.
  for (const f of firms.values()) {
    const current = f.directory.current();
    if (current) f.server?.policy.inForce(current);
  }

  const gatewayDirectory = directoryClient({ kind: 'gateway', id: 'main', privateKeyPem: gatewayKeys.privateKeyPem }, refreshMs);
  await gatewayDirectory.start();
  const gateway = await startGateway({
    registryUrl: registry.url,
    directory: gatewayDirectory,
    gatewayId: 'main',
    privateKeyPem: gatewayKeys.privateKeyPem,
    firmTimeoutMs: options.firmTimeoutMs,
    limits: options.limits?.gateway,
    requestTimeoutMs: options.requestTimeoutMs,
    circuitBreaker: options.circuitBreaker,
    host: options.host,
    port: portOf(options.port, 0),
    log: options.log,
    demoKeys: options.demoKeys === true && options.dataDir !== undefined,
  });
  gatewayUrl = gateway.url;
  if (clusterFiles) writeClusterFirmFiles({ ...clusterFiles, gatewayUrl: gateway.url });

  return {
    gatewayUrl: gateway.url,
    registryUrl: registry.url,
    gateway,
    registry,
    directory: served,
    gatewayDirectory,
    firms,
    operator,
    directoryClient,
    token(firmId, o = {}) {
      const keys = firmKeys.get(firmId);
      if (!keys) throw new Error(`unknown firm ${firmId}`);
      return signUserToken({
        privateKeyPem: keys.privateKeyPem,
        issuer: memberIssuer(topology.clusterId, firmId),
        audience: clusterAudience(topology.clusterId),
        firmId,
        subject: o.subject ?? `${o.roles?.[0] ?? 'planner'}@${firmId}`,
        roles: o.roles ?? ['planner'],
        ...(o.purpose ? { purpose: o.purpose } : {}),
        ...(o.ttlSeconds ? { ttlSeconds: o.ttlSeconds } : {}),
      });
    },
    gatewayCredential(userToken, destination, body) {
      return signGatewayCredential({
        privateKeyPem: gatewayKeys.privateKeyPem,
        issuer: gatewayIssuer(topology.clusterId, 'main'),
        audience: clusterAudience(topology.clusterId),
        destination,
        userToken,
        request: body,
      });
    },
    async stop() {
      gatewayDirectory.stop();
      await gateway.close();
      for (const f of firms.values()) {
        f.directory.stop();
        await f.stop();
        await f.database.close();
      }
      await registry.close();
    },
  };
}
