import type { GraphQLSchema } from 'graphql';
import { checkRepresentations } from './checkRepresentations.js';
import { entityKeysOf, type EntityKeys } from './entityKeys.js';

/**
 * Wraps the `_entities` resolver of a built subgraph schema so that its representations are
 * checked ({@link checkRepresentations}) on every call, before @apollo/subgraph or any
 * `__resolveReference` sees them, and only the checked copies are passed on. It sits on the
 * field itself, so no way of writing the operation gets past it: aliases, inline or named
 * fragments, several `_entities` fields, literals or variables (already coerced). A bad
 * representation fails that `_entities` field with BAD_USER_INPUT naming the index and the
 * field. Returns the same schema.
 * @example const schema = guardEntities(buildSubgraphSchema([{ typeDefs, resolvers }]));
 */
export function guardEntities(schema: GraphQLSchema, entities: EntityKeys = entityKeysOf(schema)): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()['_entities'];
  const resolve = field?.resolve;
  if (!field || !resolve) throw new Error('guardEntities: the schema has no _entities resolver');
  field.resolve = (source, args: Record<string, unknown>, context, info) =>
    resolve(source, { ...args, representations: checkRepresentations(args['representations'], entities) }, context, info);
  return schema;
}
