import type { GraphQLFormattedError } from 'graphql';
import type { SubgraphResponse } from './types.js';

/**
 * Reads a parsed JSON body as a GraphQL response: `data` an object or null, `errors` a
 * list of errors with a message. Returns undefined when the body is no GraphQL response.
 * Malformed error entries are kept with a generic message rather than dropped.
 *
 * @example
 * readGraphQLResponse({ data: { _entities: [] } }); // { data: { _entities: [] } }
 * readGraphQLResponse({ hello: 'world' });           // undefined
 */
export function readGraphQLResponse(body: unknown): SubgraphResponse | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const { data, errors } = record;
  const hasData = data === null || (typeof data === 'object' && data !== undefined && !Array.isArray(data));
  const hasErrors = Array.isArray(errors);
  if (!hasData && !hasErrors) return undefined;
  const response: SubgraphResponse = {};
  if (hasData) response.data = data as Record<string, unknown> | null;
  if (hasErrors) response.errors = errors.map(readError);
  return response;
}

function readError(entry: unknown): GraphQLFormattedError {
  if (typeof entry !== 'object' || entry === null) return { message: 'malformed error from subgraph' };
  const record = entry as Record<string, unknown>;
  const message = typeof record['message'] === 'string' ? record['message'] : 'malformed error from subgraph';
  const error: { -readonly [K in keyof GraphQLFormattedError]: GraphQLFormattedError[K] } = { message };
  const path = record['path'];
  if (Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number')) {
    error.path = path as Array<string | number>;
  }
  const locations = record['locations'];
  if (Array.isArray(locations)) error.locations = locations as GraphQLFormattedError['locations'];
  const extensions = record['extensions'];
  if (typeof extensions === 'object' && extensions !== null && !Array.isArray(extensions)) {
    error.extensions = extensions as Record<string, unknown>;
  }
  return error;
}
