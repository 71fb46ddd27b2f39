import { buildASTSchema, getNamedType, getNullableType, isListType, isObjectType, parse, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { describe, expect, it } from 'vitest';
import { dataModelFromSdl, firmDataModel } from '../../../schema/model.js';
import { subgraphSdl } from '../../../schema/supergraph.js';

const schema = buildSubgraphSchema([{ typeDefs: parse(subgraphSdl('firm')) }]);
const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('_'));
const argsOf = (f: GraphQLField<unknown, unknown>) => f.args.map((a) => `${a.name}: ${String(a.type)}${a.defaultValue === undefined ? '' : ` = ${String(a.defaultValue)}`}`);

describe('schema: every list that takes first has a connection beside it, alike everywhere', () => {
  const paged = objects.flatMap((t) =>
    Object.values(t.getFields())
      .filter((f) => isListType(getNullableType(f.type)) && f.args.some((a) => a.name === 'first'))
      .map((f) => ({ type: t, list: f })),
  );

  it('finds the paged lists: the Firm entry points, Part.lots and the owner\'s two logs', () => {
    expect(paged.map(({ type, list }) => `${type.name}.${list.name}`).sort()).toEqual(
      ['accessLog', 'inventory', 'lots', 'orderConfirmations', 'parts', 'productionRuns', 'purchaseOrders', 'qualityInspections', 'qualityNotifications', 'sensorAnomalies', 'sensorReadings', 'shipments', 'writeLog']
        .map((f) => `Firm.${f}`)
        .concat(['Part.lots'])
        .sort(),
    );
  });

  it('gives each `<list>Connection(<the list arguments>, after: String)`: nodes of the list type, edges, pageInfo', () => {
    for (const { type, list } of paged) {
      const connection = type.getFields()[`${list.name}Connection`];
      expect(connection, `${type.name}.${list.name}Connection`).toBeDefined();
      if (!connection) continue;
      expect(argsOf(connection).sort()).toEqual([...argsOf(list), 'after: String'].sort());
      const node = getNamedType(list.type).name;
      const shape = getNamedType(connection.type);
      expect(isObjectType(shape)).toBe(true);
      if (!isObjectType(shape)) continue;
      const fields = shape.getFields();
      expect(String(fields.nodes?.type)).toBe(`[${node}]`);
      const edge = getNamedType(fields.edges?.type ?? shape);
      expect(String(fields.edges?.type)).toBe(`[${edge.name}]`);
      expect(isObjectType(edge) ? Object.fromEntries(Object.values(edge.getFields()).map((f) => [f.name, String(f.type)])) : {}).toEqual({ cursor: 'String!', node });
      expect(String(fields.pageInfo?.type)).toBe('PageInfo!');
    }
    const pageInfo = schema.getType('PageInfo');
    expect(isObjectType(pageInfo) ? Object.fromEntries(Object.values(pageInfo.getFields()).map((f) => [f.name, String(f.type)])) : {}).toEqual({
      hasNextPage: 'Boolean!',
      hasPreviousPage: 'Boolean!',
      startCursor: 'String',
      endCursor: 'String',
    });
  });
});

describe('the data model: a connection is governed as its list', () => {
  it('reads Part.lotsConnection as the connection of Part.lots, not as a field a policy names', () => {
    const part = firmDataModel().types.Part;
    expect(part?.connections).toEqual({ lotsConnection: 'lots' });
    expect(part?.fields).toContain('lots');
    expect(part?.fields).not.toContain('lotsConnection');
    for (const t of Object.values(firmDataModel().types)) {
      if (t.name !== 'Part') expect(t.connections, t.name).toEqual({});
    }
  });

  it('takes `<x>Connection` for a connection only beside a list field `<x>`, and only when it is no list itself', () => {
    const sdl = `
      type T @key(fields: "firmId tId") {
        firmId: ID! tId: ID!
        items: [String] itemsConnection(first: Int): C
        name: String nameConnection: C
        ghostConnection: C
        tagsConnection: [String] tags: [String]
      }
      type C { nodes: [String] }
    `;
    const model = dataModelFromSdl(sdl);
    expect(model.types.T?.connections).toEqual({ itemsConnection: 'items' });
    expect(model.types.T?.fields).toEqual(['firmId', 'tId', 'items', 'name', 'nameConnection', 'ghostConnection', 'tagsConnection', 'tags']);
    expect(buildASTSchema(parse(`${sdl.replace('@key(fields: "firmId tId")', '')} type Query { t: T }`)).getType('T')).toBeDefined();
  });
});
