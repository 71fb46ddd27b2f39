import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

export interface RegistryDataSourceOptions<TContext> {
  /** The registry's GraphQL endpoint. */
  url: () => string;
  headersFor(context: TContext): Record<string, string>;
  /** Headers for one request given its exact body (the gateway credential for the registry). */
  signFor?(context: TContext): ((body: string) => Record<string, string>) | undefined;
  timeoutMs?: number;
  /** The client request's deadline (see OwnerRoutedDataSource): answered `REQUEST_TIMEOUT` when it passes first. */
  signalFor?(context: TContext): AbortSignal | undefined;
}

/**
 * The data source of the `registry` logical subgraph: one physical endpoint, Node's
 * keep-alive fetch, the caller's token and the gateway credential forwarded.
 */
export class RegistryDataSource<TContext extends object> implements GraphQLDataSource<TContext> {
  constructor(private readonly options: RegistryDataSourceOptions<TContext>) {}

  async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const deadline = this.options.signalFor?.(options.context as TContext);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 5_000);
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    try {
      const res = await fetch(this.options.url(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...this.options.headersFor(options.context as TContext),
          ...this.options.signFor?.(options.context as TContext)?.(body),
        },
        body,
        signal: deadline ? AbortSignal.any([timeout, deadline]) : timeout,
      });
      return (await res.json()) as GatewayGraphQLResponse;
    } catch (err) {
      if (deadline?.aborted) {
        return { errors: [{ message: "The cluster registry did not answer before the request's deadline.", extensions: { code: 'REQUEST_TIMEOUT' } }] } as GatewayGraphQLResponse;
      }
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return {
        errors: [
          {
            message: timedOut ? 'The cluster registry did not answer in time.' : 'The cluster registry is unreachable.',
            extensions: { code: timedOut ? 'REGISTRY_TIMEOUT' : 'REGISTRY_UNAVAILABLE' },
          },
        ],
      } as GatewayGraphQLResponse;
    }
  }
}
