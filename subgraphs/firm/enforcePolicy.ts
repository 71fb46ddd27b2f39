import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import type { DataModel } from '../../schema/model.js';
import type { FirmContext } from './firmContext.js';
import { forbidden } from './firmErrors.js';
import type { Row } from './requestAccess.js';

/**
 * The one place where field-level policy is enforced: every field of every governed type
 * is wrapped so that a field the owner's policy does not grant for that row resolves to
 * null with a FORBIDDEN error naming the type, the field and the reason — whether the row
 * was reached through an entry point or through `_entities`. Rows themselves only ever come
 * from the loaders, which carry the row filter into SQL.
 * @example const schema = enforcePolicy(buildSubgraphSchema(...), dataModel);
 */
export function enforcePolicy(schema: GraphQLSchema, model: DataModel): GraphQLSchema {
  for (const type of Object.values(model.types)) {
    const gqlType = schema.getType(type.name);
    if (!isObjectType(gqlType)) throw new Error(`governed type ${type.name} is not an object type of the schema`);
    for (const field of Object.values(gqlType.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source: Row, args, ctx: FirmContext, info) => {
        if (!ctx.access.fieldAllowed(type.name, field.name, source)) {
          ctx.reads.deniedField(type.name, field.name);
          throw forbidden(ctx.firmId, type.name, field.name, ctx.access.reason(type.name, field.name));
        }
        ctx.reads.field(type.name, field.name, source, ctx.access.decision(type.name).matchedRules);
        return resolve(source, args, ctx, info);
      };
    }
  }
  return schema;
}
