import { clusterAudience, gatewayIssuer, memberIssuer, type ClusterTopology, type Directory, type MemberRecord, type PublishedTerms } from './directory.js';

/** What a cluster started by code publishes in its directory. */
export interface ClusterDirectoryInput {
  topology: ClusterTopology;
  /** Each member's public key (PEM): the key of its users' tokens. */
  firmPublicKeys: ReadonlyMap<string, string>;
  /** Each member's service public key (PEM): what its subgraph process reads the directory with. */
  firmServiceKeys: ReadonlyMap<string, string>;
  /** The public key of the cluster's one gateway, `main`. */
  gatewayPublicKey: string;
  terms?: PublishedTerms;
  /** Each member's endpoints; a member without is listed with empty ones (not started yet). */
  endpoints: ReadonlyMap<string, MemberRecord['endpoints']>;
}

/**
 * The directory of a cluster started by code (the demo, the tests, the benchmarks): every
 * member of the topology with its issuer, user-token key, service key and endpoints, the
 * gateway `main`, the relationships and the terms. A member without a service key is listed
 * with none (it cannot read the directory).
 * @example directory.set(clusterDirectory({ topology, firmPublicKeys, firmServiceKeys, gatewayPublicKey, endpoints }));
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
      serviceKeys: input.firmServiceKeys.has(m.id) ? [input.firmServiceKeys.get(m.id) ?? ''] : [],
    })),
    gateways: [{ id: 'main', issuer: gatewayIssuer(topology.clusterId, 'main'), publicKeys: [input.gatewayPublicKey] }],
    relationships: topology.relationships,
    ...(input.terms ? { terms: input.terms } : {}),
  };
}
