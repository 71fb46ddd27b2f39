import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getVariableValues,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { checkRepresentations } from './checkRepresentations.js';
import { entityKeysOf, type EntityKeys } from './entityKeys.js';

/**
 * The `_entities` fields of an operation: at its root, under aliases, inside inline
 * fragments and named fragments on Query (each fragment once).
 */
function entitiesFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD && s.name.value === '_entities') out.push(s);
    if (s.kind === Kind.INLINE_FRAGMENT) out.push(...entitiesFields(s.selectionSet, fragments, seen));
    if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
      seen.add(s.name.value);
      const fragment = fragments.get(s.name.value);
      if (fragment) out.push(...entitiesFields(fragment.selectionSet, fragments, seen));
    }
  }
  return out;
}

function badRequest(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
}

/**
 * Refuses bad `_entities` representations up front, with HTTP 400 and no execution: every
 * `_entities` field of the operation (aliases, inline and named fragments) with its
 * `representations` argument computed as execution will see it (variables coerced, defaults
 * applied), checked by {@link checkRepresentations}. Requests whose variables do not coerce
 * are left to execution, which refuses them. The schema's `_entities` resolver checks again
 * (guardEntities.ts): this plugin gives the early answer, the resolver the guarantee.
 * @example plugins: [validateRepresentations(schema)]
 */
export function validateRepresentations<T extends BaseContext>(schema: GraphQLSchema, entities: EntityKeys = entityKeysOf(schema)): ApolloServerPlugin<T> {
  const entitiesField: GraphQLField<unknown, unknown> | undefined = schema.getQueryType()?.getFields()['_entities'];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!entitiesField || operation?.operation !== 'query') return;
          const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
          const fields = entitiesFields(operation.selectionSet, fragments, new Set());
          if (fields.length === 0) return;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 1 });
          if (variables.errors) return;
          for (const field of fields) {
            let args: Record<string, unknown>;
            try {
              args = getArgumentValues(entitiesField, field, variables.coerced);
            } catch {
              return; // execution refuses the argument with its own error
            }
            try {
              checkRepresentations(args['representations'], entities);
            } catch (e) {
              throw e instanceof GraphQLError ? badRequest(e) : e;
            }
          }
        },
      };
    },
  };
}
