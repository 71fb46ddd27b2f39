import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { writeFileAtomically } from '../config/writeFileAtomically.js';
import { publicKeyPath, privateKeyPath } from '../identity/keys.js';
import { firmFileText } from '../subgraphs/firm/firmFile.js';
import { listedRegistryFile } from '../subgraphs/registry/registryFileEdits.js';
import type { ClusterTopology, MemberEndpoints } from '../cluster/directory.js';

/** A firm of a cluster started by code, as it listens. */
export interface ListeningFirm {
  firmId: string;
  port: number;
  endpoints: MemberEndpoints;
  /** Absolute path of its policy file. */
  policyFile: string;
  /** Its PostgreSQL database; absent: PGlite in `<dataDir>/firms/<id>/pgdata`. */
  databaseUrl?: string;
}

/** What {@link writeClusterFiles} writes. */
export interface ClusterFiles {
  registryFile: string;
  /** Holds `keys/` (every member's key pairs, the operator's and the gateway's) and `firms/`. */
  dataDir: string;
  topology: ClusterTopology;
  registry: { host: string; port: number; url: string };
  firms: ListeningFirm[];
  termsFile?: string;
  directoryRefreshSeconds: number;
}

/** What the firm files name besides: the gateway a firm's receipts check shipments through. */
export interface FirmFiles extends ClusterFiles {
  gatewayUrl: string;
}

/** `<dataDir>/firms/<firmId>.yaml`: the configuration file of a firm of a cluster started by code. */
export function firmFilePath(dataDir: string, firmId: string): string {
  return join(dataDir, 'firms', `${firmId}.yaml`);
}

const DEMO_FIRM_COMMENT = [
  'Written by the cluster starter (`dataspace demo`) at each start, with the port this firm listens on.',
  'This firm runs inside the demo process, on the database below: an embedded PGlite folder serves one',
  'process at a time, so while the demo runs, a command that needs the database goes through the running firm;',
  'once it is stopped, `--config` opens it directly (`dataspace log verify --config`, `dataspace export --config`).',
].join('\n');

/**
 * Writes the registry file of a cluster started by code once its firms listen, merged with
 * the one there (other members and relationships kept; see listedRegistryFile), every path
 * in it relative to it (key files in `<dataDir>/keys`), replaced whole (writeFileAtomically).
 * @example writeClusterRegistryFile({ registryFile: '.dataspace/cluster.yaml', dataDir: '.dataspace', topology, registry, firms, directoryRefreshSeconds: 10 });
 */
export function writeClusterRegistryFile(files: ClusterFiles): void {
  const keys = join(files.dataDir, 'keys');
  const fromRegistry = (path: string): string => relative(dirname(files.registryFile), path);
  const byId = new Map(files.firms.map((f) => [f.firmId, f]));
  const existing = existsSync(files.registryFile) ? readFileSync(files.registryFile, 'utf8') : undefined;
  const text = listedRegistryFile(files.registryFile, existing, {
    clusterId: files.topology.clusterId,
    listen: { host: files.registry.host, port: files.registry.port },
    operatorPrivateKeyFile: fromRegistry(privateKeyPath(keys, 'operator')),
    gatewayPublicKeyFile: fromRegistry(publicKeyPath(keys, 'gateway')),
    ...(files.termsFile ? { termsFile: files.termsFile } : {}),
    members: files.topology.members.map((m) => ({
      ...m,
      endpoints: byId.get(m.id)?.endpoints ?? { firm: '', links: '' },
      publicKeyFiles: [fromRegistry(publicKeyPath(keys, m.id))],
      serviceKeyFiles: [fromRegistry(publicKeyPath(keys, `${m.id}.service`))],
    })),
    relationships: files.topology.relationships,
  });
  writeFileAtomically(files.registryFile, text);
}

/**
 * Writes each firm's file `<dataDir>/firms/<id>.yaml` once the cluster's gateway listens:
 * its listen port, database, policy, registry, service key, pinned operator key and gateway.
 * @example writeClusterFirmFiles({ ...files, gatewayUrl: gateway.url });
 */
export function writeClusterFirmFiles(files: FirmFiles): void {
  const keys = join(files.dataDir, 'keys');
  for (const f of files.firms) {
    const file = firmFilePath(files.dataDir, f.firmId);
    const fromFirm = (path: string): string => relative(dirname(file), path);
    writeFileAtomically(
      file,
      firmFileText(file, {
        firmId: f.firmId,
        listen: { host: files.registry.host, port: f.port },
        database: f.databaseUrl ? { url: f.databaseUrl } : { dataDir: fromFirm(join(files.dataDir, 'firms', f.firmId, 'pgdata')) },
        policyFile: f.policyFile,
        registryUrl: files.registry.url,
        serviceKeyFile: fromFirm(privateKeyPath(keys, `${f.firmId}.service`)),
        operatorPublicKeyFiles: [fromFirm(publicKeyPath(keys, 'operator'))],
        directoryRefreshSeconds: files.directoryRefreshSeconds,
        gatewayUrl: files.gatewayUrl,
        comment: DEMO_FIRM_COMMENT,
      }),
    );
  }
}
