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
  /**
   * The child lists a connection's slicing argument sizes, default `edges` and `nodes`
   * (Apollo's `@listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"])`, for
   * every field at once): a field that is no list and has a slicing argument
   * (`lotsConnection(first: 50)`) costs 1, and its `edges` and `nodes` are that long.
   */
  sizedFields?: readonly string[];
}

const DEFAULT_SLICING = ['first', 'last', 'limit'];
const DEFAULT_SIZED = ['edges', 'nodes'];
const DEFAULT_LENGTH = ['representations'];

/**
 * Estimates the cost of an operation before it runs, with Apollo demand control's static
 * model: an object (or interface, union) costs 1, a scalar or enum 0, a mutation root field
 * 10; a list multiplies the cost of its items by its size, taken from a slicing argument
 * (`first: 20`, a variable, or the argument's default in the schema) or, where none
 * applies, the field's assumed size (`listSizes['Lot.components']`, else
 * `assumedListSize`); nested lists multiply. `_entities` is as long as its
 * `representations`. A connection (a field that is no list, with a slicing argument) sizes
 * its `edges` and `nodes` by that argument, as Apollo's `@listSize(sizedFields:)` does.
 * Branches on different types of an abstract field are summed (an upper bound). Fragments
 * are costed once each (per connection size); `@skip`/`@include` are ignored (upper bound).
 * Pure: no I/O, no clock. Returns 0 when the document has no such operation.
 *
 * @example
 * estimateCost({ schema, document: parse('{ firms { lots(first: 5) { lotId part { name } } } }') });
 * // firms (assumed 10) × (1 + lots 5 × (1 + part 1)) = 10 × 11 = 110
 * estimateCost({ schema, document: parse('{ firms { id } }') }, { listSizes: { 'Query.firms': 30 } }); // 30
 * estimateCost({ schema, document: parse('{ firm(id: "a") { lotsConnection(first: 5) { nodes { lotId } pageInfo { endCursor } } } }') });
 * // firm 1 + connection 1 + nodes 5 × 1 + pageInfo 1 = 8
 */
export function estimateCost(request: CostRequest, options: CostOptions = {}): number {
  const { schema, document } = request;
  const assumed = options.assumedListSize ?? 10;
  const slicing = options.slicingArguments ?? DEFAULT_SLICING;
  const lengths = options.lengthArguments ?? DEFAULT_LENGTH;
  const sizedFields = new Set(options.sizedFields ?? DEFAULT_SIZED);
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

  /** The size a field's own arguments give (the largest slicing value or argument list length), if any. */
  const argumentSize = (field: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined => {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, variables);
    } catch {
      return undefined;
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
    return sizes.length > 0 ? Math.max(...sizes) : undefined;
  };

  /**
   * `sized`: the slicing size of the connection this selection is on, if it is one; its
   * `edges` and `nodes` are that long unless they have a size of their own.
   */
  const fieldCost = (parent: GraphQLCompositeType, node: FieldNode, isRoot: boolean, sized: number | undefined): number => {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0; // unions: only __typename
    const field = parent.getFields()[node.name.value];
    if (!field) return 0; // __typename and unknown fields
    const named = getNamedType(field.type);
    const dimensions = listDimensions(field.type);
    const own = isRoot && operation.operation === 'mutation' ? (options.mutationCost ?? 10) : isCompositeType(named) ? 1 : 0;
    const size = argumentSize(field, node);
    // A connection: its slicing argument sizes its edges and nodes, not itself.
    const connection = dimensions === 0 ? size : undefined;
    const children = isCompositeType(named) && node.selectionSet ? selectionCost(node.selectionSet, named, false, connection) : 0;
    const each = own + children;
    if (each === 0) return 0;
    if (dimensions === 0) return each;
    // The field's own size also sizes the inner lists of a list of lists.
    const fieldAssumed = sized !== undefined && sizedFields.has(field.name) ? sized : assumedFor(parent, field);
    return each * (size ?? fieldAssumed) * fieldAssumed ** (dimensions - 1);
  };

  const fragmentCost = (name: string, sized: number | undefined): number => {
    const key = `${name}\u0000${sized ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
    if (!fragment || !isCompositeType(type) || inProgress.has(name)) return 0;
    inProgress.add(name);
    const cost = selectionCost(fragment.selectionSet, type, false, sized);
    inProgress.delete(name);
    memo.set(key, cost);
    return cost;
  };

  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType, isRoot = false, sized?: number): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(parent, selection, isRoot, sized);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) total += selectionCost(selection.selectionSet, type, isRoot, sized);
      } else {
        total += fragmentCost(selection.name.value, sized);
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
