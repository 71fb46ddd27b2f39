import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { limitError } from './limitError.js';
import type { TrustedDocuments } from './trustedDocuments.js';

/**
 * Stands in for a refused document until `didResolveOperation`, the first hook where
 * Apollo Server turns a thrown error into a 400 (thrown earlier, it answers 500): the
 * refused text itself is never parsed or validated, so it learns nothing of the schema.
 */
const PLACEHOLDER = '{ __typename }';

/**
 * Trusted-documents mode (Apollo Router's persisted query safelist): only operations of the
 * manifest run. A request sends `extensions.persistedQuery.sha256Hash` of a registered
 * document (the gateway fills in its text), or the exact text of one. Anything else is
 * refused with HTTP 400: an unknown hash `PERSISTED_QUERY_NOT_IN_LIST`, an unregistered text
 * `QUERY_NOT_IN_SAFELIST`. Automatic persisted queries cannot register new documents.
 *
 * @example new ApolloServer({ gateway, plugins: [useTrustedDocuments(TrustedDocuments.load('trusted.json'))] });
 */
export function useTrustedDocuments<TContext extends BaseContext>(documents: TrustedDocuments): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const persisted = request.extensions?.['persistedQuery'];
      const hash = typeof persisted === 'object' && persisted !== null ? (persisted as Record<string, unknown>)['sha256Hash'] : undefined;
      let refusal: GraphQLError | undefined;
      if (typeof request.query === 'string' && request.query !== '') {
        if (!documents.allows(request.query)) {
          refusal = limitError('QUERY_NOT_IN_SAFELIST', 'Trusted documents only: this document is not in the manifest; send the sha256Hash of a registered one.', { limit: 'trustedDocuments' });
        }
      } else if (typeof hash === 'string') {
        const query = documents.byId(hash);
        if (query) request.query = query;
        else refusal = limitError('PERSISTED_QUERY_NOT_IN_LIST', `Trusted documents only: no document with id ${hash.slice(0, 80)} is in the manifest.`, { limit: 'trustedDocuments' });
      }
      if (persisted !== undefined && request.extensions) {
        // Keep Apollo Server's automatic persisted queries out: they would register anything.
        const { persistedQuery: _pq, ...rest } = request.extensions;
        request.extensions = rest;
      }
      if (refusal) {
        request.query = PLACEHOLDER;
        request.operationName = undefined;
      }
      return {
        async didResolveOperation() {
          if (refusal) throw refusal;
        },
      };
    },
  };
}
