import { Kind, parse, print, visit, GraphQLError } from 'graphql';
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
  VariableDefinitionNode,
} from 'graphql';
import { ROUTING_ERROR_CODES } from './types.js';

/** One root `_entities` field of an operation. */
export interface EntitiesField {
  /** The response key: the alias, or `_entities`. */
  alias: string;
  /** The variable holding this field's representations (literal lists are lifted into one). */
  listVariable: string;
}

/** What the router needs to know about an `_entities` operation, independent of variables. */
export interface EntityOperation {
  kind: 'entities';
  /** The query to send to owners: the original text, or a rewrite where literal lists became variables. */
  query: string;
  /** Root `_entities` fields, in document order, one per response key. */
  fields: EntitiesField[];
  /** Response keys of root `__typename` fields. */
  typenameAliases: string[];
  /** Literal representation lists lifted out of the query: variable name → value to evaluate. */
  literalLists: ReadonlyMap<string, ValueNode>;
}

/** Where a root field names its owner: a literal `firmId` argument, or a variable. */
export type OwnerArgument = { kind: 'literal'; value: string } | { kind: 'variable'; name: string };

/** One root field routed by its `firmId` argument. */
export interface OwnerRoutedField {
  /** The response key: the alias, or the field name. */
  alias: string;
  /** The field name, e.g. `requestAccess`. */
  name: string;
  owner: OwnerArgument;
}

/**
 * An operation whose root fields (other than `__typename`) all take a `firmId` argument:
 * sent whole to the owner they name (docs/architecture.md, rule 5: root fields of firm-served subgraphs take
 * `firmId` or do not exist).
 */
export interface OwnerRoutedOperation {
  kind: 'rootFields';
  /** `Query` or `Mutation`: what a root `__typename` answers. */
  rootType: 'Query' | 'Mutation';
  /** Root fields, in document order (a response key may occur more than once). */
  fields: OwnerRoutedField[];
  /** Response keys of root `__typename` fields. */
  typenameAliases: string[];
}

export type RoutedOperation = EntityOperation | OwnerRoutedOperation;

export type ParsedRoutedOperation =
  | { ok: true; operation: RoutedOperation }
  | { ok: false; code: string; message: string };

/** Entries kept in the parse cache (least recently used dropped first). */
export const PARSE_CACHE_SIZE = 500;
const cache = new Map<string, ParsedRoutedOperation>();

const LIFTED_PREFIX = '__routedRepresentations';

/**
 * Parses a subgraph operation and says how to route it: by the owners of its root
 * `_entities` fields' representations (`kind: 'entities'`), or by the `firmId` argument of
 * its other root fields (`kind: 'rootFields'`, queries and mutations). Root `__typename`
 * goes with either. Refused (`NOT_ROUTABLE`): a root field without `firmId` argument,
 * `_entities` mixed with other root fields, `_entities` in a mutation, subscriptions.
 * Results (refusals too) are cached by query text and operation name, bounded to
 * {@link PARSE_CACHE_SIZE}; owners named by variables are read per request.
 *
 * @example
 * const entities = parseRoutedOperation('query($r:[_Any!]!){ _entities(representations:$r){ __typename } }');
 * // entities.ok && entities.operation → { kind: 'entities', fields: [{ alias: '_entities', listVariable: 'r' }], ... }
 * const mutation = parseRoutedOperation('mutation($a:ID!){ r: revokeAgreement(firmId:$a, agreementId:"x"){ state } }');
 * // mutation.ok && mutation.operation → { kind: 'rootFields', rootType: 'Mutation',
 * //   fields: [{ alias: 'r', name: 'revokeAgreement', owner: { kind: 'variable', name: 'a' } }], typenameAliases: [] }
 */
export function parseRoutedOperation(query: string, operationName?: string): ParsedRoutedOperation {
  const key = `${operationName ?? ''}\u0000${query}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const parsed = analyse(query, operationName);
  cache.set(key, parsed);
  if (cache.size > PARSE_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return parsed;
}

function notRoutable(message: string): ParsedRoutedOperation {
  return { ok: false, code: ROUTING_ERROR_CODES.NOT_ROUTABLE, message };
}

function analyse(query: string, operationName: string | undefined): ParsedRoutedOperation {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error: unknown) {
    const message = error instanceof GraphQLError ? error.message : 'the query could not be parsed';
    return { ok: false, code: ROUTING_ERROR_CODES.GRAPHQL_PARSE_FAILED, message };
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return notRoutable(`no single operation${operationName ? ` named ${operationName}` : ''} in the request`);
  if (operation.operation === 'subscription') {
    return notRoutable('firm-served subgraphs have no subscription fields');
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const rootFields: FieldNode[] = [];
  const problem = collectRootFields(operation.selectionSet, fragments, rootFields, new Set());
  if (problem) return notRoutable(problem);

  const routedByOwner = rootFields.some((f) => f.name.value !== '_entities' && f.name.value !== '__typename');
  if (routedByOwner || operation.operation === 'mutation') return ownerRoutedOperation(operation, rootFields);

  const fields: EntitiesField[] = [];
  const typenameAliases: string[] = [];
  const literalLists = new Map<string, ValueNode>();
  const toLift = new Map<FieldNode, string>();
  const taken = new Set(operation.variableDefinitions?.map((v) => v.variable.name.value) ?? []);
  for (const field of rootFields) {
    const alias = field.alias?.value ?? field.name.value;
    if (field.name.value === '__typename') {
      if (!typenameAliases.includes(alias)) typenameAliases.push(alias);
      continue;
    }
    if (fields.some((f) => f.alias === alias)) continue;
    const argument = field.arguments?.find((a) => a.name.value === 'representations');
    if (!argument) return notRoutable(`_entities field ${alias} has no representations argument`);
    if (argument.value.kind === Kind.VARIABLE) {
      fields.push({ alias, listVariable: argument.value.name.value });
      continue;
    }
    let name = `${LIFTED_PREFIX}${literalLists.size}`;
    while (taken.has(name)) name = `_${name}`;
    taken.add(name);
    literalLists.set(name, argument.value);
    toLift.set(field, name);
    fields.push({ alias, listVariable: name });
  }
  const rewritten = toLift.size === 0 ? query : print(liftLiterals(document, operation, toLift));
  return { ok: true, operation: { kind: 'entities', query: rewritten, fields, typenameAliases, literalLists } };
}

/** Root fields routed by their `firmId` argument; `_entities` may not be among them. */
function ownerRoutedOperation(operation: OperationDefinitionNode, rootFields: readonly FieldNode[]): ParsedRoutedOperation {
  const fields: OwnerRoutedField[] = [];
  const typenameAliases: string[] = [];
  for (const field of rootFields) {
    const name = field.name.value;
    const alias = field.alias?.value ?? name;
    if (name === '__typename') {
      if (!typenameAliases.includes(alias)) typenameAliases.push(alias);
      continue;
    }
    if (name === '_entities') {
      return notRoutable(
        `root field _entities cannot be routed together with ${operation.operation === 'mutation' ? 'a mutation' : 'root fields routed by firmId'}`,
      );
    }
    const argument = field.arguments?.find((a) => a.name.value === 'firmId');
    if (!argument) {
      return notRoutable(`root field ${alias} cannot be routed: it has no firmId argument naming the firm that answers it`);
    }
    let owner: OwnerArgument;
    if (argument.value.kind === Kind.VARIABLE) owner = { kind: 'variable', name: argument.value.name.value };
    else if (argument.value.kind === Kind.STRING || argument.value.kind === Kind.INT) owner = { kind: 'literal', value: argument.value.value };
    else return notRoutable(`root field ${alias} cannot be routed: its firmId argument is not an ID`);
    // Every occurrence is kept, so that two occurrences naming different owners are refused.
    fields.push({ alias, name, owner });
  }
  const rootType = operation.operation === 'mutation' ? 'Mutation' : 'Query';
  return { ok: true, operation: { kind: 'rootFields', rootType, fields, typenameAliases } };
}

/** Root fields through inline fragments and fragment spreads; returns a problem, if any. */
function collectRootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  out: FieldNode[],
  seen: Set<string>,
): string | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      out.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const problem = collectRootFields(selection.selectionSet, fragments, out, seen);
      if (problem) return problem;
    } else {
      const name = selection.name.value;
      if (seen.has(name)) continue;
      seen.add(name);
      const fragment = fragments.get(name);
      if (!fragment) return `unknown fragment ${name}`;
      const problem = collectRootFields(fragment.selectionSet, fragments, out, seen);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Replaces literal `representations` lists with variables `$name: [_Any!]!`. */
function liftLiterals(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  toLift: ReadonlyMap<FieldNode, string>,
): DocumentNode {
  const added: VariableDefinitionNode[] = [...toLift.values()].map((name) => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
    type: {
      kind: Kind.NON_NULL_TYPE,
      type: {
        kind: Kind.LIST_TYPE,
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: '_Any' } } },
      },
    },
  }));
  return visit(document, {
    OperationDefinition(node) {
      if (node !== operation) return undefined;
      return { ...node, variableDefinitions: [...(node.variableDefinitions ?? []), ...added] };
    },
    Field(node) {
      const name = toLift.get(node);
      if (name === undefined) return undefined;
      return {
        ...node,
        arguments: node.arguments?.map((a) =>
          a.name.value === 'representations'
            ? { ...a, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } } }
            : a,
        ),
      };
    },
  });
}
