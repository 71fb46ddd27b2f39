import type { RunningCluster } from '../../local/startCluster.js';
import { startOwnerRouterServer, type OwnerRouterServerOptions, type RunningOwnerRouterServer } from '../../router/startOwnerRouterServer.js';
import { registerGateway } from './registerGateway.js';
import { startHiveGateway, type RunningHiveGateway } from './startHiveGateway.js';

/** A peer gateway in front of a running cluster's firms: Hive Gateway → stand-alone owner router. */
export interface PeerGateway {
  /** The Hive gateway's GraphQL endpoint (what clients query). */
  url: string;
  hive: RunningHiveGateway;
  router: RunningOwnerRouterServer;
  close(): Promise<void>;
}

/**
 * Starts a stand-alone owner router with a gateway identity of its own (`gatewayId`, a fresh
 * key registered in the cluster's directory, as an operator adds a gateway; every directory
 * client of the cluster is refreshed so that the firms trust it), and Hive Gateway in front of
 * it on the committed supergraph.
 * @example const peer = await startPeerGateway(cluster); await postGraphQL(peer.url, GENEALOGY_QUERY, { token }); await peer.close();
 */
export async function startPeerGateway(
  cluster: RunningCluster,
  gatewayId = 'peer',
  options: Pick<OwnerRouterServerOptions, 'firmTimeoutMs' | 'requestTimeoutMs' | 'circuitBreaker' | 'localLinks' | 'log'> = {},
): Promise<PeerGateway> {
  const keys = await registerGateway(cluster, gatewayId);
  const directory = cluster.directoryClient({ kind: 'gateway', id: gatewayId, privateKeyPem: keys.privateKeyPem });
  await directory.start();
  const router = await startOwnerRouterServer({ registryUrl: cluster.registryUrl, directory, gatewayId, privateKeyPem: keys.privateKeyPem, ...options });
  const hive = await startHiveGateway(router.endpoints);
  return {
    url: hive.url,
    hive,
    router,
    close: async () => {
      await hive.close();
      await router.close();
      directory.stop();
    },
  };
}
