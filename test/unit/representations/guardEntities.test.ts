import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { execute, parse, validate, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subgraphSdl } from '../../../schema/supergraph.js';
import { guardEntities } from '../../../subgraphs/representations/guardEntities.js';

/** The firm subgraph's schema with a Lot reference resolver that records what reaches it. */
function firmSchema(guarded: boolean) {
  const seen: unknown[] = [];
  const resolvers = {
    Lot: {
      __resolveReference: (ref: Record<string, unknown>) => {
        seen.push(ref);
        return { firmId: ref.firmId, lotId: `${String(ref.lotId)}` };
      },
    },
  };
  const built = buildSubgraphSchema([{ typeDefs: parse(subgraphSdl('firm')), resolvers: resolvers as unknown as GraphQLResolverMap<unknown> }]);
  return { schema: guarded ? guardEntities(built) : built, seen };
}

function run(guarded: boolean, query: string, variableValues?: Record<string, unknown>): { result: ExecutionResult; seen: unknown[] } {
  const { schema, seen } = firmSchema(guarded);
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  let result: ExecutionResult;
  try {
    result = execute({ schema, document, ...(variableValues ? { variableValues } : {}) }) as ExecutionResult;
  } catch (e) {
    // unguarded: String() of a 20,000-deep list overflows the stack inside the resolver
    result = { errors: [e as never] };
  }
  return { result, seen };
}

const LOT = { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' };
let deep: unknown = 'x';
for (let i = 0; i < 20_000; i++) deep = [deep];

/** Every way of writing the operation, each carrying one bad representation. */
const SHAPES: [string, string, Record<string, unknown>?][] = [
  ['a named fragment on Query', 'query { ...F } fragment F on Query { _entities(representations: [30]) { ... on Lot { lotId } } }'],
  ['nested named fragments', 'query { ...F } fragment F on Query { ...G } fragment G on Query { _entities(representations: [{ __typename: "Lot", firmId: "structura", lotId: { toString: 1 } }]) { __typename } }'],
  ['an inline fragment', '{ ... on Query { _entities(representations: [{ __typename: "Nope" }]) { __typename } } }'],
  ['an alias', '{ e: _entities(representations: [{ __typename: "Lot", firmId: ["structura"], lotId: "structura-L0001" }]) { __typename } }'],
  ['a variable', 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [LOT, { ...LOT, lotId: { toString: 1 } }] }],
  ['a 20,000-deep list in a variable', 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ ...LOT, lotId: deep }] }],
  ['a variable inside a literal', 'query($id: _Any) { _entities(representations: [{ __typename: "Lot", firmId: "structura", lotId: $id }]) { __typename } }', { id: ['x'] }],
  ['a default value', 'query($r: [_Any!]! = [{ __typename: "Lot", firmId: "structura", lotId: 7 }]) { _entities(representations: $r) { __typename } }'],
];

describe('guardEntities: the _entities resolver checks every representation, however the operation is written', () => {
  it.each(SHAPES)('%s: refused with BAD_USER_INPUT before any reference resolver runs', (_shape, query, variables) => {
    const { result, seen } = run(true, query, variables);
    expect(seen).toEqual([]);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toMatch(/^representations\[\d+\]/);
  });

  it.each(SHAPES)('%s: without the guard, it reaches the resolvers or fails inside them (what the guard prevents)', (_shape, query, variables) => {
    const { result, seen } = run(false, query, variables);
    const codes = (result.errors ?? []).map((e) => e.extensions?.code);
    expect(seen.length > 0 || (result.errors ?? []).length > 0).toBe(true);
    expect(codes).not.toContain('BAD_USER_INPUT');
  });

  it('names the index and the field, and hands the resolvers fresh checked copies', () => {
    const { result, seen } = run(true, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [LOT, LOT, LOT, { ...LOT, lotId: { toString: 1 } }] });
    expect(result.errors?.[0]?.message).toBe('representations[3].lotId must be a string (an ID), not an object.');
    expect(seen).toEqual([]);
    const ok = run(true, 'query($r: [_Any!]!) { a: _entities(representations: $r) { __typename } b: _entities(representations: $r) { __typename } }', { r: [LOT] });
    expect(ok.result.errors).toBeUndefined();
    expect(ok.seen).toEqual([LOT, LOT]);
    expect(ok.seen[0]).not.toBe(LOT);
  });

  it('refuses a schema without _entities at start', () => {
    const plain = buildSubgraphSchema([{ typeDefs: parse('type Query { a: Int }') }]);
    expect(() => guardEntities(plain)).toThrow(/no _entities resolver/);
  });
});
