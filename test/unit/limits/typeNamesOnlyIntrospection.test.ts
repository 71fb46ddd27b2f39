import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { INTROSPECTION_DISABLED, typeNamesOnlyIntrospection } from '../../../limits/typeNamesOnlyIntrospection.js';

const schema = buildSchema('type Query { lot(id: ID!): Lot } type Lot { lotId: ID! quantity: Int }');
const codes = (query: string): unknown[] =>
  validate(schema, parse(query), [...specifiedRules, typeNamesOnlyIntrospection]).map((e) => e.extensions['validationErrorCode'] ?? e.message);

describe('typeNamesOnlyIntrospection', () => {
  it('answers whether a type exists: `__type` with name, kind, __typename', () => {
    expect(codes('{ __type(name: "Lot") { name kind __typename } }')).toEqual([]);
    expect(codes('query T($n: String!) { __type(name: $n) { name } }')).toEqual([]);
    expect(codes('{ __typename lot(id: "1") { lotId } }')).toEqual([]);
  });

  it('refuses the schema and every part of a type’s shape, also through aliases and fragments', () => {
    expect(codes('{ __schema { types { name } } }')).toEqual([INTROSPECTION_DISABLED]);
    expect(codes('{ __type(name: "Lot") { fields { name } } }')).toEqual([INTROSPECTION_DISABLED]);
    expect(codes('{ __type(name: "Lot") { name: description } }')).toEqual([INTROSPECTION_DISABLED]);
    expect(codes('{ __type(name: "Lot") { ... on __Type { fields { name } } } }')).toEqual([INTROSPECTION_DISABLED]);
    expect(codes('{ __type(name: "Lot") { ...F } } fragment F on __Type { name }')).toEqual([INTROSPECTION_DISABLED]);
    expect(codes('{ a: __schema { queryType { name } } b: __type(name: "Lot") { interfaces { name } } }')).toEqual([INTROSPECTION_DISABLED, INTROSPECTION_DISABLED]);
  });
});
