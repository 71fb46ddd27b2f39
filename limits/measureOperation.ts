import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The shape of one operation, as the operation limits see it. */
export interface OperationMeasure {
  /** Deepest field nesting; a root field is at depth 1, its subfields at 2 (Apollo Router's convention). */
  depth: number;
  /** Aliased fields, each fragment counted once per spread. */
  aliases: number;
  /** Fields at the root of the operation, through fragments. */
  rootFields: number;
}

/**
 * Root fields that do not count as a level of depth: a subgraph measures a gateway's
 * `_entities` fetch from inside the entities, so that a fetch deep in a plan weighs what
 * its own selection weighs (the gateway already measured the path to it).
 */
const TRANSPARENT_ROOT_FIELDS = new Set(['_entities']);

interface Shape {
  depth: number;
  aliases: number;
  rootFields: number;
}

/**
 * Measures the operation of a document (the one named `operationName`, or the only one) in
 * one walk: depth, aliases and root fields, fragments expanded. Each fragment is measured
 * once and reused, so fragments spread many times cost no more to measure than to parse.
 * Returns undefined when the document has no such operation.
 * @example measureOperation(parse('{ firm(id: "a") { lots { lotId } } }')); // { depth: 3, aliases: 0, rootFields: 1 }
 */
export function measureOperation(document: DocumentNode, operationName?: string | null): OperationMeasure | undefined {
  const operation = findOperation(document, operationName);
  if (!operation) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Shape>();
  const inProgress = new Set<string>();

  const fragmentShape = (name: string): Shape => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown or cyclic fragments are validation errors; measure them as empty.
    if (!fragment || inProgress.has(name)) return { depth: 0, aliases: 0, rootFields: 0 };
    inProgress.add(name);
    const shape = selectionShape(fragment.selectionSet, false);
    inProgress.delete(name);
    memo.set(name, shape);
    return shape;
  };

  /** `rootFields` counts the fields of this selection set itself, through fragments. */
  const selectionShape = (set: SelectionSetNode, atRoot: boolean): Shape => {
    let depth = 0;
    let aliases = 0;
    let rootFields = 0;
    for (const selection of set.selections) {
      let inner: Shape;
      if (selection.kind === Kind.FIELD) {
        const sub = selection.selectionSet ? selectionShape(selection.selectionSet, false) : { depth: 0, aliases: 0, rootFields: 0 };
        const level = atRoot && TRANSPARENT_ROOT_FIELDS.has(selection.name.value) ? 0 : 1;
        inner = { depth: level + sub.depth, aliases: sub.aliases + (selection.alias ? 1 : 0), rootFields: 1 };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = selectionShape(selection.selectionSet, atRoot);
      } else {
        // A fragment's own fields are root fields when it is spread at the root; a transparent
        // field in a fragment is not special (fragments are measured once, wherever spread).
        inner = fragmentShape(selection.name.value);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      rootFields += inner.rootFields;
    }
    return { depth, aliases, rootFields };
  };

  return selectionShape(operation.selectionSet, true);
}

function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}
