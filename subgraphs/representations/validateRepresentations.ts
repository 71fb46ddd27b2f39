import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, isObjectType, valueFromASTUntyped, type GraphQLSchema, type SelectionSetNode } from 'graphql';

function refuse(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/** The `_entities` fields at the root of an operation (aliases and fragments aside: the gateway sends plain ones). */
function entitiesArguments(selectionSet: SelectionSetNode, variables: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.INLINE_FRAGMENT) out.push(...entitiesArguments(s.selectionSet, variables));
    if (s.kind !== Kind.FIELD || s.name.value !== '_entities') continue;
    const arg = s.arguments?.find((a) => a.name.value === 'representations');
    if (arg) out.push(valueFromASTUntyped(arg.value, variables));
  }
  return out;
}

/**
 * Checks `_entities` representations before @apollo/subgraph resolves them: each must be an
 * object whose `__typename` names an entity type this subgraph resolves. Anything else is the
 * caller's mistake (400 BAD_USER_INPUT naming the index), not an internal error.
 * @example plugins: [validateRepresentations(schema)]
 */
export function validateRepresentations<T extends BaseContext>(schema: GraphQLSchema): ApolloServerPlugin<T> {
  const entityTypes = new Set(
    Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && t.astNode?.directives?.some((d) => d.name.value === 'key'))
      .map((t) => t.name),
  );
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) return;
          for (const reps of entitiesArguments(operation.selectionSet, request.variables ?? {})) {
            if (!Array.isArray(reps)) throw refuse('representations must be a list of objects.');
            reps.forEach((rep: unknown, i) => {
              if (typeof rep !== 'object' || rep === null || Array.isArray(rep)) throw refuse(`representations[${i}] is not an object.`);
              const typename = (rep as Record<string, unknown>).__typename;
              if (typeof typename !== 'string' || !entityTypes.has(typename)) {
                throw refuse(`representations[${i}].__typename must name an entity type of this subgraph.`);
              }
            });
          }
        },
      };
    },
  };
}
