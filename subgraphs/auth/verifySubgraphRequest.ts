import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Directory } from '../../cluster/directory.js';
import type { Caller } from '../../identity/caller.js';
import { AuthError } from '../../identity/authError.js';
import { GATEWAY_CREDENTIAL_HEADER, verifyGatewayCredential } from '../../identity/gatewayCredential.js';
import { TrustList } from '../../identity/trustList.js';
import { bearerToken, verifyUserToken } from '../../identity/userToken.js';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A request that came through a trusted gateway, on behalf of a verified user. */
export interface VerifiedRequest {
  caller: Caller;
  gatewayId: string;
  directory: Directory;
}

/**
 * Zero trust at the subgraph: verifies the user's token AND the gateway's credential bound
 * to it, against the cluster's trust list. Anything else is refused with 401 before any
 * operation runs: no data, no `_entities`, no `_service` schema.
 * @example const { caller } = verifySubgraphRequest(req, directoryClient.current());
 */
export function verifySubgraphRequest(req: IncomingMessage, directory: Directory | undefined): VerifiedRequest {
  if (!directory) {
    throw new GraphQLError('The cluster directory is not available yet; try again shortly.', {
      extensions: { code: 'DIRECTORY_UNAVAILABLE', http: { status: 503 } },
    });
  }
  try {
    const trust = TrustList.of(directory);
    const token = bearerToken(header(req, 'authorization'));
    if (!token) throw new AuthError('UNAUTHENTICATED', 'A bearer token is required.');
    const caller = verifyUserToken(token, trust, directory.audience);
    const { gatewayId } = verifyGatewayCredential(header(req, GATEWAY_CREDENTIAL_HEADER), token, trust, directory.audience);
    return { caller, gatewayId, directory };
  } catch (err) {
    if (err instanceof AuthError) {
      throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.httpStatus } } });
    }
    throw err;
  }
}
