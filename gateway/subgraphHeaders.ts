import type { Directory } from '../cluster/directory.js';
import { GATEWAY_CREDENTIAL_HEADER, signGatewayCredential, type CredentialDestination } from '../identity/gatewayCredential.js';

/** A gateway's identity: its id in the directory's `gateways` and its signing key (re-read on rotation when a function). */
export interface GatewayIdentity {
  gatewayId: string;
  privateKeyPem: string | (() => string);
}

/** What a gateway sends the subgraphs on behalf of one verified user. */
export interface SubgraphAuth {
  /** Headers of every request for this user: the token. */
  headers: Record<string, string>;
  /**
   * The credential header for one request to one destination, signed for that destination
   * and that exact body; none when the directory does not list the gateway (the subgraphs
   * then refuse).
   */
  credential(destination: CredentialDestination, body: string): Record<string, string>;
}

/**
 * What a gateway sends a subgraph on behalf of a user whose token it has VERIFIED: the
 * token, and for each request a short-lived credential bound to the token, to the
 * destination firm (or the registry) and to the request body.
 * Never call it with a token that was not verified first: the credential vouches for it.
 * @example
 * const authFor = subgraphHeaders({ gatewayId: 'peer', privateKeyPem });
 * const auth = authFor(directory.current(), caller.token);
 * fetch(url, { headers: { ...auth.headers, ...auth.credential({ kind: 'firm', firmId: 'structura' }, body) }, body });
 */
export function subgraphHeaders(identity: GatewayIdentity): (directory: Directory | undefined, verifiedToken: string) => SubgraphAuth {
  const privateKeyPem = typeof identity.privateKeyPem === 'function' ? identity.privateKeyPem : () => identity.privateKeyPem as string;
  return (directory, verifiedToken) => {
    const gateway = directory?.gateways.find((g) => g.id === identity.gatewayId);
    return {
      headers: { authorization: `Bearer ${verifiedToken}` },
      credential: (destination, body): Record<string, string> => {
        if (!directory || !gateway) return {};
        const credential = signGatewayCredential({
          privateKeyPem: privateKeyPem(),
          issuer: gateway.issuer,
          audience: directory.audience,
          gatewayId: identity.gatewayId,
          destination,
          userToken: verifiedToken,
          request: body,
        });
        return { [GATEWAY_CREDENTIAL_HEADER]: credential };
      },
    };
  };
}
