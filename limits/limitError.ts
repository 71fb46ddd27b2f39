import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** The stable codes of the limits (README, "Limits"). */
export type LimitCode =
  | 'OPERATION_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_ROOT_FIELDS'
  | 'TOO_MANY_TOKENS'
  | 'OPERATION_TOO_COSTLY'
  | 'RATE_LIMITED'
  | 'PERSISTED_QUERY_NOT_IN_LIST'
  | 'QUERY_NOT_IN_SAFELIST';

export interface LimitErrorOptions {
  /** The limit in force (a number, or a name where there is none). */
  limit?: number | string;
  /** The value the request reached. */
  value?: number | string;
  /** HTTP status, default 400. */
  status?: number;
  /** Response headers (e.g. `retry-after`). */
  headers?: Record<string, string>;
  /** Further extensions for the client (e.g. `retryAfterSeconds`). */
  extensions?: Record<string, unknown>;
}

/**
 * A refusal by a limit: a GraphQLError with a stable `extensions.code`, the limit and the
 * value, and the HTTP status (and headers) Apollo Server answers with, whether it is thrown
 * from the context function or from a plugin's `didResolveOperation`. The headers go in a
 * HeaderMap: Apollo Server ignores `extensions.http` (and answers 500) when they are a plain object.
 * @example throw limitError('OPERATION_TOO_DEEP', 'The operation is 23 levels deep; the limit (maxDepth) is 20.', { limit: 20, value: 23 });
 */
export function limitError(code: LimitCode, message: string, options: LimitErrorOptions = {}): GraphQLError {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name.toLowerCase(), value);
  return new GraphQLError(message, {
    extensions: {
      code,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.value !== undefined ? { value: options.value } : {}),
      ...options.extensions,
      http: { status: options.status ?? 400, headers },
    },
  });
}
