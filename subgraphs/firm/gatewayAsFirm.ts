import { signFirmToken } from '../../identity/firmToken.js';
import { gatewayQuery, type GatewayQuery } from './receipts/gatewayQuery.js';

/** What a firm needs to call the cluster's gateway as itself. */
export interface FirmIdentity {
  firmId: string;
  /** The gateway's GraphQL URL. */
  gatewayUrl: string;
  /** The firm's service key (its subgraph process's own), or a function asked at each call. */
  serviceKey: string | (() => string);
  /** The cluster audience (the directory's). */
  audience: string;
}

/**
 * A {@link GatewayQuery} that asks the gateway as the firm itself: each call signs a fresh firm
 * token (60 s, the firm's service key, role `firm`, the purpose given) so that the firm's
 * suppliers and customers decide under their own policies what the firm, as a firm, may learn
 * (a chain-membership answer, a quality notification delivered). Never used for a user's
 * request: those go with the user's own token.
 * @example const ask = gatewayAsFirm({ firmId, gatewayUrl, serviceKey, audience }, 'quality-investigation'); await ask(query, vars);
 */
export function gatewayAsFirm(identity: FirmIdentity, purpose?: string, timeoutMs?: number): GatewayQuery {
  return (query, variables, options) => {
    const token = signFirmToken({
      firmId: identity.firmId,
      serviceKeyPem: identity.serviceKey,
      audience: identity.audience,
      ...(purpose === undefined ? {} : { purpose }),
    });
    return gatewayQuery(identity.gatewayUrl, token, timeoutMs)(query, variables, options);
  };
}
