import { clusterAudience, memberIssuer, type Directory, type MemberRecord } from '../../cluster/directory.js';
import { clusterDirectory } from '../../cluster/clusterDirectory.js';
import { DirectoryClient } from '../../cluster/directoryClient.js';
import { publishTerms } from '../../cluster/publishTerms.js';
import type { ClusterOptions } from '../../local/startCluster.js';
import { startGateway, type RunningGateway } from '../../gateway/startGateway.js';
import { generateKeyPair, type KeyPairPem } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { MemoryDirectorySource } from '../../subgraphs/registry/directorySource.js';
import { startRegistry } from '../../subgraphs/registry/startRegistry.js';
import { spawnServer, type ServerProcess } from './spawnServer.js';

/** A cluster whose firms each run in their own process; registry and gateway run here. */
export interface ProcessCluster {
  gatewayUrl: string;
  registryUrl: string;
  gateway: RunningGateway;
  firms: Map<string, { firmId: string; server: ServerProcess }>;
  /** A user token of a firm (as its identity provider would sign it). */
  token(firmId: string): string;
  stop(): Promise<void>;
}

/**
 * Starts a cluster as a deployment runs it: every firm subgraph in its own process
 * (bench/lib/serverProcess.ts) on its own in-memory PGlite database under its policy, so
 * that the firms asked in one plan step work in parallel, as on separate machines; the
 * registry and the gateway in this process. Takes the same options as `startCluster`
 * (in-memory only: no `dataDir`, no `databaseUrlFor`, no fixed ports).
 * @example const cluster = await startProcessCluster({ ...demoClusterOptions(), dataDir: undefined });
 */
export async function startProcessCluster(options: ClusterOptions): Promise<ProcessCluster> {
  const { topology } = options;
  const gatewayKeys = generateKeyPair();
  const operator = generateKeyPair();
  const firmKeys = new Map<string, KeyPairPem>(topology.members.map((m) => [m.id, generateKeyPair()]));
  // Each firm process holds its service key only; the user-token keys stay here, with the tokens.
  const serviceKeys = new Map<string, KeyPairPem>(topology.members.map((m) => [m.id, generateKeyPair()]));
  const terms = options.termsFile ? publishTerms(options.termsFile) : undefined;
  const firmPublicKeys = new Map([...firmKeys].map(([id, k]) => [id, k.publicKeyPem]));
  const firmServiceKeys = new Map([...serviceKeys].map(([id, k]) => [id, k.publicKeyPem]));
  const directoryOf = (endpoints: Map<string, MemberRecord['endpoints']>): Directory =>
    clusterDirectory({ topology, firmPublicKeys, firmServiceKeys, gatewayPublicKey: gatewayKeys.publicKeyPem, endpoints, ...(terms ? { terms } : {}) });
  const directory = new MemoryDirectorySource(directoryOf(new Map()));
  const registry = await startRegistry({ source: directory, operatorPrivateKeyPem: operator.privateKeyPem, log: options.log, limits: options.limits?.subgraphs });
  const servers = await Promise.all(
    topology.members.map((m) =>
      spawnServer({
        kind: 'firm',
        firmIds: [m.id],
        topology,
        seed: options.seed ?? {},
        policyFile: options.policyFileFor(m.id),
        registryUrl: registry.url,
        operatorPublicKeyPem: operator.publicKeyPem,
        serviceKeyPem: (serviceKeys.get(m.id) as KeyPairPem).privateKeyPem,
        ...(options.accessLog === false ? { accessLog: false } : {}),
        ...(options.limits?.subgraphs ? { limits: options.limits.subgraphs } : {}),
      }),
    ),
  );
  const firms = new Map(topology.members.map((m, i) => [m.id, { firmId: m.id, server: servers[i] as ServerProcess }]));
  directory.set(directoryOf(new Map([...firms].map(([id, f]) => [id, { firm: `${f.server.url}/firm`, links: `${f.server.url}/links` }]))));
  await Promise.all(servers.map((s) => s.ready()));

  const gatewayDirectory = new DirectoryClient({
    registryUrl: registry.url,
    refreshMs: 10_000,
    operatorPublicKeys: [operator.publicKeyPem],
    reader: { kind: 'gateway', id: 'main', privateKeyPem: gatewayKeys.privateKeyPem },
  });
  await gatewayDirectory.start();
  const gateway = await startGateway({
    registryUrl: registry.url,
    directory: gatewayDirectory,
    gatewayId: 'main',
    privateKeyPem: gatewayKeys.privateKeyPem,
    limits: options.limits?.gateway,
    log: options.log,
  });
  return {
    gatewayUrl: gateway.url,
    registryUrl: registry.url,
    gateway,
    firms,
    token(firmId) {
      const keys = firmKeys.get(firmId);
      if (!keys) throw new Error(`unknown firm ${firmId}`);
      return signUserToken({
        privateKeyPem: keys.privateKeyPem,
        issuer: memberIssuer(topology.clusterId, firmId),
        audience: clusterAudience(topology.clusterId),
        firmId,
        subject: `planner@${firmId}`,
        roles: ['planner'],
      });
    },
    async stop() {
      gatewayDirectory.stop();
      await gateway.close();
      await Promise.all(servers.map((s) => s.stop()));
      await registry.close();
    },
  };
}
