import type { ApolloGateway } from '@apollo/gateway';
import { Kind } from 'graphql';
import { restoreKeyAliases, shieldKeyAliases } from './keyAliases.js';

type Executor = ApolloGateway['executor'];

/** What Apollo Server needs of a gateway (its GatewayInterface). */
export type GatewayLike = Pick<ApolloGateway, 'load' | 'stop' | 'onSchemaLoadOrUpdate'>;

/**
 * Wraps @apollo/gateway so that the client's aliases survive its query planner: every
 * operation whose aliases collide with a name the planner adds (`reserved`: the
 * supergraph's key fields and `__typename`, see keyFieldNames) is planned and executed with
 * those aliases renamed, and the answer is given back under the client's names
 * (gateway/keyAliases.ts says why). Operations without such an alias go through untouched.
 * @example new ApolloServer({ gateway: withKeyAliasShield(new ApolloGateway({ ... }), keyFieldNames(supergraphSdl)) })
 */
export function withKeyAliasShield(gateway: ApolloGateway, reserved: ReadonlySet<string>): GatewayLike {
  const shielded = (executor: Executor): Executor => async (requestContext) => {
    const shield = shieldKeyAliases(requestContext.document, reserved);
    if (!shield) return executor(requestContext);
    const name = requestContext.operationName;
    const operation = shield.document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!name || d.name?.value === name));
    const result = await executor({ ...requestContext, document: shield.document, ...(operation?.kind === Kind.OPERATION_DEFINITION ? { operation } : {}) });
    return restoreKeyAliases(result, shield, name);
  };
  return {
    async load(options) {
      const loaded = await gateway.load(options);
      return { ...loaded, executor: shielded(loaded.executor) };
    },
    stop: () => gateway.stop(),
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
  };
}
