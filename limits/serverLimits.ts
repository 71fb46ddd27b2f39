import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { Limits } from './limitsConfig.js';
import type { TrustedDocuments } from './trustedDocuments.js';
import { typeNamesOnlyIntrospection } from './typeNamesOnlyIntrospection.js';
import { useCostLimit } from './useCostLimit.js';
import { useOperationLimits } from './useOperationLimits.js';
import { useSuggestionMasking } from './useSuggestionMasking.js';
import { useTrustedDocuments } from './useTrustedDocuments.js';

export interface ServerLimitsOptions {
  /** Development mode (the gateway's `introspection: true`): field suggestions are kept. Default false. */
  development?: boolean;
  /** Trusted-documents mode: only the manifest's operations run (the gateway only). */
  trustedDocuments?: TrustedDocuments;
  /** Called with the code of every refusal by a limit, rate limits included (metrics). */
  onReject?(code: string): void;
}

/** What an ApolloServer needs to apply the limits: spread `parseOptions` and prepend `plugins`. */
export interface ServerLimits<TContext extends BaseContext> {
  parseOptions: { maxTokens: number };
  /** HTTP batching (a JSON array of operations) is refused with 400 `BAD_REQUEST`. */
  allowBatchedHttpRequests: false;
  /**
   * Apollo Server's own switch stays on: outside development mode introspection is closed
   * by `validationRules` instead (typeNamesOnlyIntrospection: no `__schema`, `__type` names
   * only), which refuses what Apollo's `introspection: false` refuses except a type-name lookup.
   */
  introspection: true;
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<TContext>[];
}

const LIMIT_CODES = new Set([
  'OPERATION_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'TOO_MANY_TOKENS',
  'OPERATION_TOO_COSTLY',
  'RATE_LIMITED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'QUERY_NOT_IN_SAFELIST',
]);

/**
 * The Apollo Server options and plugins that apply one server's {@link Limits}: the token
 * limit in the parser, depth, aliases and root fields, cost, introspection closed and
 * suggestion masking outside development mode, trusted documents when given, no HTTP batching. The rate limit and the
 * body size live at the HTTP edge (`withRateLimit`, `startHttpServer({ maxBodyBytes })`).
 *
 * @example
 * const guard = serverLimits<Ctx>(GATEWAY_LIMITS, { development: false });
 * new ApolloServer<Ctx>({ schema, parseOptions: guard.parseOptions, allowBatchedHttpRequests: false, introspection: guard.introspection, validationRules: guard.validationRules, plugins: [...guard.plugins, other] });
 */
export function serverLimits<TContext extends BaseContext>(limits: Limits, options: ServerLimitsOptions = {}): ServerLimits<TContext> {
  const plugins: ApolloServerPlugin<TContext>[] = [];
  if (options.trustedDocuments) plugins.push(useTrustedDocuments<TContext>(options.trustedDocuments));
  plugins.push(useOperationLimits<TContext>(limits), useCostLimit<TContext>(limits));
  if (!options.development) plugins.push(useSuggestionMasking<TContext>());
  const { onReject } = options;
  if (onReject) {
    // Last, so that the token error has its own code by the time it is counted.
    plugins.push({
      async contextCreationDidFail({ error }) {
        const code = (error as { extensions?: Record<string, unknown> }).extensions?.['code'];
        if (code === 'RATE_LIMITED') onReject(code);
      },
      async requestDidStart() {
        return {
          async didEncounterErrors({ errors }) {
            for (const e of errors) {
              const code = e.extensions['code'];
              if (typeof code === 'string' && LIMIT_CODES.has(code)) onReject(code);
            }
          },
        };
      },
    });
  }
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: false,
    introspection: true,
    validationRules: options.development ? [] : [typeNamesOnlyIntrospection],
    plugins,
  };
}
