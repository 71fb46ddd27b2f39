import { DEADLINE_HEADER } from '../../../http/requestDeadline.js';
import { readShipmentAnswer, SHIPMENT_CHECK_QUERY, type GraphQLAnswer, type ShipmentView } from './shipmentView.js';

/** How one gateway query may be bounded: `deadlineMs` asks the gateway for a shorter request deadline (its `x-dataspace-deadline-ms`). */
export interface GatewayQueryOptions {
  deadlineMs?: number;
}

/** A GraphQL query to the cluster's gateway, on behalf of the request's own user (its token). */
export type GatewayQuery = (query: string, variables: Record<string, unknown>, options?: GatewayQueryOptions) => Promise<GraphQLAnswer>;

/** What the answer may take beyond the deadline the gateway was given: its own work and the way back. */
const DEADLINE_MARGIN_MS = 500;

/**
 * How long the receiving firm waits for the gateway's answer to a receipt's check: well under
 * the gateway's own wait for the receiving firm (firmTimeoutMs, 5 s by default), so that a slow
 * supplier makes the receipt unverified rather than the receipt's answer a FIRM_TIMEOUT.
 */
export const GATEWAY_QUERY_TIMEOUT_MS = 2500;

/**
 * A {@link GatewayQuery} over HTTP(S): POSTs to the gateway's GraphQL endpoint with the user's
 * own bearer token (the gateway verifies it and each owner applies its policy to that user),
 * and resolves with the JSON answer whatever its status; rejects when no JSON answer came
 * (unreachable, timeout, not GraphQL). The firm never signs anything for it: it asks as its
 * user would.
 * @example const ask = gatewayQuery('https://gateway.aero-cluster.example/graphql', token); await ask('{ firms { id } }', {});
 */
export function gatewayQuery(url: string, token: string, timeoutMs = GATEWAY_QUERY_TIMEOUT_MS): GatewayQuery {
  return async (query, variables, options = {}) => {
    const deadline = options.deadlineMs === undefined ? undefined : Math.max(1, Math.floor(options.deadlineMs));
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
        ...(deadline === undefined ? {} : { [DEADLINE_HEADER]: String(deadline) }),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(deadline === undefined ? timeoutMs : deadline + DEADLINE_MARGIN_MS),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`the gateway answered HTTP ${response.status} without a GraphQL answer`);
    }
    if (typeof body !== 'object' || body === null) throw new Error(`the gateway answered HTTP ${response.status} without a GraphQL answer`);
    return body as GraphQLAnswer;
  };
}

/**
 * What the caller may see of a supplier's shipment, asked through the gateway with the
 * caller's own token ({@link SHIPMENT_CHECK_QUERY}); `unchecked` when there is no gateway to
 * ask (the firm has no `gatewayUrl`) or it gave no answer.
 * @example const view = await lookupShipment(ctx.gateway, 'structura', 'structura-SH0003');
 */
export async function lookupShipment(gateway: GatewayQuery | undefined, supplierId: string, shipmentId: string): Promise<ShipmentView> {
  if (!gateway) return { kind: 'unchecked', reason: 'this firm has no gatewayUrl configured: the shipment could not be asked for' };
  try {
    return readShipmentAnswer(await gateway(SHIPMENT_CHECK_QUERY, { supplierId, shipmentId }), supplierId, shipmentId);
  } catch (error) {
    return { kind: 'unchecked', reason: `the gateway could not be asked about shipment ${shipmentId} of firm ${supplierId}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
