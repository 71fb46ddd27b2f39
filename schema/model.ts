import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from 'graphql';
import { subgraphSdl } from './supergraph.js';

/**
 * The data model the owners write policies about, read from the `firm` subgraph's SDL:
 * every entity type a firm serves (keyed by `firmId` + its own id), its fields, its key
 * fields, and its scalar fields (the ones a row filter may test).
 * `Firm` (the entry point) and the key-only reference types (`LotRef`...) are not governed
 * types: the first carries no data of its own, the second only keys the caller already has.
 */
export interface GovernedType {
  name: string;
  /** Every field of the type that a policy names, in SDL order (connections are not among them). */
  fields: string[];
  /**
   * The connection fields of the type and the list each pages (`{ lotsConnection: 'lots' }`):
   * `<list>Connection` next to a list field `<list>`. A connection is governed as its list:
   * granting `lots` grants `lotsConnection`, and a policy cannot name the connection.
   */
  connections: Record<string, string>;
  /** The key fields (`firmId` and the type's own id): always visible with a visible row. */
  keyFields: string[];
  /** Fields of scalar or enum type, that a row filter may test. */
  scalarFields: string[];
}

export interface DataModel {
  types: Record<string, GovernedType>;
}

const SCALARS = new Set(['ID', 'String', 'Int', 'Float', 'Boolean', 'DateTime', 'Date']);

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function keyFieldsOf(directives: readonly ConstDirectiveNode[] | undefined): string[] | undefined {
  const key = directives?.find((d) => d.name.value === 'key');
  const arg = key?.arguments?.find((a) => a.name.value === 'fields');
  if (!arg || arg.value.kind !== Kind.STRING) return undefined;
  return arg.value.value.split(/\s+/).filter(Boolean);
}

const isList = (type: TypeNode): boolean => type.kind === Kind.LIST_TYPE || (type.kind === Kind.NON_NULL_TYPE && isList(type.type));

/** `<list>Connection` fields (not lists) next to a list field `<list>`, each → its list. */
function connectionsOf(fields: readonly FieldDefinitionNode[]): Record<string, string> {
  const lists = new Set(fields.filter((f) => isList(f.type)).map((f) => f.name.value));
  const out: Record<string, string> = {};
  for (const f of fields) {
    const list = f.name.value.endsWith('Connection') ? f.name.value.slice(0, -'Connection'.length) : '';
    if (lists.has(list) && !isList(f.type)) out[f.name.value] = list;
  }
  return out;
}

/**
 * Reads the governed types from a firm subgraph SDL.
 * @example dataModelFromSdl(subgraphSdl('firm')).types.Lot.keyFields // ['firmId', 'lotId']
 */
export function dataModelFromSdl(sdl: string): DataModel {
  const doc = parse(sdl);
  const enums = new Set(
    doc.definitions.flatMap((d) => (d.kind === Kind.ENUM_TYPE_DEFINITION ? [d.name.value] : [])),
  );
  const types: Record<string, GovernedType> = {};
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const obj: ObjectTypeDefinitionNode = def;
    const keyFields = keyFieldsOf(obj.directives);
    if (!keyFields || !keyFields.includes('firmId')) continue;
    if (obj.name.value.endsWith('Ref')) continue;
    const all: readonly FieldDefinitionNode[] = obj.fields ?? [];
    const connections = connectionsOf(all);
    const fields = all.filter((f) => !Object.hasOwn(connections, f.name.value));
    types[obj.name.value] = {
      name: obj.name.value,
      fields: fields.map((f) => f.name.value),
      connections,
      keyFields,
      scalarFields: fields
        .filter((f) => {
          const t = namedType(f.type);
          return SCALARS.has(t) || enums.has(t);
        })
        .map((f) => f.name.value),
    };
  }
  return { types };
}

let firmModel: DataModel | undefined;

/**
 * The governed types of the `firm` subgraph's SDL, read once per process.
 * @example firmDataModel().types.Lot.keyFields // ['firmId', 'lotId']
 */
export function firmDataModel(): DataModel {
  firmModel ??= dataModelFromSdl(subgraphSdl('firm'));
  return firmModel;
}
