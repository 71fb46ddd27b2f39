import fc from 'fast-check';

/**
 * fast-check arbitraries of `_entities` requests that carry one certainly bad representation
 * among good ones, written every way an operation can be (issue 8): literals at the root,
 * under an alias, in inline and named fragments, in the second of several `_entities`
 * fields, as a variable's default, as variables, and as a variable inside a literal. Bodies
 * are built as text: a key may be a 20,000-deep list, deeper than JSON.stringify goes.
 */

/** One value written both ways: as JSON (variables) and as a GraphQL literal (documents). */
interface Written {
  json: string;
  literal: string;
}

const w = (json: string, literal = json): Written => ({ json, literal });

/** Key values that are no sane ID. */
const badKey: fc.Arbitrary<Written> = fc.oneof(
  fc.constantFrom(
    w('{"toString":1}', '{ toString: 1 }'),
    w('{"valueOf":{"toString":[]}}', '{ valueOf: { toString: [] } }'),
    w('["structura"]'),
    w('[]'),
    w('7'),
    w('1.5'),
    w('true'),
    w('null'),
    w('""'),
    w(JSON.stringify('x'.repeat(300))),
    w('"L\\u0000"'),
    w('"L\\n1"'),
  ),
  fc.integer({ min: 1, max: 20_000 }).map((d) => w(`${'['.repeat(d)}"structura-L0001"${']'.repeat(d)}`)),
);

const lot = (firmId: Written, lotId: Written): Written =>
  w(`{"__typename":"Lot","firmId":${firmId.json},"lotId":${lotId.json}}`, `{ __typename: "Lot", firmId: ${firmId.literal}, lotId: ${lotId.literal} }`);

const GOOD = lot(w('"structura"'), w('"structura-L0001"'));

/** Representations that are certainly wrong: not an object, no or an unknown __typename, a bad or missing key, an extra property. */
const badRepresentation: fc.Arbitrary<Written> = fc.oneof(
  fc.tuple(badKey, fc.boolean()).map(([key, owner]) => (owner ? lot(key, w('"structura-L0001"')) : lot(w('"structura"'), key))),
  fc.constantFrom(
    w('30'),
    w('null'),
    w('"Lot"'),
    w('[]'),
    w('true'),
    w('{"firmId":"structura","lotId":"structura-L0001"}', '{ firmId: "structura", lotId: "structura-L0001" }'),
    ...['"Query"', '"LotRef"', '"toString"', '"__proto__"', '"constructor"', '["Lot"]', '7', '{}'].map((t) =>
      w(`{"__typename":${t},"firmId":"structura","lotId":"structura-L0001"}`, `{ __typename: ${t === '{}' ? '{ }' : t}, firmId: "structura", lotId: "structura-L0001" }`),
    ),
    w('{"__typename":"Lot","firmId":"structura"}', '{ __typename: "Lot", firmId: "structura" }'),
    w('{"__typename":"Lot","firmId":"structura","lotId":"structura-L0001","status":"RELEASED"}', '{ __typename: "Lot", firmId: "structura", lotId: "structura-L0001", status: "RELEASED" }'),
    w('{"__typename":"Lot","firmId":"structura","lotId":"structura-L0001","__proto__":{"x":1}}', '{ __typename: "Lot", firmId: "structura", lotId: "structura-L0001", __proto__: { x: 1 } }'),
    w('{"__typename":"Firm","id":{"toString":1}}', '{ __typename: "Firm", id: { toString: 1 } }'),
  ),
);

/** A list with the bad representation somewhere among good ones. */
const listWithBad: fc.Arbitrary<{ json: string; literal: string; index: number }> = fc
  .tuple(fc.nat(3), badRepresentation, fc.nat(2))
  .map(([before, bad, after]) => {
    const items = [...Array<Written>(before).fill(GOOD), bad, ...Array<Written>(after).fill(GOOD)];
    return { json: `[${items.map((i) => i.json).join(',')}]`, literal: `[${items.map((i) => i.literal).join(', ')}]`, index: before };
  });

const body = (query: string, variables?: string): string => `{"query":${JSON.stringify(query)}${variables === undefined ? '' : `,"variables":${variables}`}}`;

/** Documents with the list written in place (`L`). */
const LITERAL_SHAPES: ((list: string) => string)[] = [
  (l) => `{ _entities(representations: ${l}) { __typename } }`,
  (l) => `{ e: _entities(representations: ${l}) { __typename } }`,
  (l) => `{ ... on Query { _entities(representations: ${l}) { __typename } } }`,
  (l) => `query { ...F } fragment F on Query { _entities(representations: ${l}) { ... on Lot { lotId } } }`,
  (l) => `query { ...F } fragment F on Query { ...G } fragment G on Query { _entities(representations: ${l}) { __typename } }`,
  (l) => `{ a: _entities(representations: [${GOOD.literal}]) { __typename } b: _entities(representations: ${l}) { __typename } }`,
  (l) => `query($r: [_Any!]! = ${l}) { _entities(representations: $r) { __typename } }`,
];

/** Documents that take the list as the variable `$r`. */
const VARIABLE_SHAPES = [
  'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
  'query($r: [_Any!]!) { ...F } fragment F on Query { x: _entities(representations: $r) { ... on Lot { lotId } } }',
  'query($r: [_Any!]!) { a: _entities(representations: $r) { __typename } ... on Query { b: _entities(representations: $r) { __typename } } }',
];

/**
 * POST bodies of `_entities` requests to a firm subgraph, each with one bad representation
 * (or one bad key value) written one of the ways above. A firm must answer each with 400 and
 * a stable code: BAD_USER_INPUT naming `representations[i]`, or OPERATION_TOO_DEEP for a
 * literal too deep to parse.
 */
export const hostileEntitiesBody: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...LITERAL_SHAPES), listWithBad).map(([shape, list]) => body(shape(list.literal))),
  fc.tuple(fc.constantFrom(...VARIABLE_SHAPES), listWithBad).map(([query, list]) => body(query, `{"r":${list.json}}`)),
  badKey.map((key) => body('query($v: _Any) { _entities(representations: [{ __typename: "Lot", firmId: "structura", lotId: $v }]) { __typename } }', `{"v":${key.json}}`)),
);
