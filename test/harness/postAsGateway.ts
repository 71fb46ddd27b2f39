import type { RunningCluster } from '../../local/startCluster.js';
import { GATEWAY_CREDENTIAL_HEADER } from '../../identity/gatewayCredential.js';
import { postGraphQL, type GraphQLResult } from './graphqlClient.js';

/** Where a test sends a request as the gateway would: a firm's `firm` or `links` endpoint. */
export interface GatewayTarget {
  firmId: string;
  subgraph?: 'firm' | 'links';
}

/**
 * POSTs a request straight to a firm's subgraph the way the cluster's gateway does: the
 * user token and a gateway credential signed for this firm and this very request body.
 * @example const r = await postAsGateway(cluster, { firmId: 'structura' }, ENTITIES, { token, variables: { r: [rep] } });
 */
export async function postAsGateway(
  cluster: Pick<RunningCluster, 'firms' | 'gatewayCredential'>,
  target: GatewayTarget,
  query: string,
  options: { token: string; variables?: Record<string, unknown>; headers?: Record<string, string> },
): Promise<GraphQLResult> {
  const server = cluster.firms.get(target.firmId)?.server;
  if (!server) throw new Error(`postAsGateway: firm ${target.firmId} is not running`);
  const body = JSON.stringify({ query, variables: options.variables });
  const credential = cluster.gatewayCredential(options.token, { kind: 'firm', firmId: target.firmId }, body);
  return postGraphQL(server.endpoints[target.subgraph ?? 'firm'], query, {
    token: options.token,
    ...(options.variables ? { variables: options.variables } : {}),
    headers: { [GATEWAY_CREDENTIAL_HEADER]: credential, ...options.headers },
  });
}
