import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { estimateCost } from './estimateCost.js';
import { limitError } from './limitError.js';
import type { Limits } from './limitsConfig.js';

/** The cost limit of one server; `listSizes` (per-field assumed sizes) defaults to none. */
export type CostLimit = Pick<Limits, 'maxCost' | 'costMode' | 'assumedListSize'> & Partial<Pick<Limits, 'listSizes'>>;

/** What `measure` mode reports in the response's `extensions.cost`. */
export interface CostReport {
  estimated: number;
  max: number;
  /** What `enforce` would have done. */
  result: 'OK' | 'OPERATION_TOO_COSTLY';
}

/**
 * Demand control: estimates each operation's cost before it runs ({@link estimateCost},
 * with the request's variables) and, in `enforce` mode, refuses one above `maxCost` with
 * HTTP 400 and `OPERATION_TOO_COSTLY` (limit and value). In `measure` mode nothing is
 * refused and the response carries `extensions.cost: { estimated, max, result }`, so that
 * a deployment can see its real traffic before choosing a limit. Unsliced lists are sized by
 * `listSizes` (`Lot.components`), else `assumedListSize`.
 *
 * @example new ApolloServer({ schema, plugins: [useCostLimit({ maxCost: 1_000_000, costMode: 'measure', assumedListSize: 10, listSizes: { 'Lot.components': 4 } })] });
 */
export function useCostLimit<TContext extends BaseContext>(limit: CostLimit): ApolloServerPlugin<TContext> {
  const options = { assumedListSize: limit.assumedListSize, listSizes: new Map(Object.entries(limit.listSizes ?? {})) };
  return {
    async requestDidStart() {
      let report: CostReport | undefined;
      return {
        async didResolveOperation({ schema, document, request }) {
          const estimated = estimateCost(
            { schema, document, operationName: request.operationName, variables: request.variables },
            options,
          );
          const over = estimated > limit.maxCost;
          if (over && limit.costMode === 'enforce') {
            throw limitError('OPERATION_TOO_COSTLY', `The operation's estimated cost is ${estimated}; the limit (maxCost) is ${limit.maxCost}.`, {
              limit: limit.maxCost,
              value: estimated,
            });
          }
          report = { estimated, max: limit.maxCost, result: over ? 'OPERATION_TOO_COSTLY' : 'OK' };
        },
        async willSendResponse({ response }) {
          if (limit.costMode !== 'measure' || !report || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: report };
        },
      };
    },
  };
}
