import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Directory } from '../../cluster/directory.js';
import type { Caller } from '../../identity/caller.js';
import { AuthError } from '../../identity/authError.js';
import { GATEWAY_CREDENTIAL_HEADER, verifyGatewayCredential, type CredentialDestination } from '../../identity/gatewayCredential.js';
import type { ReplayGuard } from '../../identity/replayGuard.js';
import { signedPart, type RawRequest } from '../../http/rawRequest.js';
import { TrustList } from '../../identity/trustList.js';
import { bearerToken } from '../../identity/userToken.js';
import { verifyCallerToken } from '../../identity/callerToken.js';

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

/** Who the subgraph is (credentials meant for anyone else are refused) and its memory of used credentials. */
export interface SubgraphIdentity {
  destination: CredentialDestination;
  replay: ReplayGuard;
}

/**
 * Zero trust at the subgraph: verifies the user's token AND the gateway's credential bound
 * to it, to this subgraph and to this very request (its raw bytes), against the cluster's
 * trust list; each credential is accepted once. Anything else is refused with 401 before any
 * operation runs: no data, no `_entities`, no `_service` schema.
 * @example const { caller } = await verifySubgraphRequest(req, raw, directoryClient.current(), { destination: { kind: 'firm', firmId }, replay });
 */
export async function verifySubgraphRequest(req: IncomingMessage, raw: RawRequest, directory: Directory | undefined, self: SubgraphIdentity): Promise<VerifiedRequest> {
  if (!directory) {
    throw new GraphQLError('The cluster directory is not available yet; try again shortly.', {
      extensions: { code: 'DIRECTORY_UNAVAILABLE', http: { status: 503 } },
    });
  }
  try {
    const trust = TrustList.of(directory);
    const token = bearerToken(header(req, 'authorization'));
    if (!token) throw new AuthError('UNAUTHENTICATED', 'A bearer token is required.');
    const caller = await verifyCallerToken(token, directory);
    const { gatewayId } = verifyGatewayCredential(header(req, GATEWAY_CREDENTIAL_HEADER), token, trust, {
      audience: directory.audience,
      destination: self.destination,
      request: signedPart(raw),
      replay: self.replay,
    });
    return { caller, gatewayId, directory };
  } catch (err) {
    if (err instanceof AuthError) {
      throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.httpStatus } } });
    }
    throw err;
  }
}
