import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemberProfile } from '../cluster/directory.js';
import type { ClusterOptions } from '../local/startCluster.js';
import { loadConfigFile } from '../config/loadConfigFile.js';
import { registryConfigSchema } from '../subgraphs/registry/registryConfig.js';
import { DEMO_TOPOLOGY } from './topology.js';

/** The default data folder of the demo: `DATASPACE_DATA_DIR`, else `.dataspace` in the working directory. */
export function demoDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DATASPACE_DATA_DIR && env.DATASPACE_DATA_DIR.length > 0 ? env.DATASPACE_DATA_DIR : '.dataspace');
}

/** The demo's registry file, `<data folder>/cluster.yaml`: the running registry re-reads it, `dataspace init firm` adds a firm to it. */
export function demoRegistryFile(dataDir: string = demoDataDir()): string {
  return join(dataDir, 'cluster.yaml');
}

/**
 * The demo cluster as its registry file lists it now (with the firms that joined it), or the
 * demo topology when the demo has not run in this data folder yet.
 * @example demoClusterMembers().members.find((m) => m.id === 'titanforge')?.tier // 2, once it joined
 */
export function demoClusterMembers(dataDir: string = demoDataDir()): { clusterId: string; members: MemberProfile[] } {
  const file = demoRegistryFile(dataDir);
  if (!existsSync(file)) return DEMO_TOPOLOGY;
  const config = loadConfigFile(file, registryConfigSchema);
  return { clusterId: config.clusterId, members: config.members.map(({ id, name, role, tier, sector }) => ({ id, name, role, tier, sector })) };
}

/** The policy file each demo firm wrote for itself. */
export function demoPolicyFile(firmId: string): string {
  return fileURLToPath(new URL(`./policies/${firmId}.yaml`, import.meta.url));
}

/** The cluster terms of the demo: purposes, baseline rules, prohibitions. */
export function demoTermsFile(): string {
  return fileURLToPath(new URL('./clusterTerms.yaml', import.meta.url));
}

/** Default gateway port of the demo; the registry and the firms take the next ones. */
export const DEMO_PORT = 4000;

/**
 * The demo cluster is configuration only: the demo topology, each firm's policy file, the
 * generator's defaults, and a data folder; it runs on the same modules as any cluster.
 */
export function demoClusterOptions(overrides: Partial<ClusterOptions> = {}): ClusterOptions {
  return {
    topology: DEMO_TOPOLOGY,
    policyFileFor: demoPolicyFile,
    termsFile: demoTermsFile(),
    dataDir: demoDataDir(),
    seed: { seed: 42, lotsPerFirm: 40 },
    port: DEMO_PORT,
    demoKeys: true,
    ...overrides,
  };
}
