import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import { coarsenValue } from '../../policies/coarsenValue.js';
import type { DataModel } from '../../schema/model.js';
import type { FirmContext } from './firmContext.js';
import { forbidden } from './firmErrors.js';
import type { Row } from './requestAccess.js';

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * The one place where field-level policy is enforced: every field of every governed type
 * is wrapped so that a field the owner's effective policy does not grant for that row
 * resolves to null with a FORBIDDEN error naming the type, the field and the reason —
 * whether the row was reached through an entry point or through `_entities`. A field the
 * policy grants only coarsened is coarsened here, on its way out. A connection field
 * (`Part.lotsConnection`) is checked as the list it pages (`Part.lots`). Rows themselves only ever
 * come from the loaders, which carry the row filter into SQL. Every field let out, and
 * every field refused, is recorded for the access log.
 * @example const schema = enforcePolicy(buildSubgraphSchema(...), dataModel);
 */
export function enforcePolicy(schema: GraphQLSchema, model: DataModel): GraphQLSchema {
  for (const type of Object.values(model.types)) {
    const gqlType = schema.getType(type.name);
    if (!isObjectType(gqlType)) throw new Error(`governed type ${type.name} is not an object type of the schema`);
    for (const field of Object.values(gqlType.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      // A connection (`Part.lotsConnection`) is governed, refused and logged as its list (`lots`).
      const governed = type.connections[field.name] ?? field.name;
      field.resolve = (source: Row, args, ctx: FirmContext, info) => {
        const access = ctx.access.field(type.name, governed, source);
        if (!access.allowed) {
          ctx.reads.deniedField(type.name, governed);
          throw forbidden(ctx.firmId, type.name, governed, access.reason);
        }
        ctx.reads.field(type.name, governed, source, access.rules);
        const value = resolve(source, args, ctx, info);
        const spec = access.coarsen;
        if (!spec) return value;
        return isPromise(value) ? value.then((v) => coarsenValue(v, spec)) : coarsenValue(value, spec);
      };
    }
  }
  return schema;
}
