import {
  GraphQLError,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Why this exists: @apollo/gateway's query planner (2.x, JavaScript) merges selections by
 * response name, so a client field aliased to the name of a key field the plan needs for a
 * later fetch (`lot { firmId: lotId status }`, `firm(id:) { id: name lots { ... } }`) is
 * replaced by that key field: the client gets the key's value under its alias (or its own
 * field is never fetched). Known upstream: apollographql/federation#3036, router#6222. The
 * gateway renames such aliases before planning and gives the client's names back in the answer.
 */

/** A document whose colliding aliases were renamed, and how to give the client's names back. */
export interface ShieldedDocument {
  document: DocumentNode;
  /** Renamed alias → the client's alias. */
  restore: ReadonlyMap<string, string>;
}

/**
 * The names a planner may add to a selection: every field of every `@join__type(key:)` of
 * the supergraph, and `__typename`.
 * @example keyFieldNames(readSupergraph()).has('lotId'); // true
 */
export function keyFieldNames(supergraphSdl: string): ReadonlySet<string> {
  const names = new Set<string>(['__typename']);
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const directive of def.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const key = directive.arguments?.find((a) => a.name.value === 'key')?.value;
      if (key?.kind !== Kind.STRING) continue;
      for (const name of key.value.split(/[\s{}(),:]+/)) if (name) names.add(name);
    }
  }
  return names;
}

/** Every alias and field name the document uses. */
function namesOf(document: DocumentNode): Set<string> {
  const names = new Set<string>();
  visit(document, {
    Field(node) {
      names.add(node.name.value);
      if (node.alias) names.add(node.alias.value);
    },
  });
  return names;
}

const collides = (node: FieldNode, reserved: ReadonlySet<string>): boolean =>
  node.alias !== undefined && node.alias.value !== node.name.value && reserved.has(node.alias.value);

/**
 * Renames every alias that differs from its field's name and equals a name the planner may
 * add (`reserved`, see {@link keyFieldNames}) to one the document does not use anywhere
 * (`firmId` → `firmId_clientAlias`, with a number if even that is taken). The same alias
 * always gets the same new name, so selections that merged still merge. Returns undefined
 * when there is nothing to rename (the common case: no copy, no cost).
 * @example shieldKeyAliases(parse('{ firm(id: "a") { id: name } }'), new Set(['id']))?.restore; // Map { 'id_clientAlias' => 'id' }
 */
export function shieldKeyAliases(document: DocumentNode, reserved: ReadonlySet<string>): ShieldedDocument | undefined {
  let found = false;
  visit(document, {
    Field(node) {
      if (collides(node, reserved)) found = true;
    },
  });
  if (!found) return undefined;
  const used = namesOf(document);
  const renamed = new Map<string, string>();
  const restore = new Map<string, string>();
  const newName = (alias: string): string => {
    let name = renamed.get(alias);
    if (name) return name;
    for (let n = 0; !name || used.has(name) || restore.has(name); n++) name = `${alias}_clientAlias${n === 0 ? '' : n}`;
    renamed.set(alias, name);
    restore.set(name, alias);
    return name;
  };
  const shielded = visit(document, {
    Field(node) {
      if (!collides(node, reserved) || !node.alias) return undefined;
      return { ...node, alias: { ...node.alias, value: newName(node.alias.value) } };
    },
  });
  return { document: shielded, restore };
}

/** The selection sets of the fields with this response name, through inline fragments and fragment spreads. */
function subSelections(sets: readonly SelectionSetNode[], responseName: string, fragments: ReadonlyMap<string, FragmentDefinitionNode>): SelectionSetNode[] {
  const out: SelectionSetNode[] = [];
  const walk = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD && (s.alias ?? s.name).value === responseName && s.selectionSet) out.push(s.selectionSet);
      if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet, seen);
      if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet, new Set([...seen, s.name.value]));
      }
    }
  };
  for (const set of sets) walk(set, new Set());
  return out;
}

function restoreValue(value: unknown, sets: readonly SelectionSetNode[], shield: ShieldedDocument, fragments: ReadonlyMap<string, FragmentDefinitionNode>): unknown {
  if (Array.isArray(value)) return value.map((v) => restoreValue(v, sets, shield, fragments));
  if (typeof value !== 'object' || value === null || sets.length === 0) return value;
  // fromEntries defines own properties: a response name `__proto__` stays a key.
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [shield.restore.get(key) ?? key, restoreValue(v, subSelections(sets, key, fragments), shield, fragments)]),
  );
}

function restorePath(error: GraphQLError, shield: ShieldedDocument): GraphQLError {
  if (!error.path?.some((p) => typeof p === 'string' && shield.restore.has(p))) return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    path: error.path.map((p) => (typeof p === 'string' ? (shield.restore.get(p) ?? p) : p)),
    extensions: error.extensions,
  });
}

/**
 * Gives the client's aliases back in an answer to a {@link shieldKeyAliases} document: the
 * data is walked along the shielded operation (only response names of its selections are
 * renamed, never a value), and error paths are renamed.
 * @example const answer = restoreKeyAliases(await executor({ ...ctx, document: shield.document }), shield, ctx.operationName);
 */
export function restoreKeyAliases<R extends ExecutionResult>(result: R, shield: ShieldedDocument, operationName?: string | null): R {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: SelectionSetNode[] = [];
  for (const def of shield.document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operations.push(def.selectionSet);
  }
  const data = result.data === undefined || result.data === null ? result.data : restoreValue(result.data, operations, shield, fragments);
  const errors = result.errors?.map((e) => restorePath(e, shield));
  return { ...result, ...(data === undefined ? {} : { data }), ...(errors ? { errors } : {}) };
}
