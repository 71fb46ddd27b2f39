import { startCluster, type ClusterOptions, type RunningCluster } from '../../local/startCluster.js';
import type { ClusterTopology } from '../../cluster/directory.js';
import { demoPolicyFile, demoTermsFile } from '../../demo/demoCluster.js';
import { DEMO_TOPOLOGY } from '../../demo/topology.js';
import { createTestDatabases, type TestDatabases } from './databases.js';

export interface TestCluster extends RunningCluster {
  databases: TestDatabases;
}

/**
 * Starts a real cluster for a test: registry, gateway and firms on port 0, each firm on its
 * own database (in-memory PGlite, or a fresh PostgreSQL database when DATABASE_URL is set).
 * @example const cluster = await startTestCluster(); ... await cluster.stop();
 */
export async function startTestCluster(
  options: Partial<Omit<ClusterOptions, 'topology'>> & { topology?: ClusterTopology } = {},
): Promise<TestCluster> {
  const topology = options.topology ?? DEMO_TOPOLOGY;
  const databases = await createTestDatabases(topology.members.map((m) => m.id));
  const { urlFor } = databases;
  try {
    const cluster = await startCluster({
      policyFileFor: demoPolicyFile,
      termsFile: demoTermsFile(),
      seed: { seed: 42, lotsPerFirm: 12 },
      ...options,
      topology,
      port: 0,
      ...(urlFor ? { databaseUrlFor: urlFor } : {}),
    });
    return {
      ...cluster,
      databases,
      stop: async () => {
        await cluster.stop();
        await databases.drop();
      },
    };
  } catch (err) {
    await databases.drop();
    throw err;
  }
}
