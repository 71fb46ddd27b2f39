import {
  defaultFieldResolver,
  getNamedType,
  GraphQLEnumType,
  GraphQLError,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { rowKey, TABLE_SPECS } from './data/tableSpecs.js';
import type { FirmContext } from './firmContext.js';

/** The stored types other than the data tables, and their keys. */
const GOVERNANCE_KEYS: Readonly<Record<string, readonly string[]>> = {
  Agreement: ['agreementId'],
  AccessRequest: ['requestId'],
  AccessLogEntry: ['seq'],
  WriteLogEntry: ['seq'],
};

/** GraphQL type → the key fields of its stored rows. */
const KEYS_OF_TYPE: ReadonlyMap<string, readonly string[]> = new Map([
  ...TABLE_SPECS.map((s): [string, readonly string[]] => [s.graphqlType, s.key]),
  ...Object.entries(GOVERNANCE_KEYS),
]);

const INT32 = 2_147_483_647;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why a stored value cannot be served as this leaf type, or undefined when it can. */
function unrepresentable(type: GraphQLOutputType, value: unknown): string | undefined {
  if (value === null || value === undefined) return isNonNullType(type) ? 'it is missing (NULL) where the schema requires a value' : undefined;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return 'it is not a list';
    for (const item of value) {
      const why = unrepresentable(inner.ofType, item);
      if (why) return why;
    }
    return undefined;
  }
  const named = getNamedType(inner);
  if (named instanceof GraphQLEnumType) {
    return named.getValues().some((v) => v.value === value) ? undefined : `it is not a ${named.name} value`;
  }
  switch (named.name) {
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'it is not a finite number';
    case 'Int':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT32 ? undefined : 'it is not a 32-bit integer';
    case 'DateTime':
      return value instanceof Date ? (Number.isNaN(value.getTime()) ? 'it is not a valid instant' : undefined) : typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'it is not a valid instant';
    case 'Date':
      return (typeof value === 'string' && DATE.test(value)) || (value instanceof Date && !Number.isNaN(value.getTime())) ? undefined : 'it is not a calendar date';
    default:
      return undefined;
  }
}

/**
 * A stored value the schema cannot represent: a clear refusal naming the firm, the type, the
 * field and the row's key (code `STORED_VALUE_INVALID`), never an internal error. The value
 * itself is not repeated (it may be what the owner's policy protects).
 * @example throw storedValueInvalid('structura', 'Lot', 'status', 'structura-L0001', 'it is not a LotStatus value');
 */
export function storedValueInvalid(firmId: string, type: string, field: string, key: string, why: string): GraphQLError {
  return new GraphQLError(
    `${type} ${key} of firm ${firmId} holds a ${field} that cannot be served: ${why}. The row needs repair (docs/import-format.md).`,
    { extensions: { code: 'STORED_VALUE_INVALID', firmId, type, field, key } },
  );
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Wraps every leaf field (scalar or enum) of every stored type of a firm schema (the data
 * tables' types, agreements, access requests, log entries) so that a stored value the schema
 * cannot represent (a status outside its enum, NULL in a non-null field, NaN or Infinity in
 * a Float, an instant PostgreSQL calls `infinity`) fails that field alone with
 * STORED_VALUE_INVALID. The database's constraints keep such values out (migration 0003);
 * this guard covers rows written before them, or by someone who bypassed them.
 * @example const schema = enforcePolicy(guardStoredValues(buildSubgraphSchema(...)), model);
 */
export function guardStoredValues(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, keys] of KEYS_OF_TYPE) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isLeafType(getNamedType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const check = (value: unknown, source: Record<string, unknown>, ctx: FirmContext): unknown => {
        const why = unrepresentable(field.type, value);
        if (why === undefined) return value;
        throw storedValueInvalid(ctx.firmId, typeName, field.name, rowKey({ key: keys }, source), why);
      };
      field.resolve = (source: Record<string, unknown>, args, ctx: FirmContext, info) => {
        const value = resolve(source, args, ctx, info);
        return isPromise(value) ? value.then((v) => check(v, source, ctx)) : check(value, source, ctx);
      };
    }
  }
  return schema;
}
