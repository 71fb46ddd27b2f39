import type { DirectoryClient } from '../../cluster/directoryClient.js';
import type { RunningCluster } from '../../local/startCluster.js';

/**
 * Publishes `baseUrl` (a proxy) as a firm's endpoints (`<baseUrl>/firm`, `<baseUrl>/links`)
 * and refreshes the given gateways' directories. Returns how to put the real endpoints back.
 * @example const restore = await routeFirmThrough(cluster, 'precimach', proxy.url, [gw.directory]); ... await restore();
 */
export async function routeFirmThrough(
  cluster: RunningCluster,
  firmId: string,
  baseUrl: string,
  directories: DirectoryClient[],
): Promise<() => Promise<void>> {
  const refresh = () => Promise.all([cluster.gatewayDirectory, ...directories].map((d) => d.refresh()));
  const original = cluster.directory.current();
  cluster.directory.set({
    ...original,
    members: original.members.map((m) => (m.id === firmId ? { ...m, endpoints: { firm: `${baseUrl}/firm`, links: `${baseUrl}/links` } } : m)),
  });
  await refresh();
  return async () => {
    const now = cluster.directory.current();
    const real = original.members.find((m) => m.id === firmId)?.endpoints;
    cluster.directory.set({ ...now, members: now.members.map((m) => (m.id === firmId && real ? { ...m, endpoints: real } : m)) });
    await refresh();
  };
}
