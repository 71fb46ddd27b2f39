import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { maskErrors } from '../http/maskErrors.js';
import type { ServerLimits } from './serverLimits.js';

/** The options every server of the project gives Apollo Server, whatever it serves. */
export type HardenedOptions<TContext extends BaseContext> = Pick<
  ApolloServerOptions<TContext>,
  'introspection' | 'validationRules' | 'parseOptions' | 'allowBatchedHttpRequests' | 'includeStacktraceInErrorResponses' | 'stopOnTerminationSignals' | 'formatError' | 'plugins'
>;

export interface HardenedServerOptions<TContext extends BaseContext> {
  /** Where masked internal errors go (default console.error). */
  log?: ((error: unknown) => void) | undefined;
  /** The server's own plugins, after the limits' and before the disabled landing page. */
  plugins?: ApolloServerPlugin<TContext>[];
  /** A subgraph (firm, links, registry): inline tracing to the gateway is switched off too. */
  subgraph?: boolean;
}

/**
 * The hardened Apollo Server options of the gateway, the firm subgraphs and the registry, in
 * one place: the limits (introspection closed by our own rule, token limit, no HTTP batching,
 * the limit and cost plugins), no stack traces, internal errors masked, no landing page, no
 * inline traces from a subgraph, and the process's own signal handling.
 * @example new ApolloServer<Ctx>({ schema, ...hardenedServerOptions(guard, { log, subgraph: true, plugins: [countingPlugin(metrics)] }) })
 */
export function hardenedServerOptions<TContext extends BaseContext>(guard: ServerLimits<TContext>, options: HardenedServerOptions<TContext> = {}): HardenedOptions<TContext> {
  return {
    introspection: guard.introspection,
    validationRules: guard.validationRules,
    parseOptions: guard.parseOptions,
    allowBatchedHttpRequests: guard.allowBatchedHttpRequests,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: maskErrors(options.log),
    plugins: [
      ...guard.plugins,
      ...(options.plugins ?? []),
      ...(options.subgraph ? [ApolloServerPluginInlineTraceDisabled()] : []),
      ApolloServerPluginLandingPageDisabled(),
    ],
  };
}
