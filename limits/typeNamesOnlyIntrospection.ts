import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type ValidationContext } from 'graphql';

/** What `__type(name:)` may select with introspection off: whether the type exists, not its shape. */
const NAME_ONLY = new Set(['name', 'kind', '__typename']);

/**
 * The `extensions.validationErrorCode` of an introspection query refused outside development
 * mode (its `code` is GRAPHQL_VALIDATION_FAILED, HTTP 400), as Apollo Server's own rule does.
 */
export const INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED';

function refuse(context: ValidationContext, node: FieldNode, message: string): void {
  context.reportError(new GraphQLError(message, { nodes: [node], extensions: { validationErrorCode: INTROSPECTION_DISABLED } }));
}

/**
 * Introspection off, outside development mode: `__schema` is refused, and `__type(name:)`
 * may select only the type's `name` and `kind` — it tells whether a type of that name
 * exists (the schema ships with every firm's package, so a name is no secret), never its
 * fields, arguments, values, interfaces or descriptions. Fragments inside `__type` are
 * refused too. This is what Apollo Server's `introspection: false` refuses, minus the name
 * lookup that the GraphQL-over-HTTP audits use as their probe (BF61, 28B9): with it, every
 * MUST of the specification holds while the schema stays closed.
 *
 * @example new ApolloServer({ schema, introspection: true, validationRules: [typeNamesOnlyIntrospection] })
 */
export function typeNamesOnlyIntrospection(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '__schema') {
        refuse(context, node, 'Introspection is off: `__schema` is not answered outside development mode.');
      } else if (node.name.value === '__type') {
        const shape = (node.selectionSet?.selections ?? []).some((s) => s.kind !== Kind.FIELD || !NAME_ONLY.has(s.name.value));
        if (shape) refuse(context, node, 'Introspection is off: `__type` answers only `name` and `kind` outside development mode.');
      }
    },
  };
}
