import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * `formatError` for every server of the project: errors that carry a stable code (our own
 * GraphQLErrors and Apollo's request errors) go out as they are, without stack traces;
 * anything else is an internal failure and is masked as "Unexpected error." so that no
 * internals (SQL, paths, library messages) leak. The original is handed to `log`.
 */
export function maskErrors(log: (error: unknown) => void = (e) => console.error(e)) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError || (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR')) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      // Apollo's own request errors without a code (a persisted query whose hash does not
      // match, an unsupported version) carry a 4xx status: they are the client's, not ours.
      const status = original instanceof GraphQLError ? (original.extensions.http as { status?: number } | undefined)?.status : undefined;
      if (code === 'INTERNAL_SERVER_ERROR' && status !== undefined && status >= 400 && status < 500) extensions.code = 'BAD_REQUEST';
      return { ...formatted, extensions };
    }
    log(original);
    return { message: 'Unexpected error.', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
