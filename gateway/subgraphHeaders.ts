import type { Directory } from '../cluster/directory.js';
import { GATEWAY_CREDENTIAL_HEADER } from '../identity/gatewayCredential.js';
import { GatewayCredentialIssuer } from '../identity/gatewayCredentialIssuer.js';

/** A gateway's identity: its id in the directory's `gateways` and its signing key. */
export interface GatewayIdentity {
  gatewayId: string;
  privateKeyPem: string;
}

/**
 * The headers a gateway sends a subgraph on behalf of a user whose token it has VERIFIED:
 * the token, and the gateway's short-lived credential bound to it (one issuer per audience
 * and issuer, so a credential is signed once per token and half-lifetime). Without a
 * directory that lists the gateway, no credential is added: the subgraphs then refuse.
 * Never call it with a token that was not verified first: the credential vouches for it.
 * @example const headersFor = subgraphHeaders({ gatewayId: 'peer', privateKeyPem }); headersFor(directory.current(), caller.token)
 */
export function subgraphHeaders(identity: GatewayIdentity): (directory: Directory | undefined, verifiedToken: string) => Record<string, string> {
  const issuers = new Map<string, GatewayCredentialIssuer>();
  const issuerFor = (audience: string, issuer: string): GatewayCredentialIssuer => {
    const key = `${audience} ${issuer}`;
    let found = issuers.get(key);
    if (!found) {
      found = new GatewayCredentialIssuer({ privateKeyPem: identity.privateKeyPem, issuer, audience });
      issuers.set(key, found);
    }
    return found;
  };
  return (directory, verifiedToken) => {
    const headers: Record<string, string> = { authorization: `Bearer ${verifiedToken}` };
    const gateway = directory?.gateways.find((g) => g.id === identity.gatewayId);
    if (directory && gateway) headers[GATEWAY_CREDENTIAL_HEADER] = issuerFor(directory.audience, gateway.issuer).credentialFor(verifiedToken);
    return headers;
  };
}
