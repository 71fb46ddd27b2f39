import { gatewayIssuer } from '../../cluster/directory.js';
import type { RunningCluster } from '../../local/startCluster.js';
import { generateKeyPair, type KeyPairPem } from '../../identity/keys.js';

/**
 * Adds a gateway identity to a running cluster's directory, as an operator adds a gateway: a
 * fresh key pair whose public key is listed under `gateways`, and every directory client of
 * the cluster refreshed so that the firms trust its credentials at once.
 * @example const keys = await registerGateway(cluster, 'peer');
 */
export async function registerGateway(cluster: RunningCluster, gatewayId: string): Promise<KeyPairPem> {
  const keys = generateKeyPair();
  const current = cluster.directory.current();
  cluster.directory.set({
    ...current,
    gateways: [...current.gateways, { id: gatewayId, issuer: gatewayIssuer(current.clusterId, gatewayId), publicKeys: [keys.publicKeyPem] }],
  });
  await Promise.all([cluster.gatewayDirectory, ...[...cluster.firms.values()].map((f) => f.directory)].map((d) => d.refresh()));
  return keys;
}
