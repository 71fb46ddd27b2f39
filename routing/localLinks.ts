import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { execute, isObjectType, Kind, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { SubgraphRequest, SubgraphResponse } from './types.js';

type Json = Record<string, unknown>;

function keyFields(directives: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: { kind: string; value?: string } }[] }[] | undefined): string[] {
  const key = directives?.find((d) => d.name.value === 'key');
  const fields = key?.arguments?.find((a) => a.name.value === 'fields')?.value;
  return fields?.kind === Kind.STRING && fields.value ? fields.value.split(/\s+/).filter(Boolean) : [];
}

/**
 * The `links` logical subgraph answered where the plan runs. Its fields only turn a
 * key-only reference into a reference of the target entity with the same keys (`LotRef.lot`
 * → `Lot { firmId lotId }`): they read no firm's data, so asking the owner adds a round
 * trip and nothing else. The planner still leaves `firm` for `links` and re-enters `firm`
 * through the gateway, which routes every data fetch by owner (docs/architecture.md, rule 2 holds); the
 * owner then checks the representation (OWNER_MISMATCH) and its policy as always. Built
 * from the links SDL: each `…Ref` type's single non-key field returns its entity's keys.
 * @example const links = localLinks(subgraphSdl('links')); await links.execute(request)
 */
export function localLinks(linksSdl: string): { execute(request: SubgraphRequest): Promise<SubgraphResponse> } {
  const doc = parse(linksSdl);
  const resolvers: Record<string, Record<string, (ref: Json) => unknown>> = {};
  const entityKeys = new Map<string, string[]>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION) entityKeys.set(def.name.value, keyFields(def.directives as never));
  }
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !def.name.value.endsWith('Ref')) continue;
    const keys = entityKeys.get(def.name.value) ?? [];
    const fields: Record<string, (ref: Json) => unknown> = { __resolveReference: (ref) => ref };
    for (const field of def.fields ?? []) {
      if (keys.includes(field.name.value)) continue;
      const target = field.type.kind === Kind.NAMED_TYPE ? field.type.name.value : '';
      const targetKeys = entityKeys.get(target) ?? [];
      fields[field.name.value] = (ref) => Object.fromEntries(targetKeys.map((k) => [k, ref[k]]));
    }
    resolvers[def.name.value] = fields;
  }
  const schema: GraphQLSchema = buildSubgraphSchema([{ typeDefs: doc, resolvers: resolvers as unknown as GraphQLResolverMap<unknown> }]);
  for (const type of Object.values(schema.getTypeMap())) if (isObjectType(type)) type.getFields();
  const parsed = new Map<string, DocumentNode>();
  return {
    async execute(request) {
      let document = parsed.get(request.query);
      if (!document) {
        document = parse(request.query);
        if (parsed.size > 500) parsed.clear();
        parsed.set(request.query, document);
      }
      const result = (await execute({
        schema,
        document,
        variableValues: request.variables ?? {},
        ...(request.operationName ? { operationName: request.operationName } : {}),
      })) as ExecutionResult;
      return {
        ...(result.data !== undefined ? { data: result.data as Json } : {}),
        ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, ...(e.path ? { path: [...e.path] } : {}), extensions: { code: 'LINKS_INVALID' } })) } : {}),
      } as SubgraphResponse;
    },
  };
}
