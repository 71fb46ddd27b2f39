import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { OwnerRouter } from '../routing/ownerRouter.js';
import type { FirmSubgraph, SubgraphRequest } from '../routing/types.js';

/** What a data source answers the gateway (its `GatewayGraphQLResponse`). */
type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface OwnerRoutedDataSourceOptions<TContext> {
  /** The firm-served logical subgraph this source stands for. */
  subgraph: FirmSubgraph;
  /** Routes each fetch to the firms that own its representations. */
  router: OwnerRouter;
  /** Headers to send to the firms for this request (the user token...). */
  headersFor(context: TContext): Record<string, string>;
  /**
   * Headers for one firm's request given its exact body (the gateway credential bound to
   * that firm and request; see ExecuteOptions.sign). Default: none.
   */
  signFor?(context: TContext): ((owner: string, body: string) => Record<string, string>) | undefined;
  /**
   * The client request's deadline, read from its context (one per request): when it aborts,
   * the fetches still pending are answered null + `REQUEST_TIMEOUT`. Default: none.
   */
  signalFor?(context: TContext): AbortSignal | undefined;
}

/**
 * The @apollo/gateway data source of a firm-served logical subgraph (`firm`, `links`):
 * hands each `_entities` fetch to an {@link OwnerRouter}, which sends every firm only its
 * own representations. Firm errors keep their `extensions.code` and carry
 * `extensions.firmId`; the gateway adds `serviceName` (the logical subgraph).
 * Schema loading is not supported: the gateway runs on the committed supergraph.
 *
 * @example
 * const router = new OwnerRouter({ endpointOf: (id, sg) => endpoints.get(id)?.[sg] });
 * const gateway = new ApolloGateway({
 *   supergraphSdl: readSupergraph(),
 *   buildService: ({ name, url }) =>
 *     name === 'firm' || name === 'links'
 *       ? new OwnerRoutedDataSource({ subgraph: name, router, headersFor: (ctx: Ctx) => ctx.headers, signalFor: (ctx: Ctx) => ctx.deadline })
 *       : new RemoteGraphQLDataSource({ url }),
 * });
 */
export class OwnerRoutedDataSource<TContext extends object = Record<string, unknown>>
  implements GraphQLDataSource<TContext>
{
  constructor(private readonly options: OwnerRoutedDataSourceOptions<TContext>) {}

  async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayResponse> {
    // @apollo/gateway does not export its request-kind enum: an incoming operation is the
    // only kind that carries `incomingRequestContext`.
    if (!('incomingRequestContext' in options)) {
      if (`${options.kind}` === 'health check') {
        // The logical subgraph is as healthy as its router; each firm's health shows per request.
        return { data: { __typename: 'Query' } };
      }
      return {
        errors: [
          {
            message: `the ${this.options.subgraph} subgraph is served by every firm; load the committed supergraph (schema/supergraph.graphql) instead of introspecting it`,
            extensions: { code: 'NOT_SUPPORTED' },
          },
        ],
      };
    }
    const { query, variables, operationName } = options.request;
    if (query === undefined) {
      return { errors: [{ message: 'subgraph request without a query', extensions: { code: 'NOT_ROUTABLE' } }] };
    }
    const request: SubgraphRequest = { query };
    if (variables) request.variables = variables;
    if (operationName !== undefined) request.operationName = operationName;
    const signal = this.options.signalFor?.(options.context);
    const sign = this.options.signFor?.(options.context);
    return this.options.router.execute(this.options.subgraph, request, this.options.headersFor(options.context), {
      ...(signal ? { signal } : {}),
      ...(sign ? { sign } : {}),
    });
  }
}
