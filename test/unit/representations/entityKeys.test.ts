import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subgraphSdl } from '../../../schema/supergraph.js';
import { entityKeysOf } from '../../../subgraphs/representations/entityKeys.js';

const schemaOf = (sdl: string) => buildSubgraphSchema([{ typeDefs: parse(sdl) }]);
const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n';

describe('entityKeysOf', () => {
  it('lists the entities each of our subgraphs resolves, with their keys, and leaves out resolvable: false stubs', () => {
    const firm = entityKeysOf(schemaOf(subgraphSdl('firm')));
    expect(firm.get('Lot')).toEqual(['firmId', 'lotId']);
    expect(firm.get('Firm')).toEqual(['id']);
    expect(firm.has('LotRef')).toBe(false);
    const links = entityKeysOf(schemaOf(subgraphSdl('links')));
    expect([...links.keys()].sort()).toEqual(['FirmRef', 'LotRef', 'PartRef', 'PurchaseOrderRef']);
    expect([...entityKeysOf(schemaOf(subgraphSdl('registry')))]).toEqual([['Firm', ['id']]]);
  });

  it('refuses at start what it could not check: two resolvable keys, nested key fields', () => {
    expect(() => entityKeysOf(schemaOf(`${FED}type Query { a: A } type A @key(fields: "id") @key(fields: "code") { id: ID! code: ID! }`))).toThrow(/2 resolvable @key/);
    expect(() => entityKeysOf(schemaOf(`${FED}type Query { a: A } type B { id: ID! } type A @key(fields: "b { id }") { b: B! }`))).toThrow(/not a list of plain fields/);
  });
});
