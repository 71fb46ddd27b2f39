import { Kind, isObjectType, type ConstArgumentNode, type ConstDirectiveNode, type GraphQLSchema } from 'graphql';

/** The entity types a subgraph resolves (`__typename` of a representation) → the fields of each one's key. */
export type EntityKeys = ReadonlyMap<string, readonly string[]>;

function argument(directive: ConstDirectiveNode, name: string): ConstArgumentNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name);
}

/** The key fields of a resolvable `@key`, or undefined for `resolvable: false`. */
function resolvableKey(typeName: string, directive: ConstDirectiveNode): string[] | undefined {
  const resolvable = argument(directive, 'resolvable')?.value;
  if (resolvable?.kind === Kind.BOOLEAN && !resolvable.value) return undefined;
  const fields = argument(directive, 'fields')?.value;
  const text = fields?.kind === Kind.STRING ? fields.value : '';
  if (!/^\s*[_A-Za-z][_0-9A-Za-z]*(\s+[_A-Za-z][_0-9A-Za-z]*)*\s*$/.test(text)) {
    throw new Error(`entityKeysOf: ${typeName} @key(fields: ${JSON.stringify(text)}) is not a list of plain fields; only those are checked`);
  }
  return text.trim().split(/\s+/);
}

/**
 * The entity types a built subgraph schema resolves, each with the fields of its key (read
 * from its `@key` directives; `resolvable: false` ones are stubs the subgraph cannot
 * resolve, so they are left out). A type with two resolvable keys, or a key with nested
 * fields, is refused at start: {@link checkRepresentations} would not know which fields to ask for.
 * @example entityKeysOf(firmSchema).get('Lot'); // ['firmId', 'lotId']
 */
export function entityKeysOf(schema: GraphQLSchema): EntityKeys {
  const keys = new Map<string, readonly string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const nodes = [type.astNode, ...type.extensionASTNodes];
    const resolvable = nodes
      .flatMap((n) => n?.directives ?? [])
      .filter((d) => d.name.value === 'key')
      .map((d) => resolvableKey(type.name, d))
      .filter((k): k is string[] => k !== undefined);
    if (resolvable.length > 1) throw new Error(`entityKeysOf: ${type.name} has ${resolvable.length} resolvable @key directives; one is supported`);
    if (resolvable[0]) keys.set(type.name, resolvable[0]);
  }
  return keys;
}
