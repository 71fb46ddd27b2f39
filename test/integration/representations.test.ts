import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_CREDENTIAL_HEADER, type CredentialDestination } from '../../identity/gatewayCredential.js';
import type { GraphQLResult } from '../harness/graphqlClient.js';
import { postAsGateway } from '../harness/postAsGateway.js';
import { startTestCluster, type TestCluster } from '../harness/testCluster.js';

/**
 * `_entities` representations from a caller holding a genuine gateway credential (a member's
 * gateway could send these): every one is checked before anything reads it, however the
 * operation is written, and a bad one is the caller's mistake (BAD_USER_INPUT naming the index
 * and the field), never an internal error. Issue 8: internal errors and the owner message.
 */

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Lot { lotId status } ... on Firm { id } } }';
const LOT = { __typename: 'Lot', firmId: 'structura', lotId: 'structura-L0001' };

function deepJsonList(depth: number): string {
  return `${'['.repeat(depth)}"structura-L0001"${']'.repeat(depth)}`;
}

describe(`_entities representations are checked before use (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let cluster: TestCluster;
  let token: string;
  const logged: unknown[] = [];

  /** A body sent as it is (JSON.stringify cannot build a 20,000-deep value), with the gateway's credential for it. */
  async function postRaw(url: string, destination: CredentialDestination, body: string): Promise<GraphQLResult> {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        [GATEWAY_CREDENTIAL_HEADER]: cluster.gatewayCredential(token, destination, body),
      },
      body,
    });
    const json = (await res.json()) as Omit<GraphQLResult, 'status' | 'headers'>;
    return { status: res.status, data: json.data, errors: json.errors, headers: res.headers };
  }

  const structura = () => cluster.firms.get('structura')?.server?.endpoints.firm ?? '';
  const firm = (query: string, variables?: Record<string, unknown>) => postAsGateway(cluster, { firmId: 'structura' }, query, { token, ...(variables ? { variables } : {}) });

  function expectRefused(r: GraphQLResult, message: string): void {
    expect(r.status, JSON.stringify(r.errors)).toBe(400);
    expect(r.data ?? null).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.message).toBe(message);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }

  beforeAll(async () => {
    cluster = await startTestCluster({ seed: { lotsPerFirm: 3 }, log: (e) => logged.push(e) });
    token = cluster.token('skyframe');
  });
  afterAll(async () => cluster?.stop());

  it('still answers good representations', async () => {
    const r = await firm(ENTITIES, { r: [LOT, { __typename: 'Firm', id: 'structura' }] });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data?._entities).toEqual([{ lotId: 'structura-L0001', status: expect.any(String) }, { id: 'structura' }]);
  });

  it('(a) checks _entities inside a named fragment on Query', async () => {
    const r = await firm('query { ...F } fragment F on Query { _entities(representations: [30]) { ... on Lot { lotId } } }');
    expectRefused(r, "representations[0] must be an object with __typename and the type's key fields, not a number.");
  });

  it('(b) refuses a key that is an object, naming the index and the field', async () => {
    const r = await firm(ENTITIES, { r: [LOT, LOT, LOT, { ...LOT, lotId: { toString: 1 } }] });
    expectRefused(r, 'representations[3].lotId must be a string (an ID), not an object.');
    expect(r.errors?.[0]?.extensions).toMatchObject({ index: 3, field: 'lotId' });
  });

  it('(c) refuses a key that is a 20,000-deep list in the variables', async () => {
    const body = `{"query":${JSON.stringify(ENTITIES)},"variables":{"r":[{"__typename":"Lot","firmId":"structura","lotId":${deepJsonList(20_000)}}]}}`;
    expectRefused(await postRaw(structura(), { kind: 'firm', firmId: 'structura' }, body), 'representations[0].lotId must be a string (an ID), not a list.');
  });

  it('(c) refuses a 20,000-deep list literal in the document with a code, before the parser overflows', async () => {
    const query = `{ _entities(representations: [{ __typename: "Lot", firmId: "structura", lotId: ${deepJsonList(20_000)} }]) { __typename } }`;
    const r = await postRaw(structura(), { kind: 'firm', firmId: 'structura' }, JSON.stringify({ query }));
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe('OPERATION_TOO_DEEP');
    expect(r.errors?.[0]?.message).not.toMatch(/call stack/i);
  });

  it.each([
    ['an alias', '{ e: _entities(representations: [{ __typename: "Lot", firmId: "structura", lotId: 7 }]) { __typename } }', undefined, 'representations[0].lotId must be a string (an ID), not a number.'],
    ['an inline fragment', '{ ... on Query { _entities(representations: [{ __typename: "Lot", firmId: "structura" }]) { __typename } } }', undefined, 'representations[0].lotId is missing: a Lot representation carries __typename and firmId, lotId.'],
    ['nested named fragments', 'query { ...F } fragment F on Query { ...G } fragment G on Query { _entities(representations: [{ __typename: "LotRef", firmId: "structura", lotId: "x" }]) { __typename } }', undefined, expect.stringMatching(/^representations\[0\]\.__typename "LotRef" is not an entity type this subgraph resolves \(/)],
    ['the second of several _entities fields', 'query($r: [_Any!]!) { a: _entities(representations: [{ __typename: "Firm", id: "structura" }]) { __typename } b: _entities(representations: $r) { __typename } }', { r: [LOT, { ...LOT, status: 'RELEASED' }] }, 'representations[1] has a property "status" that is not a key field of Lot: a representation carries only __typename and firmId, lotId.'],
    ['a variable inside a literal', 'query($id: _Any) { _entities(representations: [{ __typename: "Lot", firmId: "structura", lotId: $id }]) { __typename } }', { id: { toString: 1 } }, 'representations[0].lotId must be a string (an ID), not an object.'],
    ['a default value', 'query($r: [_Any!]! = [{ __typename: "Lot", firmId: "structura", lotId: "" }]) { _entities(representations: $r) { __typename } }', undefined, 'representations[0].lotId must not be empty.'],
    ['a single representation for the list', 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: { ...LOT, lotId: 'L\u0000' } }, 'representations[0].lotId contains a control character (U+0000).'],
  ])('checks representations written through %s', async (_shape, query, variables, message) => {
    const r = await firm(query, variables);
    expect(r.status, JSON.stringify(r.errors)).toBe(400);
    expect(r.errors?.[0]?.message).toEqual(message);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('checks the links subgraph and the registry the same way', async () => {
    const links = await postAsGateway(cluster, { firmId: 'structura', subgraph: 'links' }, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
      token,
      variables: { r: [{ __typename: 'LotRef', firmId: 'structura', lotId: ['x'] }] },
    });
    expectRefused(links, 'representations[0].lotId must be a string (an ID), not a list.');
    const body = JSON.stringify({ query: '{ ...F } fragment F on Query { _entities(representations: [{ __typename: "Firm", id: { toString: 1 } }]) { ... on Firm { name } } }' });
    const registry = await postRaw(new URL('/graphql', cluster.registryUrl).href, { kind: 'registry' }, body);
    expectRefused(registry, 'representations[0].id must be a string (an ID), not an object.');
  });

  it('(2) an owner that is not a string is refused as such, not as another firm', async () => {
    const r = await firm(ENTITIES, { r: [{ ...LOT, firmId: ['structura'] }] });
    expectRefused(r, 'representations[0].firmId must be a string (an ID), not a list.');
    expect(JSON.stringify(r.errors)).not.toContain('does not own');
  });

  it('logged no internal error', () => {
    expect(logged.map((e) => String(e).slice(0, 200))).toEqual([]);
  });
});
