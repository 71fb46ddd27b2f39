import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { localLinks } from '../routing/localLinks.js';
import { subgraphSdl } from '../schema/supergraph.js';

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * The data source of the `links` logical subgraph when the gateway answers it itself (the
 * default): a reference's target is its own keys, so no firm is asked (see routing/localLinks.ts).
 */
export class LocalLinksDataSource<TContext extends object> implements GraphQLDataSource<TContext> {
  private readonly links = localLinks(subgraphSdl('links'));

  async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayResponse> {
    const { query, variables, operationName } = options.request;
    if (query === undefined) return { errors: [{ message: 'subgraph request without a query', extensions: { code: 'NOT_ROUTABLE' } }] };
    return (await this.links.execute({
      query,
      ...(variables ? { variables } : {}),
      ...(operationName ? { operationName } : {}),
    })) as GatewayResponse;
  }
}
