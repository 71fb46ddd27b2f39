import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { countTokens } from './countTokens.js';
import { limitError } from './limitError.js';
import type { Limits } from './limitsConfig.js';
import { measureOperation } from './measureOperation.js';
import { nestingDepth } from './nestingDepth.js';

export type OperationLimits = Pick<Limits, 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxTokens'>;

/** graphql-js's message when `parse({ maxTokens })` gives up ("more that" in graphql 16). */
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] (\d+) tokens/;

/** What Apollo Server reports when graphql-js's recursive parser runs out of stack (about 1,500 levels of nesting). */
const PARSER_OVERFLOW_MESSAGE = /^Maximum call stack size exceeded$/;

/**
 * The operation limits of one server: depth, aliases and root fields, measured in one walk
 * after validation (`didResolveOperation`) and refused with HTTP 400, a stable code, the
 * limit and the value. The token limit itself is graphql-js's (`parseOptions.maxTokens`,
 * see {@link serverLimits}): parsing stops there; this plugin only turns that parse error
 * into `TOO_MANY_TOKENS` with the limit and the document's token count. A document nested
 * too deeply for graphql-js's recursive parser to read (a 20,000-deep list literal, within
 * the token limit up to that point) is refused there with a RangeError that Apollo Server
 * reports as `GRAPHQL_PARSE_FAILED` "Maximum call stack size exceeded"; this plugin turns it
 * into `OPERATION_TOO_DEEP` with the limit and the document's nesting.
 *
 * @example new ApolloServer({ schema, parseOptions: { maxTokens: 5000 }, plugins: [useOperationLimits({ maxDepth: 20, maxAliases: 30, maxRootFields: 20, maxTokens: 5000 })] });
 */
export function useOperationLimits<TContext extends BaseContext>(limits: OperationLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const measured = measureOperation(document, request.operationName);
          if (!measured) return;
          if (measured.depth > limits.maxDepth) {
            throw limitError('OPERATION_TOO_DEEP', `The operation is ${measured.depth} levels deep; the limit (maxDepth) is ${limits.maxDepth}.`, {
              limit: limits.maxDepth,
              value: measured.depth,
            });
          }
          if (measured.aliases > limits.maxAliases) {
            throw limitError('TOO_MANY_ALIASES', `The operation has ${measured.aliases} aliases; the limit (maxAliases) is ${limits.maxAliases}.`, {
              limit: limits.maxAliases,
              value: measured.aliases,
            });
          }
          if (measured.rootFields > limits.maxRootFields) {
            throw limitError('TOO_MANY_ROOT_FIELDS', `The operation has ${measured.rootFields} root fields; the limit (maxRootFields) is ${limits.maxRootFields}.`, {
              limit: limits.maxRootFields,
              value: measured.rootFields,
            });
          }
        },
        async didEncounterErrors({ errors, source }) {
          for (const error of errors) {
            if (error.extensions['code'] === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT_MESSAGE.test(error.message)) {
              renameTokenError(error, limits.maxTokens, countTokens(source ?? ''));
            }
            if (error.extensions['code'] === 'GRAPHQL_PARSE_FAILED' && PARSER_OVERFLOW_MESSAGE.test(error.message)) {
              renameNestingError(error, limits.maxDepth, nestingDepth(source ?? ''));
            }
          }
        },
      };
    },
  };
}

/** Apollo Server wraps every parse failure as GRAPHQL_PARSE_FAILED; this one gets its own code. */
function renameTokenError(error: GraphQLError, limit: number, value: number): void {
  error.message = `The document has ${value} tokens; the limit (maxTokens) is ${limit}.`;
  error.extensions['code'] = 'TOO_MANY_TOKENS';
  error.extensions['limit'] = limit;
  error.extensions['value'] = value;
}

/** A document the parser could not read for its nesting: OPERATION_TOO_DEEP, like a deep operation. */
function renameNestingError(error: GraphQLError, limit: number, value: number): void {
  error.message = `The document is nested ${value} levels deep, too deep to parse; the limit (maxDepth) is ${limit}.`;
  error.extensions['code'] = 'OPERATION_TOO_DEEP';
  error.extensions['limit'] = limit;
  error.extensions['value'] = value;
}
