import type { DirectoryClient } from '../../cluster/directoryClient.js';
import type { RunningCluster } from '../../local/startCluster.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/startGateway.js';
import { registerGateway } from './registerGateway.js';

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
  options: Pick<GatewayOptions, 'firmTimeoutMs' | 'requestTimeoutMs' | 'circuitBreaker' | 'limits' | 'trustedDocuments'> = {},
): Promise<ExtraGateway> {
  const keys = await registerGateway(cluster, gatewayId);
  const directory = cluster.directoryClient({ kind: 'gateway', id: gatewayId, privateKeyPem: keys.privateKeyPem });
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
