import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What is estimated: a parsed, validated document against the schema it runs on. */
export interface CostRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>> | null;
}

export interface CostOptions {
  /** List size where no argument and no `listSizes` entry says, default 10. */
  assumedListSize?: number;
  /**
   * Assumed sizes per field, keyed `Type.field` (the type the field is selected on:
   * `Lot.components`), Apollo Router's `@listSize(assumedSize:)` as configuration: used
   * instead of `assumedListSize` for that field; a slicing or length argument still wins.
   */
  listSizes?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Arguments whose integer value is a list's size, default `first`, `last`, `limit`. */
  slicingArguments?: readonly string[];
  /** Arguments whose list length is the field's list size, default `representations` (`_entities`). */
  lengthArguments?: readonly string[];
  /** Cost of a mutation's root field, default 10 (Apollo demand control). */
  mutationCost?: number;
}

const DEFAULT_SLICING = ['first', 'last', 'limit'];
const DEFAULT_LENGTH = ['representations'];

/**
 * Estimates the cost of an operation before it runs, with Apollo demand control's static
 * model: an object (or interface, union) costs 1, a scalar or enum 0, a mutation root field
 * 10; a list multiplies the cost of its items by its size, taken from a slicing argument
 * (`first: 20`, a variable, or the argument's default in the schema) or, where none
 * applies, the field's assumed size (`listSizes['Lot.components']`, else
 * `assumedListSize`); nested lists multiply. `_entities` is as long as its
 * `representations`. Branches on different types of an abstract field are summed (an upper
 * bound). Fragments are costed once each; `@skip`/`@include` are ignored (upper bound).
 * Pure: no I/O, no clock. Returns 0 when the document has no such operation.
 *
 * @example
 * estimateCost({ schema, document: parse('{ firms { lots(first: 5) { lotId part { name } } } }') });
 * // firms (assumed 10) × (1 + lots 5 × (1 + part 1)) = 10 × 11 = 110
 * estimateCost({ schema, document: parse('{ firms { id } }') }, { listSizes: { 'Query.firms': 30 } }); // 30
 */
export function estimateCost(request: CostRequest, options: CostOptions = {}): number {
  const { schema, document } = request;
  const assumed = options.assumedListSize ?? 10;
  const slicing = options.slicingArguments ?? DEFAULT_SLICING;
  const lengths = options.lengthArguments ?? DEFAULT_LENGTH;
  const perField = options.listSizes;
  const assumedFor = (parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): number => {
    if (!perField) return assumed;
    const key = `${parent.name}.${field.name}`;
    const size = perField instanceof Map ? perField.get(key) : Object.hasOwn(perField, key) ? (perField as Readonly<Record<string, number>>)[key] : undefined;
    return typeof size === 'number' && Number.isFinite(size) ? Math.max(0, size) : assumed;
  };
  const operation = findOperation(document, request.operationName);
  if (!operation) return 0;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return 0;

  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], { ...(request.variables ?? {}) });
  // Variables that do not coerce fail at execution; meanwhile their lists count as assumed.
  const variables = coercion.coerced ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const listSize = (field: GraphQLField<unknown, unknown>, node: FieldNode, fieldAssumed: number): number => {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      return fieldAssumed;
    }
    const sizes: number[] = [];
    for (const name of slicing) {
      const value = args[name];
      if (typeof value === 'number' && Number.isFinite(value)) sizes.push(Math.max(0, value));
    }
    for (const name of lengths) {
      const value = args[name];
      if (Array.isArray(value)) sizes.push(value.length);
    }
    return sizes.length > 0 ? Math.max(...sizes) : fieldAssumed;
  };

  const fieldCost = (parent: GraphQLCompositeType, node: FieldNode, isRoot: boolean): number => {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0; // unions: only __typename
    const field = parent.getFields()[node.name.value];
    if (!field) return 0; // __typename and unknown fields
    const named = getNamedType(field.type);
    const own = isRoot && operation.operation === 'mutation' ? (options.mutationCost ?? 10) : isCompositeType(named) ? 1 : 0;
    const children = isCompositeType(named) && node.selectionSet ? selectionCost(node.selectionSet, named) : 0;
    const each = own + children;
    if (each === 0) return 0;
    const dimensions = listDimensions(field.type);
    if (dimensions === 0) return each;
    // The field's own size also sizes the inner lists of a list of lists.
    const fieldAssumed = assumedFor(parent, field);
    return each * listSize(field, node, fieldAssumed) * fieldAssumed ** (dimensions - 1);
  };

  const fragmentCost = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
    if (!fragment || !isCompositeType(type) || inProgress.has(name)) return 0;
    inProgress.add(name);
    const cost = selectionCost(fragment.selectionSet, type);
    inProgress.delete(name);
    memo.set(name, cost);
    return cost;
  };

  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType, isRoot = false): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(parent, selection, isRoot);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) total += selectionCost(selection.selectionSet, type, isRoot);
      } else {
        total += fragmentCost(selection.name.value);
      }
    }
    return total;
  };

  return selectionCost(operation.selectionSet, rootType, true);
}

/** How many lists wrap a type: `[Lot]` 1, `[[Int!]!]` 2, `Lot` 0. */
function listDimensions(type: GraphQLType): number {
  let dimensions = 0;
  let t: GraphQLType = getNullableType(type);
  while (isListType(t)) {
    dimensions += 1;
    t = getNullableType(t.ofType);
  }
  return dimensions;
}

function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}
