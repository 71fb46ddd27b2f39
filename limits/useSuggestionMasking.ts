import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/** graphql-js's suggestions: `Did you mean "lots"?`, `Did you mean the enum value "OPEN"?`. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Strips graphql-js's "Did you mean ...?" suggestions from every error of a response
 * (validation, variable coercion, execution), so that a client without introspection cannot
 * recover the schema by guessing (OWASP GraphQL cheat sheet). Apollo Server 5's own
 * `hideSchemaDetailsFromClientErrors` covers validation errors only. Install it outside
 * development mode.
 * @example new ApolloServer({ schema, introspection: false, plugins: [useSuggestionMasking()] });
 */
export function useSuggestionMasking<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes('Did you mean')) error.message = error.message.replace(SUGGESTION, '');
          }
        },
      };
    },
  };
}
