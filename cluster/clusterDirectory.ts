import { clusterAudience, gatewayIssuer, memberIssuer, type ClusterTopology, type Directory, type MemberRecord, type PublishedTerms } from './directory.js';

/** What a cluster started by code publishes in its directory. */
export interface ClusterDirectoryInput {
  topology: ClusterTopology;
  /** Each member's public key (PEM). */
  firmPublicKeys: ReadonlyMap<string, string>;
  /** The public key of the cluster's one gateway, `main`. */
  gatewayPublicKey: string;
  terms?: PublishedTerms;
  /** Each member's endpoints; a member without is listed with empty ones (not started yet). */
  endpoints: ReadonlyMap<string, MemberRecord['endpoints']>;
}

/**
 * The directory of a cluster started by code (the demo, the tests, the benchmarks): every
 * member of the topology with its issuer, key and endpoints, the gateway `main`, the
 * relationships and the terms.
 * @example directory.set(clusterDirectory({ topology, firmPublicKeys, gatewayPublicKey, endpoints }));
 */
export function clusterDirectory(input: ClusterDirectoryInput): Directory {
  const { topology } = input;
  return {
    clusterId: topology.clusterId,
    audience: clusterAudience(topology.clusterId),
    members: topology.members.map((m) => ({
      ...m,
      endpoints: input.endpoints.get(m.id) ?? { firm: '', links: '' },
      issuer: memberIssuer(topology.clusterId, m.id),
      publicKeys: [input.firmPublicKeys.get(m.id) ?? ''],
    })),
    gateways: [{ id: 'main', issuer: gatewayIssuer(topology.clusterId, 'main'), publicKeys: [input.gatewayPublicKey] }],
    relationships: topology.relationships,
    ...(input.terms ? { terms: input.terms } : {}),
  };
}
