import { DirectoryClient } from '../../cluster/directoryClient.js';
import { gatewayIssuer } from '../../cluster/directory.js';
import type { RunningCluster } from '../../cluster/startCluster.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/startGateway.js';
import { generateKeyPair } from '../../identity/keys.js';

/** A second gateway on a running cluster, with its own directory client. */
export interface ExtraGateway extends RunningGateway {
  directory: DirectoryClient;
}

/**
 * Starts another gateway in front of a running cluster, with its own options (timeouts,
 * circuit breaker, limits) and therefore its own router and breakers: the way an operator adds a
 * gateway, by registering its public key in the directory. Every directory client of the
 * cluster is refreshed so that the firms trust its credential.
 * @example const gw = await startExtraGateway(cluster, 'faults', { requestTimeoutMs: 1000 }); ... await gw.close();
 */
export async function startExtraGateway(
  cluster: RunningCluster,
  gatewayId: string,
  options: Pick<GatewayOptions, 'firmTimeoutMs' | 'requestTimeoutMs' | 'circuitBreaker' | 'limits'> = {},
): Promise<ExtraGateway> {
  const keys = generateKeyPair();
  const current = cluster.directory.current();
  cluster.directory.set({
    ...current,
    gateways: [...current.gateways, { id: gatewayId, issuer: gatewayIssuer(current.clusterId, gatewayId), publicKeys: [keys.publicKeyPem] }],
  });
  await Promise.all([cluster.gatewayDirectory, ...[...cluster.firms.values()].map((f) => f.directory)].map((d) => d.refresh()));
  const directory = new DirectoryClient({ registryUrl: cluster.registryUrl, refreshMs: 0 });
  await directory.start();
  const gateway = await startGateway({ registryUrl: cluster.registryUrl, directory, gatewayId, privateKeyPem: keys.privateKeyPem, ...options });
  return {
    ...gateway,
    directory,
    close: async () => {
      directory.stop();
      await gateway.close();
    },
  };
}
