import type { SubgraphRequest } from '../routing/types.js';

/** Why a body is not a subgraph request: always 400 `BAD_REQUEST`, with a message safe to show. */
export interface SubgraphRequestRefusal {
  code: 'BAD_REQUEST';
  message: string;
}

export type ReadSubgraphRequest = { ok: true; request: SubgraphRequest } | { ok: false; refusal: SubgraphRequestRefusal };

function refused(message: string): ReadSubgraphRequest {
  return { ok: false, refusal: { code: 'BAD_REQUEST', message } };
}

/**
 * Reads the body a federation gateway POSTs to a subgraph: a JSON object with a string
 * `query`, optional `variables` (an object or null) and `operationName` (a string or null);
 * other keys (`extensions`) are ignored. Not JSON, a batch (an array), or wrong types: a
 * refusal. Pure.
 * @example readSubgraphRequest('{"query":"{ __typename }"}') // { ok: true, request: { query: '{ __typename }' } }
 */
export function readSubgraphRequest(text: string): ReadSubgraphRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refused('The request body is not valid JSON.');
  }
  if (Array.isArray(body)) return refused('Batched requests (a JSON array) are not supported: send one operation per request.');
  if (typeof body !== 'object' || body === null) return refused('The request body must be a JSON object with a "query".');
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== 'string' || query.length === 0) return refused('"query" must be a non-empty string.');
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return refused('"variables" must be an object.');
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return refused('"operationName" must be a string.');
  }
  const request: SubgraphRequest = { query };
  if (variables) request.variables = variables as Record<string, unknown>;
  if (typeof operationName === 'string') request.operationName = operationName;
  return { ok: true, request };
}
