import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLError, parse, print, type ExecutionResult } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { withKeyAliasShield } from '../../../gateway/keyAliasGateway.js';
import { keyFieldNames, restoreKeyAliases, shieldKeyAliases } from '../../../gateway/keyAliases.js';
import { readSupergraph, subgraphSdl } from '../../../schema/supergraph.js';

const RESERVED = keyFieldNames(readSupergraph());

describe('keyFieldNames', () => {
  it('holds every key field of the supergraph and __typename, and nothing else', () => {
    expect([...RESERVED].sort()).toEqual(
      ['__typename', 'anomalyId', 'confirmationId', 'firmId', 'id', 'inspectionId', 'lotId', 'orderId', 'partId', 'positionId', 'readingId', 'runId', 'shipmentId'].sort(),
    );
  });
});

describe('shieldKeyAliases', () => {
  it('leaves a document without colliding aliases alone (no copy)', () => {
    expect(shieldKeyAliases(parse('{ firm(id: "a") { id name x: name lotId: lotId } }'), RESERVED)).toBeUndefined();
  });

  it('renames every alias that collides with a key field, the same alias the same way, and nothing else', () => {
    const doc = parse('query Q($id: ID!) { firm(id: $id) { id: name lots(first: 1) { firmId: lotId lotId: firmId ...F } } } fragment F on Lot { firmId: lotId status }');
    const shield = shieldKeyAliases(doc, RESERVED);
    expect(print(shield?.document ?? doc)).toBe(
      print(parse('query Q($id: ID!) { firm(id: $id) { id_clientAlias: name lots(first: 1) { firmId_clientAlias: lotId lotId_clientAlias: firmId ...F } } } fragment F on Lot { firmId_clientAlias: lotId status }')),
    );
    expect([...(shield?.restore ?? [])]).toEqual([['id_clientAlias', 'id'], ['firmId_clientAlias', 'firmId'], ['lotId_clientAlias', 'lotId']]);
  });

  it('never picks a name the document already uses', () => {
    const shield = shieldKeyAliases(parse('{ firm(id: "a") { id: name id_clientAlias: name id_clientAlias1: id } }'), RESERVED);
    expect(shield?.restore.get('id_clientAlias2')).toBe('id');
  });
});

describe('restoreKeyAliases', () => {
  const shield = shieldKeyAliases(parse('{ firm(id: "a") { id: name lots { firmId: lotId ... on Lot { ...F } } } } fragment F on Lot { lotId: status part { firmId: name } }'), RESERVED);
  if (!shield) throw new Error('expected a shield');

  it('gives the client’s names back along the operation, through lists and fragments, never touching values', () => {
    const data = {
      firm: {
        id_clientAlias: 'Firm A',
        lots: [
          { firmId_clientAlias: 'L1', lotId_clientAlias: 'firmId_clientAlias', part: { firmId_clientAlias: 'Bracket' } },
          null,
        ],
      },
    };
    expect(restoreKeyAliases({ data }, shield).data).toEqual({
      firm: { id: 'Firm A', lots: [{ firmId: 'L1', lotId: 'firmId_clientAlias', part: { firmId: 'Bracket' } }, null] },
    });
  });

  it('renames error paths and keeps the rest of each error', () => {
    const error = new GraphQLError('refused', { path: ['firm', 'lots', 0, 'lotId_clientAlias'], extensions: { code: 'FORBIDDEN' } });
    const result = restoreKeyAliases({ data: null, errors: [error] } as ExecutionResult, shield);
    expect(result.errors?.[0]).toBeInstanceOf(GraphQLError);
    expect(result.errors?.[0]?.path).toEqual(['firm', 'lots', 0, 'lotId']);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(result.data).toBeNull();
  });

  it('keeps a response name __proto__ as a key', () => {
    const s = shieldKeyAliases(parse('{ firm(id: "a") { id: name __proto__: name } }'), RESERVED);
    const out = restoreKeyAliases({ data: JSON.parse('{"firm":{"id_clientAlias":"A","__proto__":"B"}}') as Record<string, unknown> }, s ?? shield).data as { firm: object };
    expect(Object.keys(out.firm)).toEqual(['id', '__proto__']);
  });
});

describe('where the overwrite happens: @apollo/gateway’s planner (in process, no network)', () => {
  const fetched: string[] = [];
  const registry = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('registry')),
    resolvers: {
      Query: { firm: (_: unknown, { id }: { id: string }) => ({ id, name: `Firm ${id}` }) },
      Firm: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `Firm ${ref.id}` }) },
    } as unknown as GraphQLResolverMap<unknown>,
  });
  const firm = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('firm')),
    resolvers: {
      Firm: { __resolveReference: (ref: { id: string }) => ref, lots: (f: { id: string }) => [{ firmId: f.id, lotId: `${f.id}-L1`, status: 'RELEASED' }] },
    } as unknown as GraphQLResolverMap<unknown>,
  });
  class Recording extends LocalGraphQLDataSource {
    override process(options: Parameters<LocalGraphQLDataSource['process']>[0]) {
      fetched.push(options.request.query ?? '');
      return super.process(options);
    }
  }
  const servers: ApolloServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    fetched.length = 0;
  });

  async function ask(shielded: boolean, query: string) {
    const gateway = new ApolloGateway({
      supergraphSdl: readSupergraph(),
      buildService: ({ name }) => new Recording(name === 'registry' ? registry : firm),
    });
    const server = new ApolloServer({ gateway: shielded ? withKeyAliasShield(gateway, RESERVED) : gateway });
    servers.push(server);
    await server.start();
    const r = await server.executeOperation({ query });
    return r.body.kind === 'single' ? r.body.singleResult : undefined;
  }

  const QUERY = '{ firm(id: "a") { id: name lots { lotId } } }';

  it('without the shield, the client’s `id: name` never reaches a subgraph and the key takes its place', async () => {
    const r = await ask(false, QUERY);
    expect(fetched[0]).not.toMatch(/\bname\b/);
    expect(r?.data).toEqual({ firm: { id: 'a', lots: [{ lotId: 'a-L1' }] } });
  });

  it('with the shield, the client gets what it asked for', async () => {
    const r = await ask(true, QUERY);
    expect(fetched[0]).toMatch(/id_clientAlias:\s*name/);
    expect(r?.data).toEqual({ firm: { id: 'Firm a', lots: [{ lotId: 'a-L1' }] } });
    expect(r?.errors).toBeUndefined();
  });
});
